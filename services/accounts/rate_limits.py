"""Throttling of requests that send credentials: per chat and per target (number or email).

A fixed number of hits in a sliding window; hits live in the database so every worker counts
the same ones. Keys are hashed: a stranger's typed email is not kept in clear.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from services.accounts.models import RateLimitHit
from services.core.db import UnitOfWork
from services.core.errors import RateLimited


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `window` for one scope (e.g. "lost_identifier:chat")."""

    scope: str
    count: int
    window: timedelta


def hashed_key(scope: str, value: str) -> str:
    """The stored key of `value` under `scope`: a digest, never the value itself."""
    return hashlib.sha256(f"{scope}\x00{value}".encode()).hexdigest()


def retry_after(uow: UnitOfWork, *, limit: Limit, value: str, now: datetime) -> timedelta | None:
    """How long before `value` may be hit again under `limit`; None when it may be now."""
    since = now - limit.window
    key = hashed_key(limit.scope, value)
    hits = uow.session.scalars(
        select(RateLimitHit.at)
        .where(RateLimitHit.key == key, RateLimitHit.at > since)
        .order_by(RateLimitHit.at.desc())
        .limit(limit.count)
    ).all()
    if len(hits) < limit.count:
        return None
    oldest_counted = hits[-1]
    return max(oldest_counted + limit.window - now, timedelta(seconds=1))


def hit(uow: UnitOfWork, *, checks: list[tuple[Limit, str]], now: datetime) -> None:
    """Check every (limit, value) pair, then count one hit for each; the caller commits.

    Raises `RateLimited` with the longest wait when any is exhausted; nothing is counted then,
    so refused requests do not extend the wait.
    """
    waits = [
        wait
        for limit, value in checks
        if (wait := retry_after(uow, limit=limit, value=value, now=now)) is not None
    ]
    if waits:
        raise RateLimited(max(waits))
    for limit, value in checks:
        uow.session.add(RateLimitHit(key=hashed_key(limit.scope, value), at=now))
