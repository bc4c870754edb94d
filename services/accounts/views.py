"""What the bot shows about accounts: the steps of the first connection still to do, the user
list of « Mes utilisateurs » and a user's name.

Read-only queries: they take a unit of work and return plain values, never an ORM object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.accounts.acting import acting
from services.accounts.actor import user_manager
from services.accounts.models import User
from services.core.clock import paris_today
from services.core.db import UnitOfWork
from services.core.errors import NotFound
from services.core.memo import remembered


@dataclass(frozen=True)
class FirstLoginState:
    """The steps still to do, in the order the CAF's screens ask them."""

    user_id: int
    remaining: tuple[str, ...]
    organisation_never_connected: bool

    @property
    def done(self) -> bool:
        return not self.remaining


@dataclass(frozen=True)
class UserView:
    """A user as the administrator sees it; never a password nor a hash."""

    id: int
    login: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    mobile_worker: bool
    is_admin: bool
    is_habilitation_manager: bool
    opened_on: date | None
    closed_on: date | None
    active: bool
    group_ids: tuple[int, ...]
    group_labels: tuple[str, ...]


def user_view(user: User, today: date) -> UserView:
    groups = sorted(user.groups, key=lambda g: g.id)
    return UserView(
        id=user.id,
        login=user.login,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        phone=user.phone,
        mobile_worker=user.mobile_worker,
        is_admin=user.is_admin,
        is_habilitation_manager=user.is_habilitation_manager,
        opened_on=user.opened_on,
        closed_on=user.closed_on,
        active=user.is_open_on(today),
        group_ids=tuple(g.id for g in groups),
        group_labels=tuple(g.label for g in groups),
    )


def list_users(uow: UnitOfWork, *, actor_id: int, now: datetime) -> list[UserView]:
    """The organisation's users for the administrator; for a responsable d'habilitation,
    themselves and the users they manage."""
    today = paris_today(now)
    with uow:
        actor = user_manager(uow.session, actor_id, today)
        users = sorted(actor.organisation.users, key=lambda u: (u.last_name, u.first_name, u.id))
        if not actor.is_admin:
            users = [u for u in users if u.id == actor.id or actor.may_manage(u)]
        return [user_view(user, today) for user in users]


def user_display_name(uow: UnitOfWork, *, user_id: int) -> str:
    with uow:
        user = uow.session.get(User, user_id)
        return user.display_name if user else ""


def first_login_state_of(user: User) -> FirstLoginState:
    return FirstLoginState(
        user_id=user.id,
        remaining=user.first_login_remaining(),
        organisation_never_connected=user.organisation.first_connected_at is None,
    )


def first_login_state(uow: UnitOfWork, *, user_id: int) -> FirstLoginState:
    """Which steps of the first connection remain for this user (read once per transaction:
    a declaration's turn asks before each action that needs a login; `services.core.memo`)."""
    with uow:
        session = uow.session

        def read() -> FirstLoginState:
            user = acting(session, user_id)
            if user is None:
                raise NotFound("user")
            return FirstLoginState(
                user_id=user.id,
                remaining=user.first_login_remaining(),
                organisation_never_connected=user.organisation_first_connected_at is None,
            )

        return remembered(session, ("first_login_state", user_id), read)
