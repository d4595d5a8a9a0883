"""One package per area of the app; routes stay thin and call services."""
