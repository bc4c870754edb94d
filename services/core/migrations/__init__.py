"""The Alembic migrations of the whole schema (every capability's tables), run by `schema`."""
