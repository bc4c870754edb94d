"""The first connection: contact details, a personal password, the usage rules, the conditions of
use — then, for the first person of an organisation to finish, the administrator role.

Each step is derived from the user's row (no separate progress table), so a user who stops half
way resumes where they left off from any chat:
- "contact": an email and a phone are on file;
- "password": the password is no longer provisional;
- "rules" / "terms": the acceptance dates are set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from services.accounts.actor import active_user
from services.accounts.credentials import normalise_email, normalise_phone
from services.accounts.login import set_personal_password
from services.accounts.models import Organisation
from services.accounts.views import FirstLoginState, first_login_state, first_login_state_of
from services.core.audit import record
from services.core.clock import paris_today
from services.core.db import UnitOfWork
from services.core.errors import FirstLoginIncomplete, InvalidFields, InvalidValue


@dataclass(frozen=True)
class FirstLoginResult:
    """How the first connection ended: `became_admin` only for the organisation's first."""

    user_id: int
    organisation_name: str
    became_admin: bool
    is_admin: bool


def record_contact(
    uow: UnitOfWork, *, user_id: int, email: str, phone: str, now: datetime
) -> FirstLoginState:
    """Save the email and phone asked at the first connection.

    Raises `InvalidFields` with "email_format" and/or "phone_format".
    """
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for field, value, normalise in (
        ("email", email, normalise_email),
        ("phone", phone, normalise_phone),
    ):
        try:
            values[field] = normalise(value)
        except InvalidValue as exc:
            errors[field] = exc.reason
    if errors:
        raise InvalidFields(errors)
    with uow:
        user = active_user(uow.session, user_id, paris_today(now))
        user.email = values["email"]
        user.phone = values["phone"]
        record(uow, "contact_recorded", now=now, user_id=user.id)
        state = first_login_state_of(user)
        uow.commit()
    return state


def set_password(uow: UnitOfWork, *, user_id: int, new: str, now: datetime) -> FirstLoginState:
    """Replace the provisional password by a personal one (see `set_personal_password`)."""
    set_personal_password(uow, user_id=user_id, new=new, now=now)
    return first_login_state(uow, user_id=user_id)


def accept_rules(uow: UnitOfWork, *, user_id: int, now: datetime) -> FirstLoginState:
    """Record that the user accepted the usage rules (règles d'usage)."""
    return _accept(uow, user_id=user_id, now=now, what="rules")


def accept_terms(uow: UnitOfWork, *, user_id: int, now: datetime) -> FirstLoginState:
    """Record that the user accepted the conditions of use (conditions d'utilisation)."""
    return _accept(uow, user_id=user_id, now=now, what="terms")


def _accept(uow: UnitOfWork, *, user_id: int, now: datetime, what: str) -> FirstLoginState:
    with uow:
        user = active_user(uow.session, user_id, paris_today(now))
        if what == "rules" and user.accepted_rules_at is None:
            user.accepted_rules_at = now
        if what == "terms" and user.accepted_terms_at is None:
            user.accepted_terms_at = now
        record(uow, f"{what}_accepted", now=now, user_id=user.id)
        state = first_login_state_of(user)
        uow.commit()
    return state


def complete_first_login(uow: UnitOfWork, *, user_id: int, now: datetime) -> FirstLoginResult:
    """End the first connection; the organisation's first user to get here becomes its
    administrator, with every habilitation group. Calling it again changes nothing.

    The organisation row is locked (FOR UPDATE; SQLite's write lock does the same) so two
    users finishing at the same moment cannot both become administrator.
    Raises `FirstLoginIncomplete` with the remaining steps.
    """
    with uow:
        user = active_user(uow.session, user_id, paris_today(now))
        remaining = user.first_login_remaining()
        if remaining:
            raise FirstLoginIncomplete(remaining)
        organisation = uow.session.scalars(
            select(Organisation)
            .where(Organisation.id == user.organisation_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        has_admin = any(member.is_admin for member in organisation.users)
        became_admin = organisation.first_connected_at is None and not has_admin
        if became_admin:
            organisation.first_connected_at = now
            user.is_admin = True
            user.groups = list(organisation.groups)
            record(uow, "admin_designated", now=now, user_id=user.id, detail="first connection")
        record(uow, "first_login_completed", now=now, user_id=user.id)
        result = FirstLoginResult(
            user_id=user.id,
            organisation_name=organisation.name,
            became_admin=became_admin,
            is_admin=user.is_admin,
        )
        uow.commit()
    return result
