"""Getting credentials back: "Identifiant perdu" (by N° utilisateur) and "Mot de passe oublié"
(by email).

Guarantees:
- No enumeration: the acknowledgement is the same whether the number or email exists, and both
  paths hash one password, so neither the answer nor its timing tells them apart.
- No known-email hint: when "by email" is asked for a lost identifier, the credentials go by
  email if the account has one on file and by post to the organisation's address otherwise. The
  acknowledgement says exactly that (`delivery="email_else_post"`) and never which one happened.
- Credentials travel only in the outbox; the chat, the audit log and the logs never hold them.
  By post, the identifier and the password go in two separate letters, as the CAF's first ones.
- The current password keeps working until the new one is used (see `PendingPassword`), so a
  stranger who knows a N° utilisateur or an email cannot lock the landlord out.
- Throttled per chat and per number or email (`RateLimited`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select

from services.accounts import rate_limits
from services.accounts.credentials import (
    new_provisional_password,
    normalise_email,
    normalise_user_number,
)
from services.accounts.login import add_pending_password
from services.accounts.models import Organisation, User
from services.accounts.outbox import enqueue
from services.core.audit import record
from services.core.clock import paris_today
from services.core.db import UnitOfWork
from services.core.errors import InvalidValue, RateLimited
from services.core.rules import account_rules
from services.documents.letters import Letter, credentials_email, credentials_letters

# Several users of an organisation may share one address; each gets its own message.

Delivery = Literal["post", "email_else_post", "email"]


@dataclass(frozen=True)
class RecoveryAck:
    """What the chat may tell, identical whether or not the number or email is known.

    `delivery`: "post" (two letters to the organisation's address), "email_else_post" (by email
    if an address is on file, by post otherwise), "email" (to the address given, if it belongs
    to an account). `email_valid_hours`: how long an emailed provisional password works.
    """

    request: Literal["lost_identifier", "password_reset"]
    delivery: Delivery
    email_valid_hours: int


def _limit(rule: str, scope: str, now: datetime) -> rate_limits.Limit:
    """A throttle of the rules table: at most so many requests of `scope` in a window."""
    limit = account_rules(paris_today(now)).recovery_limits[rule]
    return rate_limits.Limit(scope, limit.count, limit.window)


def _valid_hours(now: datetime) -> int:
    validity = account_rules(paris_today(now)).emailed_password_validity
    return int(validity.total_seconds() // 3600)


def _throttle(
    uow: UnitOfWork,
    checks: list[tuple[rate_limits.Limit, str]],
    *,
    event: str,
    chat_ref: str,
    now: datetime,
) -> None:
    try:
        rate_limits.hit(uow, checks=checks, now=now)
    except RateLimited:
        record(uow, event, now=now, chat_ref=chat_ref, detail="rate limited")
        uow.commit()
        raise


def _recovery_target(organisation: Organisation, now: datetime) -> User | None:
    """Whose credentials a N° utilisateur gives back: the administrator, or before the first
    connection the account the CAF created (the oldest open one). Other users ask their
    administrator or use "Mot de passe oublié"."""
    today = paris_today(now)
    users = [
        user
        for user in sorted(organisation.users, key=lambda u: (not u.is_admin, u.id))
        if user.closed_on is None or user.closed_on > today
    ]
    return users[0] if users else None


def _email_credentials(
    login: str, password: str, organisation: str, now: datetime, *, subject_key: str
) -> Letter:
    expires = now + account_rules(paris_today(now)).emailed_password_validity
    return credentials_email(
        organisation=organisation,
        login=login,
        password=password,
        expires_at=expires,
        subject_key=subject_key,
    )


def _send_by_post(
    uow: UnitOfWork, organisation: Organisation, user: User, password: str, now: datetime
) -> None:
    recipient = f"{organisation.name}\n{organisation.postal_address}".strip()
    validity = account_rules(paris_today(now)).letter_password_validity
    letters = credentials_letters(
        user_number=organisation.user_number,
        login=user.login,
        password=password,
        valid_days=validity.days,
    )
    for letter in letters:
        enqueue(
            uow,
            medium="post",
            recipient=recipient,
            subject=letter.subject,
            body=letter.body,
            now=now,
        )


def request_lost_identifier(
    uow: UnitOfWork,
    *,
    user_number: str,
    medium: Literal["post", "email"],
    chat_ref: str,
    now: datetime,
) -> RecoveryAck:
    """ "Identifiant perdu": send the identifier and a new provisional password again.

    Raises `InvalidValue("user_number_format")` (not 14 characters once spaces are removed),
    `InvalidValue("medium")`, and `RateLimited` (3 per hour per chat, 3 per day per number).
    """
    number = normalise_user_number(user_number)
    if medium not in ("post", "email"):
        raise InvalidValue("medium")
    with uow:
        checks = [
            (_limit("lost_identifier_per_chat", "lost_identifier:chat", now), chat_ref),
            (_limit("lost_identifier_per_number", "lost_identifier:number", now), number),
        ]
        _throttle(uow, checks, event="lost_identifier_requested", chat_ref=chat_ref, now=now)
        password = new_provisional_password()
        organisation = uow.session.scalars(
            select(Organisation).where(Organisation.user_number == number)
        ).one_or_none()
        user = _recovery_target(organisation, now) if organisation else None
        if organisation is None or user is None:
            uow.passwords.hash(password)  # the same work as for a known number
            record(uow, "lost_identifier_requested", now=now, chat_ref=chat_ref, detail="unknown")
        else:
            sent_by = "email" if medium == "email" and user.email else "post"
            add_pending_password(uow, user, password, medium=sent_by, now=now)
            if sent_by == "email":
                letter = _email_credentials(
                    user.login,
                    password,
                    organisation.name,
                    now,
                    subject_key="credentials_subject",
                )
                enqueue(
                    uow,
                    medium="email",
                    recipient=user.email or "",
                    subject=letter.subject,
                    body=letter.body,
                    now=now,
                )
            else:
                _send_by_post(uow, organisation, user, password, now)
            record(
                uow,
                "lost_identifier_requested",
                now=now,
                user_id=user.id,
                chat_ref=chat_ref,
                detail=f"sent by {sent_by}",
            )
        uow.commit()
    return RecoveryAck(
        request="lost_identifier",
        delivery="email_else_post" if medium == "email" else "post",
        email_valid_hours=_valid_hours(now),
    )


def request_password_reset(
    uow: UnitOfWork, *, email: str, chat_ref: str, now: datetime
) -> RecoveryAck:
    """ "Mot de passe oublié": email a provisional password valid 24 h to each open account
    using that address. It becomes the password (provisional) when first used.

    Raises `InvalidValue("email_format")` and `RateLimited` (3 per hour per chat, 3 per day
    per email).
    """
    address = normalise_email(email)
    with uow:
        checks = [
            (_limit("password_reset_per_chat", "password_reset:chat", now), chat_ref),
            (_limit("password_reset_per_email", "password_reset:email", now), address.lower()),
        ]
        _throttle(uow, checks, event="password_reset_requested", chat_ref=chat_ref, now=now)
        today = paris_today(now)
        users = [
            user
            for user in uow.session.scalars(
                select(User)
                .where(func.lower(User.email) == address.lower())
                .order_by(User.id)
                .limit(account_rules(today).max_users_per_email)
            )
            if user.closed_on is None or user.closed_on > today
        ]
        if not users:
            uow.passwords.hash(new_provisional_password())  # the same work as for a known address
            record(uow, "password_reset_requested", now=now, chat_ref=chat_ref, detail="unknown")
        for user in users:
            password = new_provisional_password()
            add_pending_password(uow, user, password, medium="email", now=now)
            letter = _email_credentials(
                user.login, password, user.organisation.name, now, subject_key="reset_subject"
            )
            enqueue(
                uow,
                medium="email",
                recipient=user.email or address,
                subject=letter.subject,
                body=letter.body,
                now=now,
            )
            record(uow, "password_reset_requested", now=now, user_id=user.id, chat_ref=chat_ref)
        uow.commit()
    return RecoveryAck(
        request="password_reset", delivery="email", email_valid_hours=_valid_hours(now)
    )
