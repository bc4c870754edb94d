"""Conversation state storage: one row per chat, locked for the length of a turn.

A turn reads and locks its row in one statement (`SELECT ... FOR UPDATE`; SQLite's write lock is
already held from `BEGIN IMMEDIATE`) and writes it back with one `UPDATE`. A new chat's row is
created with an insert that tolerates a race (`ON CONFLICT DO NOTHING`): when two workers take the
first message of a chat at once, one creates the row and the other simply waits for its lock.
The last replies are kept on the row so that an update delivered again is answered again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Row,
    Select,
    Table,
    bindparam,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from services.core.db import UnitOfWork
from services.core.models import Conversation

_TABLE: Table = Conversation.__table__  # type: ignore[assignment]
_COLUMNS: tuple[Any, ...] = (
    _TABLE.c.id,
    _TABLE.c.user_id,
    _TABLE.c.bound_until,
    _TABLE.c.state,
    _TABLE.c.replies,
    _TABLE.c.version,
    # The bound user's organisation's scope version (migration 0008), read in the same statement
    # so the engine knows whether the tenant names it cached are still right.
    literal_column(
        "(SELECT organisations.scope_version FROM users JOIN organisations"
        " ON organisations.id = users.organisation_id WHERE users.id = conversations.user_id)"
    ).label("scope_version"),
)


@dataclass
class ConversationRecord:
    """A chat's state as plain values; the engine owns the meaning of `state` and `replies`."""

    channel: str
    chat_id: str
    user_id: int | None = None
    bound_until: datetime | None = None
    state: dict[str, Any] = field(default_factory=dict)
    replies: list[dict[str, Any]] = field(default_factory=list)
    version: int = 0
    row_id: int | None = None
    scope_version: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


CONVERSATIONS = _TABLE


def lock_statement(source: FromClause, *extra: ColumnElement[Any]) -> Select[Any]:
    """The locking read of a chat's row, from `source` (the table, or the table joined to
    others, outer joins only) with `extra` columns that the record keeps in `extra`. Build it
    once: building a statement anew at each turn (and its cache key) cost more than running it."""
    return (
        select(*_COLUMNS, *extra)
        .select_from(source)
        .where(_TABLE.c.channel == bindparam("channel"), _TABLE.c.chat_id == bindparam("chat_id"))
        .with_for_update(of=_TABLE)
    )


# The two statements of every turn, built once with bound parameters.
_LOCKED = lock_statement(_TABLE)
_KNOWN = frozenset(column.name for column in _COLUMNS)
_SAVE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("row_id"))
    .values(
        {
            _TABLE.c[name]: bindparam(name, type_=_TABLE.c[name].type)
            for name in ("user_id", "bound_until", "state", "replies", "version", "updated_at")
        }
    )
)


def _locked(uow: UnitOfWork, channel: str, chat_id: str, statement: Select[Any]) -> Row[Any] | None:
    # On the session's connection, past the ORM's execution steps (events, compile state): the
    # statement reads no mapped object and writes nothing the turn's memo could have read.
    connection = uow.session.connection()
    return connection.execute(statement, {"channel": channel, "chat_id": chat_id}).one_or_none()


def _create(uow: UnitOfWork, channel: str, chat_id: str) -> None:
    values = {"channel": channel, "chat_id": chat_id, "state": {}, "version": 0}
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    uow.session.execute(insert(_TABLE).values(**values).on_conflict_do_nothing())


def load_for_turn(
    uow: UnitOfWork, *, channel: str, chat_id: str, statement: Select[Any] = _LOCKED
) -> ConversationRecord:
    """The chat's state, locked until the turn's transaction ends (created empty if new);
    `statement`: a `lock_statement` reading more with it."""
    row = _locked(uow, channel, chat_id, statement)
    if row is None:
        _create(uow, channel, chat_id)
        row = _locked(uow, channel, chat_id, statement)
    if row is None:  # pragma: no cover - the insert above or a concurrent one made it
        raise RuntimeError("conversation row could not be created")
    return ConversationRecord(
        channel=channel,
        chat_id=chat_id,
        user_id=row.user_id,
        bound_until=row.bound_until,
        state=dict(row.state or {}),
        replies=list(row.replies or []),
        version=row.version,
        row_id=row.id,
        scope_version=row.scope_version,
        extra={key: value for key, value in row._mapping.items() if key not in _KNOWN},
    )


def save_turn(uow: UnitOfWork, record: ConversationRecord, *, now: datetime) -> None:
    """Write the chat's state back in one statement; the caller commits the turn. Run on the
    session's connection as the locking read is: the turn's last statement, at the turn's own
    level (no service's savepoint to open), on the conversation only (nothing of the memo)."""
    uow.session.connection().execute(
        _SAVE,
        {
            "row_id": record.row_id,
            "user_id": record.user_id,
            "bound_until": record.bound_until,
            "state": record.state,
            "replies": record.replies or None,
            "version": record.version + 1,
            "updated_at": now,
        },
    )
    record.version += 1


def chats_of_user(uow: UnitOfWork, *, user_id: int, now: datetime) -> list[tuple[str, str]]:
    """The chats currently bound to a user, as (channel, chat id)."""
    with uow:
        rows = uow.session.execute(
            select(_TABLE.c.channel, _TABLE.c.chat_id).where(
                _TABLE.c.user_id == user_id, _TABLE.c.bound_until > now
            )
        ).tuples()
        return [(channel, chat_id) for channel, chat_id in rows]
