"""The acting user of a request: every service that acts for someone starts here, so a closed or
not yet opened account can do nothing, and user management is reserved to those who manage."""

from __future__ import annotations

from datetime import date
from typing import Protocol, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.util import identity_key

from services.accounts.models import User, closed_by
from services.core.errors import NotAllowed, NotFound


class Dated(Protocol):
    """An account's opening and closing dates (the ORM `User`, or `acting.Acting`)."""

    @property
    def opened_on(self) -> date | None: ...

    @property
    def closed_on(self) -> date | None: ...


U = TypeVar("U", bound=Dated)


def open_on(user: U | None, today: date) -> U:
    """`user`, refused when unknown, closed or not yet open."""
    if user is None or closed_by(user.closed_on, today):
        raise NotAllowed("no active user")
    if user.opened_on is not None and user.opened_on > today:
        raise NotAllowed("user not yet open")
    return user


def active_user(session: Session, user_id: int | None, today: date) -> User:
    """The acting user, refused when unknown or closed."""
    return open_on(acting_user(session, user_id) if user_id is not None else None, today)


# Built once: `Session.get` built this statement, and computed its cache key, at every call.
_WITH_ORGANISATION = (
    select(User)
    .options(joinedload(User.organisation, innerjoin=True))
    .where(User.id == bindparam("user_id"))
)


def acting_user(session: Session, user_id: int) -> User | None:
    """The user with their organisation, in one statement (every service that acts for someone
    reads both; a user already read in this transaction is not read again)."""
    known = session.identity_map.get(identity_key(User, user_id))
    if known is not None:
        return known
    return session.scalars(_WITH_ORGANISATION, {"user_id": user_id}).one_or_none()


def user_manager(session: Session, actor_id: int, today: date) -> User:
    """The acting user if they manage users; `NotAllowed("not_habilitation_manager")` if not."""
    actor = active_user(session, actor_id, today)
    if not actor.manages_users:
        raise NotAllowed("not_habilitation_manager")
    return actor


def colleague(session: Session, actor: User, user_id: int) -> User:
    """A user of the actor's organisation, `NotFound` otherwise (no hint it exists)."""
    user = session.get(User, user_id)
    if user is None or user.organisation_id != actor.organisation_id:
        raise NotFound("user")
    return user
