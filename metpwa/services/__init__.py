"""State changes live here: each service writes its records and their audit trail together."""
