"""One Alembic revision per schema change, in one chain."""
