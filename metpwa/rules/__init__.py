"""Plain rule functions over the standards: no Flask, no database, unit-tested directly."""
