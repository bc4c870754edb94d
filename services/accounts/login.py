"""Logging in and changing one's password.

One generic failure whatever was wrong, after the same work: every attempt verifies exactly two
hashes (the password, the newest provisional one) with a dummy where there is none, so a known
identifier, an unknown one and an account with letters pending answer alike. Failures slow the
identifier and the chat down progressively (`services.accounts.login_throttle`); nothing locks
the account, and a provisional password from the recovery paths opens even while waiting. Every
attempt is audited without the password. A provisional password (letter, email) must be replaced
at the next login and expires (rules table). Credentials sent by the recovery services wait in
`PendingPassword` and replace the current password only when first used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from sqlalchemy import delete, func, select

from services.accounts import login_throttle
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
from services.core.models import AuditEvent
from services.core.rules import account_rules

PROVED = "password_proved"


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


def _newest_pending(uow: UnitOfWork, user: User | None, now: datetime) -> PendingPassword | None:
    """The newest provisional password sent to `user` that has not expired (a newer letter
    voids the older ones)."""
    if user is None or not user.is_open_on(paris_today(now)):
        return None
    row = uow.session.scalars(
        select(PendingPassword)
        .where(PendingPassword.user_id == user.id)
        .order_by(PendingPassword.id.desc())
        .limit(1)
    ).one_or_none()
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    return row


def _use_pending(
    uow: UnitOfWork, user: User, row: PendingPassword, *, now: datetime, chat_ref: str
) -> None:
    """Make the pending provisional password `row` the account's password."""
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


def _refuse(
    uow: UnitOfWork, *, login: str, user: User | None, event: str, now: datetime, chat_ref: str
) -> NoReturn:
    """Count a failure, audit it, commit, and raise the same error whoever the identifier is."""
    until = login_throttle.count_failure(uow, login=login, chat_ref=chat_ref, now=now)
    record(
        uow,
        event,
        now=now,
        user_id=user.id if user else None,
        chat_ref=chat_ref,
        detail="unknown identifier" if user is None else "",
    )
    uow.commit()
    if until is not None:
        raise AccountLocked(until)
    raise AuthenticationError("bad credentials")


def _drop_pending(uow: UnitOfWork, user: User) -> None:
    uow.session.execute(delete(PendingPassword).where(PendingPassword.user_id == user.id))


def authenticate(
    uow: UnitOfWork, *, login: str, password: str, now: datetime, chat_ref: str = ""
) -> SignedIn:
    """Check the identifier and password.

    Raises `AuthenticationError` for any wrong identifier or password, and `AccountLocked`
    while the identifier or the chat must wait: both the same way, after the same work, for
    known and unknown identifiers.
    """
    with uow:
        user = _find(uow, login)
        pending = _newest_pending(uow, user, now)
        current_ok = uow.passwords.verify(user.password_hash if user else None, password)
        pending_ok = uow.passwords.verify(pending.password_hash if pending else None, password)
        waiting = login_throttle.waiting_until(uow, login=login, chat_ref=chat_ref, now=now)
        if waiting is not None and not pending_ok:
            record(
                uow,
                "login_refused_waiting",
                now=now,
                user_id=user.id if user else None,
                chat_ref=chat_ref,
            )
            uow.commit()
            raise AccountLocked(waiting)
        if user is not None and pending is not None and pending_ok:
            _use_pending(uow, user, pending, now=now, chat_ref=chat_ref)
        elif user is not None and current_ok and user.password_usable(now):
            _drop_pending(uow, user)  # the owner knows their password: unused letters are void
        else:
            _refuse(uow, login=login, user=user, event="login_failed", now=now, chat_ref=chat_ref)
        assert user is not None
        login_throttle.clear_identifier(uow, login=login)
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


def _prove(uow: UnitOfWork, user: User, current: str, *, now: datetime, chat_ref: str) -> None:
    """The current password, proved in the caller's unit of work; a wrong one is counted as a
    failed login (so a change cannot be used to guess) and raises."""
    current_ok = uow.passwords.verify(user.password_hash, current)
    waiting = login_throttle.waiting_until(uow, login=user.login, chat_ref=chat_ref, now=now)
    if waiting is not None:
        record(uow, "password_change_refused_waiting", now=now, user_id=user.id)
        uow.commit()
        raise AccountLocked(waiting)
    if not current_ok or not user.password_usable(now):
        _refuse(
            uow,
            login=user.login,
            user=user,
            event="password_change_failed",
            now=now,
            chat_ref=chat_ref,
        )
    login_throttle.clear_identifier(uow, login=user.login)


def change_password(
    uow: UnitOfWork, *, user_id: int, current: str, new: str, now: datetime, chat_ref: str = ""
) -> None:
    """Replace the password, proving the current one (a voluntary change).

    Raises `AuthenticationError` when `current` is wrong (counted as a failed login, so this
    path cannot be used to guess), `AccountLocked` while the identifier must wait, and
    `PasswordRuleError` with every reason.
    """
    with uow:
        user = _user(uow, user_id)
        _prove(uow, user, current, now=now, chat_ref=chat_ref)
        _check_rule(user, new, same_as_current=new == current, now=now)
        _set_password(uow, user, new, now=now, how="changed")
        uow.commit()


def prove_password(
    uow: UnitOfWork, *, user_id: int, current: str, now: datetime, chat_ref: str
) -> None:
    """The first step of a change asked over several messages (a chat never keeps a password
    from one message to the next): the current password, proved and recorded for this chat.
    `change_proved_password` then accepts the new one from the same chat for a few minutes.

    Raises `AuthenticationError` (counted as a failed login) or `AccountLocked`.
    """
    with uow:
        user = _user(uow, user_id)
        _prove(uow, user, current, now=now, chat_ref=chat_ref)
        record(uow, PROVED, now=now, user_id=user.id, chat_ref=chat_ref)
        uow.commit()


def change_proved_password(
    uow: UnitOfWork, *, user_id: int, new: str, now: datetime, chat_ref: str
) -> None:
    """Replace the password after `prove_password` from the same chat, within the rules
    table's `password_proof_minutes`, once.

    Raises `NotAllowed("not_proved")` without such a proof (none, too old, another chat's,
    already used), `PasswordRuleError` with every reason.
    """
    with uow:
        user = _user(uow, user_id)
        window = account_rules(paris_today(now)).password_proof_validity
        last = uow.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.user_id == user.id,
                AuditEvent.event.in_((PROVED, "password_changed")),
            )
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).one_or_none()
        if (
            last is None
            or last.event != PROVED
            or last.chat_ref != chat_ref
            or not now - window <= last.at <= now
        ):
            raise NotAllowed("not_proved")
        same = uow.passwords.verify(user.password_hash, new)
        _check_rule(user, new, same_as_current=same, now=now)
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
    """Store a provisional password being sent; emailed ones expire after 24 h, letters after
    30 days (the rules table).

    Adds to the caller's open unit of work; the caller commits with the outbox message.
    """
    rules = account_rules(paris_today(now))
    validity = (
        rules.emailed_password_validity if medium == "email" else rules.letter_password_validity
    )
    expires = now + validity
    uow.session.add(
        PendingPassword(
            user_id=user.id,
            password_hash=uow.passwords.hash(password),
            medium=medium,
            created_at=now,
            expires_at=expires,
        )
    )
