"""Progressive throttling of failed logins, per identifier and per chat.

Failures are counted on the typed identifier whether or not an account has it, so a known
identifier and an unknown one are slowed the same way and cannot be told apart. The first few
failures are free; after that each try waits, twice as long each time up to a ceiling (numbers in
the rules table). Nothing locks the account itself: the owner waits at most the ceiling, and a
provisional password sent by the recovery paths opens at once (`services.accounts.login`). A
successful login clears the identifier's failures; a chat's expire with their window.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from services.accounts.models import RateLimitHit
from services.accounts.rate_limits import hashed_key
from services.core.clock import paris_today
from services.core.db import UnitOfWork
from services.core.rules import account_rules

IDENTIFIER_SCOPE = "login:identifier"
CHAT_SCOPE = "login:chat"
# Failures read per key: enough to reach the ceiling, so a flood costs no more to read.
MAX_FAILURES_READ = 32


def identifier_key(login: str) -> str:
    return hashed_key(IDENTIFIER_SCOPE, login.strip().casefold())


def _keys(login: str, chat_ref: str) -> list[str]:
    keys = [identifier_key(login)]
    if chat_ref:
        keys.append(hashed_key(CHAT_SCOPE, chat_ref))
    return keys


def _wait_ends(uow: UnitOfWork, key: str, *, now: datetime) -> datetime | None:
    rules = account_rules(paris_today(now))
    failures = uow.session.scalars(
        select(RateLimitHit.at)
        .where(RateLimitHit.key == key, RateLimitHit.at > now - rules.login_failures_window)
        .order_by(RateLimitHit.at.desc())
        .limit(MAX_FAILURES_READ)
    ).all()
    beyond = len(failures) - rules.login_free_failures
    if beyond < 0:
        return None
    wait = min(rules.login_first_wait * 2 ** min(beyond, 16), rules.login_max_wait)
    ends = _next_minute(failures[0] + wait)
    return ends if ends > now else None


def _next_minute(moment: datetime) -> datetime:
    """`moment` rounded up to the minute, as the user is told it (« à partir de 10:16 »)."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


def waiting_until(uow: UnitOfWork, *, login: str, chat_ref: str, now: datetime) -> datetime | None:
    """When the next try of `login` from `chat_ref` will be read; None when it may be now."""
    ends = [end for key in _keys(login, chat_ref) if (end := _wait_ends(uow, key, now=now))]
    return max(ends) if ends else None


def count_failure(uow: UnitOfWork, *, login: str, chat_ref: str, now: datetime) -> datetime | None:
    """Count one failure for the identifier and the chat; returns the end of the wait it starts."""
    for key in _keys(login, chat_ref):
        uow.session.add(RateLimitHit(key=key, at=now))
    uow.flush()
    return waiting_until(uow, login=login, chat_ref=chat_ref, now=now)


def clear_identifier(uow: UnitOfWork, *, login: str) -> None:
    """Forget the identifier's failures (after its owner proved a password)."""
    uow.session.execute(delete(RateLimitHit).where(RateLimitHit.key == identifier_key(login)))
