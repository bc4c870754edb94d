"""Logging in: one generic failure, lockout after repeated failures, every attempt audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from services.audit import record
from services.clock import paris_today
from services.db import UnitOfWork
from services.errors import AccountLocked, AuthenticationError
from services.models import User
from services.passwords import verify_password

MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)


@dataclass(frozen=True)
class SignedIn:
    """The user a chat is bound to after a successful login."""

    user_id: int
    display_name: str
    organisation_name: str
    is_admin: bool
    must_change_password: bool


def _find(uow: UnitOfWork, login: str) -> User | None:
    return uow.session.scalars(
        select(User).where(func.lower(User.login) == login.strip().lower())
    ).one_or_none()


def authenticate(
    uow: UnitOfWork, *, login: str, password: str, now: datetime, chat_ref: str = ""
) -> SignedIn:
    """Check the identifier and password.

    Raises `AuthenticationError` for any wrong identifier or password (the same way, after the
    same work), and `AccountLocked` while the account is locked.
    """
    with uow:
        user = _find(uow, login)
        if user is not None and user.locked_until is not None:
            if user.locked_until > now:
                verify_password(None, password)
                record(uow, "login_refused_locked", now=now, user_id=user.id, chat_ref=chat_ref)
                uow.commit()
                raise AccountLocked(user.locked_until)
            user.locked_until = None
            user.failed_logins = 0
            record(uow, "unlock", now=now, user_id=user.id, chat_ref=chat_ref)
        ok = verify_password(user.password_hash if user else None, password)
        closed = user is not None and user.closed_on is not None and (
            user.closed_on <= paris_today(now)
        )
        expired = (
            user is not None
            and user.password_is_provisional
            and user.password_expires_at is not None
            and user.password_expires_at <= now
        )
        if user is None or not ok or closed or expired:
            locked_until = None
            if user is not None:
                user.failed_logins += 1
                if user.failed_logins >= MAX_FAILURES:
                    locked_until = user.locked_until = now + LOCK_DURATION
                    record(uow, "lock", now=now, user_id=user.id, chat_ref=chat_ref)
            record(
                uow,
                "login_failed",
                now=now,
                user_id=user.id if user else None,
                chat_ref=chat_ref,
                detail="unknown identifier" if user is None else "",
            )
            uow.commit()
            if locked_until is not None:
                raise AccountLocked(locked_until)
            raise AuthenticationError("bad credentials")
        user.failed_logins = 0
        user.last_login_at = now
        record(uow, "login", now=now, user_id=user.id, chat_ref=chat_ref)
        signed = SignedIn(
            user_id=user.id,
            display_name=user.display_name,
            organisation_name=user.organisation.name,
            is_admin=user.is_admin,
            must_change_password=user.password_is_provisional,
        )
        uow.commit()
        return signed
