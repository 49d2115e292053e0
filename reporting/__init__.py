"""Excel rankings: gathers rows from the database and writes them with `exports/`."""
