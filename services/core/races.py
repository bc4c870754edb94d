"""Which database errors mean that a concurrent transaction won a race, so the same work can
simply be done again: a serialization failure, a deadlock, a lock not obtained in time, or
SQLite's busy lock. A constraint violation is not one of them: the service that meets it turns
it into an answer (for example "déjà transmis")."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

# serialization_failure, deadlock_detected, lock_not_available
_PG_RETRYABLE = frozenset({"40001", "40P01", "55P03"})


def lost_race(error: BaseException) -> bool:
    if not isinstance(error, DBAPIError) or error.connection_invalidated:
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _PG_RETRYABLE
    return "database is locked" in str(error.orig)
