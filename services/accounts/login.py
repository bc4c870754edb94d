"""Logging in and changing one's password.

One generic failure whatever was wrong; failures in a row lock the account for a while (the
numbers are in the rules table); every attempt is audited without the password. A provisional
password (letter, email) must be replaced at the next login; an emailed one expires (24 h, see
the rules table). Credentials sent by the recovery services wait in `PendingPassword` and
replace the current password only when first used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from services.accounts.credentials import password_rule_reasons
from services.accounts.models import PendingPassword, User
from services.core.audit import record
from services.core.clock import paris_today
from services.core.db import UnitOfWork
from services.core.errors import (
    AccountLocked,
    AuthenticationError,
    NotAllowed,
    NotFound,
    PasswordRuleError,
)
from services.core.rules import account_rules

# Pending credentials checked at login, newest first: bounds the work a wrong password costs.
MAX_PENDING_CHECKED = 3


@dataclass(frozen=True)
class SignedIn:
    """The user a chat is bound to after a successful login.

    `must_change_password`: the password is provisional; ask for a personal one before anything
    else. `first_login_pending`: contact details, usage rules or conditions of use are still to
    be given (see `services.accounts.first_login`).
    """

    user_id: int
    display_name: str
    organisation_name: str
    is_admin: bool
    must_change_password: bool
    first_login_pending: bool = False


def _find(uow: UnitOfWork, login: str) -> User | None:
    return uow.session.scalars(
        select(User).where(func.lower(User.login) == login.strip().lower())
    ).one_or_none()


def _register_failure(
    uow: UnitOfWork, user: User, *, now: datetime, chat_ref: str
) -> datetime | None:
    """Count one failure; lock the account at the fifth. Returns the end of the lock if set."""
    user.failed_logins += 1
    rules = account_rules(paris_today(now))
    if user.failed_logins >= rules.max_failed_logins:
        user.locked_until = now + rules.lock_duration
        record(uow, "lock", now=now, user_id=user.id, chat_ref=chat_ref)
        return user.locked_until
    return None


def _check_lock(
    uow: UnitOfWork, user: User, *, password: str, now: datetime, chat_ref: str
) -> None:
    """Refuse while locked (after the same hashing work as a normal attempt); lift an old lock."""
    if user.locked_until is None:
        return
    if user.locked_until > now:
        uow.passwords.verify(None, password)
        record(uow, "login_refused_locked", now=now, user_id=user.id, chat_ref=chat_ref)
        uow.commit()
        raise AccountLocked(user.locked_until)
    user.locked_until = None
    user.failed_logins = 0
    record(uow, "unlock", now=now, user_id=user.id, chat_ref=chat_ref)


def _use_pending(
    uow: UnitOfWork, user: User, *, password: str, now: datetime, chat_ref: str
) -> bool:
    """If `password` is a pending provisional password, make it the account's password."""
    rows = uow.session.scalars(
        select(PendingPassword)
        .where(PendingPassword.user_id == user.id)
        .order_by(PendingPassword.id.desc())
        .limit(MAX_PENDING_CHECKED)
    ).all()
    for row in rows:
        if row.expires_at is not None and row.expires_at <= now:
            continue
        if uow.passwords.verify(row.password_hash, password):
            user.password_hash = row.password_hash
            user.password_is_provisional = True
            user.password_expires_at = row.expires_at
            record(
                uow,
                "provisional_password_used",
                now=now,
                user_id=user.id,
                chat_ref=chat_ref,
                detail=f"medium={row.medium}",
            )
            _drop_pending(uow, user)
            return True
    return False


def _drop_pending(uow: UnitOfWork, user: User) -> None:
    uow.session.execute(delete(PendingPassword).where(PendingPassword.user_id == user.id))


def authenticate(
    uow: UnitOfWork, *, login: str, password: str, now: datetime, chat_ref: str = ""
) -> SignedIn:
    """Check the identifier and password.

    Raises `AuthenticationError` for any wrong identifier or password (the same way, after the
    same work), and `AccountLocked` while the account is locked.
    """
    with uow:
        user = _find(uow, login)
        if user is not None:
            _check_lock(uow, user, password=password, now=now, chat_ref=chat_ref)
        ok = uow.passwords.verify(user.password_hash if user else None, password)
        if user is not None and ok and user.password_usable(now):
            _drop_pending(uow, user)  # the owner knows their password: unused letters are void
        elif user is not None and user.is_open_on(paris_today(now)):
            ok = _use_pending(uow, user, password=password, now=now, chat_ref=chat_ref)
        if user is None or not ok or not user.password_usable(now):
            locked_until = None
            if user is not None:
                locked_until = _register_failure(uow, user, now=now, chat_ref=chat_ref)
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
            first_login_pending=any(step != "password" for step in user.first_login_remaining()),
        )
        uow.commit()
        return signed


def _set_password(uow: UnitOfWork, user: User, new: str, *, now: datetime, how: str) -> None:
    user.password_hash = uow.passwords.hash(new)
    user.password_is_provisional = False
    user.password_expires_at = None
    _drop_pending(uow, user)
    record(uow, "password_changed", now=now, user_id=user.id, detail=how)


def _check_rule(user: User, new: str, *, same_as_current: bool, now: datetime) -> None:
    min_length = account_rules(paris_today(now)).min_password_length
    reasons = password_rule_reasons(new, login=user.login, min_length=min_length)
    if same_as_current:
        reasons.append("same_as_current")
    if reasons:
        raise PasswordRuleError(reasons)


def _user(uow: UnitOfWork, user_id: int) -> User:
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound("user")
    return user


def change_password(
    uow: UnitOfWork, *, user_id: int, current: str, new: str, now: datetime, chat_ref: str = ""
) -> None:
    """Replace the password, proving the current one (a voluntary change).

    Raises `AuthenticationError` when `current` is wrong (counted as a failed login, so this
    path cannot be used to guess), `AccountLocked`, and `PasswordRuleError` with every reason.
    """
    with uow:
        user = _user(uow, user_id)
        _check_lock(uow, user, password=current, now=now, chat_ref=chat_ref)
        if not uow.passwords.verify(user.password_hash, current) or not user.password_usable(now):
            locked_until = _register_failure(uow, user, now=now, chat_ref=chat_ref)
            record(uow, "password_change_failed", now=now, user_id=user.id, chat_ref=chat_ref)
            uow.commit()
            if locked_until is not None:
                raise AccountLocked(locked_until)
            raise AuthenticationError("bad credentials")
        user.failed_logins = 0
        _check_rule(user, new, same_as_current=new == current, now=now)
        _set_password(uow, user, new, now=now, how="changed")
        uow.commit()


def set_personal_password(uow: UnitOfWork, *, user_id: int, new: str, now: datetime) -> None:
    """Replace a provisional password right after the login that used it.

    The chat does not keep the provisional password to prove it again (no secret in the
    conversation state), so this is allowed only while the password is provisional and valid.
    Raises `NotAllowed("not_provisional")` otherwise, `PasswordRuleError` with every reason.
    """
    with uow:
        user = _user(uow, user_id)
        if not user.password_is_provisional or not user.password_usable(now):
            raise NotAllowed("not_provisional")
        same = uow.passwords.verify(user.password_hash, new)
        _check_rule(user, new, same_as_current=same, now=now)
        _set_password(uow, user, new, now=now, how="personalised")
        uow.commit()


def add_pending_password(
    uow: UnitOfWork, user: User, password: str, *, medium: str, now: datetime
) -> None:
    """Store a provisional password being sent; emailed ones expire after 24 h, letters never.

    Adds to the caller's open unit of work; the caller commits with the outbox message.
    """
    validity = account_rules(paris_today(now)).emailed_password_validity
    expires = now + validity if medium == "email" else None
    uow.session.add(
        PendingPassword(
            user_id=user.id,
            password_hash=uow.passwords.hash(password),
            medium=medium,
            created_at=now,
            expires_at=expires,
        )
    )
