"""Reads remembered for the rest of one transaction, so a turn reads each thing once.

One dialog turn calls several services on the same unit of work (the declare turn asked for the
same tenant's facts three times, for the user's first-connection state twice). Each read is
kept in the session's `info` under a key naming what was read, and found there by the next call
of the same transaction. The memo lives and dies with its session: a unit of work opens a new
session per transaction, so nothing is ever kept from one turn to the next (another worker may
change anything between turns). Any write in the transaction (a flush, an INSERT/UPDATE/DELETE,
a savepoint rolled back, changes undone) forgets everything remembered, so a read after a write
sees the write (`services.core.db` calls `forget`).

Only values computed from the session's own reads belong here: never a secret, and never
something a check of rights depends on unless its key names the user it was checked for.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")
_KEY = "memo"


def remembered(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`'s value, computed once per transaction and key (an exception is not kept)."""
    memo: dict[Hashable, Any] = session.info.setdefault(_KEY, {})
    if key in memo:
        found: T = memo[key]
        return found
    value = compute()
    memo[key] = value
    return value


def remember(session: Session, key: Hashable, value: object) -> None:
    """Keep `value`, read by the caller in this transaction, as if `remembered` had computed it."""
    session.info.setdefault(_KEY, {})[key] = value


def forget(session: Session) -> None:
    """Drop what this session remembered (after a write, or a write undone)."""
    session.info.pop(_KEY, None)
