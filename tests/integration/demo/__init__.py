"""Integration tests on real databases (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) of `demo`."""
