"""Whether a database is already at the latest schema revision, without importing Alembic.

Starting the bot checks this first: Alembic (with Mako and its script loading) costs a large
share of the start-up, and is needed only when there is something to migrate. Revisions are
numbered ("0001", "0002", ...) in their file names, so the latest is the highest number.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from services.core.db import UowFactory

VERSIONS = Path(__file__).parent / "migrations" / "versions"


def latest_revision() -> str:
    return max(p.name[:4] for p in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def is_current(uow_factory: UowFactory) -> bool:
    """True when the database records the latest revision; False when it is older, empty or
    missing (the caller then runs the migrations)."""
    uow = uow_factory()
    try:
        with uow:
            found = uow.session.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return list(found) == [latest_revision()]
    except DBAPIError:
        return False
