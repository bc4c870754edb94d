"""Conversation state storage: one row per chat, locked for the length of a turn."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.core.db import UnitOfWork
from services.core.models import Conversation


@dataclass
class ConversationRecord:
    """A chat's state as plain values; the engine owns the meaning of `state`."""

    channel: str
    chat_id: str
    user_id: int | None = None
    bound_until: datetime | None = None
    state: dict[str, Any] = field(default_factory=dict)
    version: int = 0


def load_for_turn(uow: UnitOfWork, *, channel: str, chat_id: str) -> ConversationRecord:
    """The chat's state, locked until the turn's transaction ends (created empty if new)."""
    session = uow.session
    query = (
        select(Conversation)
        .where(Conversation.channel == channel, Conversation.chat_id == chat_id)
        .with_for_update()
    )
    row = session.scalars(query).one_or_none()
    if row is None:
        with uow:
            session.add(Conversation(channel=channel, chat_id=chat_id, state={}, version=0))
            # Another worker may have created it first; its row is read below.
            with contextlib.suppress(IntegrityError):
                uow.commit()
        row = session.scalars(query).one()
    return ConversationRecord(
        channel=row.channel,
        chat_id=row.chat_id,
        user_id=row.user_id,
        bound_until=row.bound_until,
        state=dict(row.state or {}),
        version=row.version,
    )


def save_turn(uow: UnitOfWork, record: ConversationRecord, *, now: datetime) -> None:
    """Write the chat's state back; the caller commits the turn."""
    row = uow.session.scalars(
        select(Conversation).where(
            Conversation.channel == record.channel, Conversation.chat_id == record.chat_id
        )
    ).one()
    row.user_id = record.user_id
    row.bound_until = record.bound_until
    row.state = record.state
    row.version = record.version + 1
    row.updated_at = now
    record.version = row.version


def chats_of_user(uow: UnitOfWork, *, user_id: int, now: datetime) -> list[tuple[str, str]]:
    """The chats currently bound to a user, as (channel, chat id)."""
    with uow:
        rows = uow.session.execute(
            select(Conversation.channel, Conversation.chat_id).where(
                Conversation.user_id == user_id, Conversation.bound_until > now
            )
        ).tuples()
        return [(channel, chat_id) for channel, chat_id in rows]
