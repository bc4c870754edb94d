"""The acting user of a declaration's turns as plain values, read in one statement built once.

A turn checks the first connection before each action that needs a login, then the rent form
reads the tenant's facts and the transmission writes them: each starts from the acting user and
their organisation. Read as ORM objects, that was a tenth of a turn's CPU (the statement's row
processors, two objects with their instance state); these services need only a few values, so
they read them as `Acting`, once per transaction (`services.core.memo`, forgotten by any write,
read again then). Services that change a user, or need their habilitation groups (a scope that is
not the whole organisation), read the ORM `User` (`services.accounts.actor`) as before.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from services.accounts.actor import open_on
from services.accounts.models import Organisation, User, display_name, first_login_steps
from services.core.conversations import (
    CONVERSATIONS,
    ConversationRecord,
    load_for_turn,
    lock_statement,
)
from services.core.db import UnitOfWork
from services.core.memo import remember, remembered
from services.core.plain import plain_rows


@dataclass(frozen=True)
class Acting:
    """What the hot path needs of a user and their organisation."""

    id: int
    organisation_id: int
    organisation_name: str
    organisation_first_connected_at: datetime | None
    is_admin: bool
    login: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    password_is_provisional: bool
    accepted_rules_at: datetime | None
    accepted_terms_at: datetime | None
    opened_on: date | None
    closed_on: date | None

    @property
    def display_name(self) -> str:
        return display_name(self.first_name, self.last_name, self.login)

    def first_login_remaining(self) -> tuple[str, ...]:
        return first_login_steps(
            email=self.email,
            phone=self.phone,
            password_is_provisional=self.password_is_provisional,
            accepted_rules_at=self.accepted_rules_at,
            accepted_terms_at=self.accepted_terms_at,
        )


_COLUMNS = (
    User.id,
    User.organisation_id,
    Organisation.name.label("organisation_name"),
    Organisation.first_connected_at.label("organisation_first_connected_at"),
    User.is_admin,
    User.login,
    User.first_name,
    User.last_name,
    User.email,
    User.phone,
    User.password_is_provisional,
    User.accepted_rules_at,
    User.accepted_terms_at,
    User.opened_on,
    User.closed_on,
)
_FIELDS = tuple(field.name for field in fields(Acting))
# Plain rows read on the session's connection (`plain_rows`), pending changes flushed first (a
# contact typed in this transaction is seen), as `Session.get` saw them.
_READ = (
    select(*_COLUMNS)
    .join(Organisation, Organisation.id == User.organisation_id)
    .where(User.id == bindparam("user_id"))
)
# A turn's first statement, the chat's locking read, also reads the bound user's values: one
# statement fewer in every turn of a logged-in user (outer joins: a chat nobody is bound to has
# a row too; only the conversation's row is locked).
_USERS: Table = User.__table__  # type: ignore[assignment]
_ORGANISATIONS: Table = Organisation.__table__  # type: ignore[assignment]
_TURN = lock_statement(
    CONVERSATIONS.outerjoin(_USERS, _USERS.c.id == CONVERSATIONS.c.user_id).outerjoin(
        _ORGANISATIONS, _ORGANISATIONS.c.id == _USERS.c.organisation_id
    ),
    *(column.label(f"acting_{name}") for name, column in zip(_FIELDS, _COLUMNS, strict=True)),
)


def load_for_turn_acting(uow: UnitOfWork, *, channel: str, chat_id: str) -> ConversationRecord:
    """`load_for_turn`, the bound user's values remembered for the transaction as `acting`
    would have read them (at the same moment, under the same lock)."""
    record = load_for_turn(uow, channel=channel, chat_id=chat_id, statement=_TURN)
    values = {name: record.extra.pop(f"acting_{name}") for name in _FIELDS}
    if record.user_id is not None and values["id"] == record.user_id:
        remember(uow.session, ("acting", record.user_id), Acting(**values))
    return record


def acting(session: Session, user_id: int) -> Acting | None:
    """The user's values, or None for an unknown user; read once per transaction."""

    def read() -> Acting | None:
        row = plain_rows(session, _READ, {"user_id": user_id}).one_or_none()
        return None if row is None else Acting(**row._asdict())

    return remembered(session, ("acting", user_id), read)


def active(session: Session, user_id: int | None, today: date) -> Acting:
    """The acting user, refused when unknown, closed or not yet open (as `active_user`)."""
    return open_on(acting(session, user_id) if user_id is not None else None, today)
