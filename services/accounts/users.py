"""Users and habilitation groups, managed by the administrator and the responsables
d'habilitation of an organisation (`NotAllowed("not_habilitation_manager")` for anyone else).

Rules:
- the administrator acts on every user and group of the organisation, except itself: only the
  CAF replaces an administrator (`NotAllowed("replace_admin")`);
- a responsable d'habilitation gives only groups they hold, and acts only on users whose groups
  are all among theirs;
- only the administrator names responsables d'habilitation (`NotAllowed("admin_only")`);
- a new user gets an identifier `prenom.nom01` and a provisional password by email (outbox),
  valid 24 h from their opening date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select

from services.accounts.actor import active_user, colleague, user_manager
from services.accounts.credentials import login_stem, new_provisional_password
from services.accounts.models import User
from services.accounts.outbox import enqueue
from services.accounts.user_form import parse_new_user
from services.accounts.views import UserView, user_view
from services.core.audit import record
from services.core.clock import PARIS, paris_today
from services.core.db import UnitOfWork
from services.core.errors import DateError, InvalidFields, NotAllowed
from services.core.rules import account_rules
from services.documents.letters import welcome_email


def _new_login(uow: UnitOfWork, first_name: str, last_name: str) -> str:
    stem = login_stem(first_name, last_name)
    taken = set(
        uow.session.scalars(select(func.lower(User.login)).where(User.login.like(f"{stem}%")))
    )
    number = 1
    while f"{stem}{number:02d}" in taken:
        number += 1
    return f"{stem}{number:02d}"


def create_user(
    uow: UnitOfWork,
    *,
    actor_id: int,
    last_name: str,
    first_name: str,
    email: str,
    email_confirmation: str,
    phone: str | None = None,
    phone_confirmation: str | None = None,
    mobile_worker: bool = False,
    group_ids: list[int],
    opened_on: date | None = None,
    closed_on: date | None = None,
    now: datetime,
) -> UserView:
    """Create a user of the actor's organisation and email them their credentials.

    `opened_on` defaults to today. Raises `NotAllowed`, and `InvalidFields` for every field in
    error, groups included ("unknown_group", "not_your_group").
    """
    today = paris_today(now)
    values: dict[str, Any] = dict(
        last_name=last_name,
        first_name=first_name,
        email=email,
        email_confirmation=email_confirmation,
        phone=phone,
        phone_confirmation=phone_confirmation,
        mobile_worker=mobile_worker,
        group_ids=group_ids,
        opened_on=opened_on or today,
        closed_on=closed_on,
    )
    with uow:
        actor = user_manager(uow.session, actor_id, today)
        form = parse_new_user(**values)
        organisation_groups = {group.id: group for group in actor.organisation.groups}
        unknown = [gid for gid in form.group_ids if gid not in organisation_groups]
        if unknown:
            raise InvalidFields({"group_ids": "unknown_group"})
        if not set(form.group_ids) <= actor.grantable_group_ids:
            raise InvalidFields({"group_ids": "not_your_group"})
        password = new_provisional_password()
        rules = account_rules(today)
        opening = datetime.combine(form.opened_on, time(0, 0), tzinfo=PARIS).astimezone(UTC)
        user = User(
            organisation=actor.organisation,
            login=_new_login(uow, form.first_name, form.last_name),
            password_hash=uow.passwords.hash(password),
            last_name=form.last_name.upper(),
            first_name=form.first_name,
            email=form.email,
            phone=form.phone,
            mobile_worker=form.mobile_worker,
            opened_on=form.opened_on,
            closed_on=form.closed_on,
            password_is_provisional=True,
            password_expires_at=max(now, opening) + rules.emailed_password_validity,
            groups=[organisation_groups[gid] for gid in form.group_ids],
        )
        uow.session.add(user)
        uow.flush()
        letter = welcome_email(
            first_name=user.first_name,
            last_name=user.last_name,
            organisation=actor.organisation.name,
            login=user.login,
            password=password,
            expires_at=user.password_expires_at,
        )
        enqueue(
            uow,
            medium="email",
            recipient=form.email,
            subject=letter.subject,
            body=letter.body,
            now=now,
        )
        record(uow, "user_created", now=now, user_id=user.id, detail=f"by user {actor.id}")
        view = user_view(user, today)
        uow.commit()
    return view


def close_user(
    uow: UnitOfWork, *, actor_id: int, user_id: int, on: date, now: datetime
) -> UserView:
    """Set a user's closing date (access ends that day).

    Raises `NotAllowed("replace_admin")` for the administrator, `NotAllowed("close_self")`,
    `NotAllowed("not_your_user")` outside a responsable's groups, `DateError("in_the_past")`.
    """
    today = paris_today(now)
    with uow:
        actor = user_manager(uow.session, actor_id, today)
        user = colleague(uow.session, actor, user_id)
        if user.is_admin:
            raise NotAllowed("replace_admin")
        if user.id == actor.id:
            raise NotAllowed("close_self")
        if not actor.may_manage(user):
            raise NotAllowed("not_your_user")
        if on < today:
            raise DateError("in_the_past")
        user.closed_on = on
        record(uow, "user_closed", now=now, user_id=user.id, detail=f"by user {actor.id} on {on}")
        view = user_view(user, today)
        uow.commit()
    return view


def make_habilitation_manager(
    uow: UnitOfWork, *, actor_id: int, user_id: int, now: datetime
) -> UserView:
    """Name a user responsable d'habilitation; only the administrator may delegate so."""
    today = paris_today(now)
    with uow:
        actor = active_user(uow.session, actor_id, today)
        if not actor.is_admin:
            raise NotAllowed("admin_only")
        user = colleague(uow.session, actor, user_id)
        if user.is_admin:
            raise NotAllowed("replace_admin")
        if user.is_closed_on(today):
            raise NotAllowed("user_closed")
        user.is_habilitation_manager = True
        record(uow, "habilitation_manager_named", now=now, user_id=user.id)
        view = user_view(user, today)
        uow.commit()
    return view


def replace_admin(uow: UnitOfWork, *, actor_id: int, user_id: int, now: datetime) -> None:
    """Always `NotAllowed("replace_admin")`: only the CAF replaces an administrator.

    Kept as a function so the bot has one place to ask and one answer to give.
    """
    with uow:
        user_manager(uow.session, actor_id, paris_today(now))
    raise NotAllowed("replace_admin")
