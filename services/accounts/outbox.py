"""Letters and emails waiting for a gateway. Credentials travel only here, never in the chat,
the audit log or the application logs; a gateway reads `pending` and calls `mark_sent`.

A body is sealed at rest (`services.core.sealing`, key outside the database) and erased once
sent: the table never holds a usable password in clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select

from services.accounts.models import OutboxMessage
from services.core.db import UnitOfWork
from services.core.errors import NotFound

Medium = Literal["post", "email"]


@dataclass(frozen=True)
class OutboxItem:
    """One message as a gateway needs it."""

    id: int
    medium: str
    recipient: str
    subject: str
    body: str
    created_at: datetime
    sent_at: datetime | None


def _item(uow: UnitOfWork, row: OutboxMessage) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        medium=row.medium,
        recipient=row.recipient,
        subject=row.subject,
        body=uow.sealer.open(row.body) if row.body else "",
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


def enqueue(
    uow: UnitOfWork, *, medium: Medium, recipient: str, subject: str, body: str, now: datetime
) -> None:
    """Add a message to the caller's open unit of work; the caller commits with its own facts."""
    uow.session.add(
        OutboxMessage(
            medium=medium,
            recipient=recipient,
            subject=subject,
            body=uow.sealer.seal(body),
            created_at=now,
        )
    )


def pending(uow: UnitOfWork, *, limit: int = 100) -> list[OutboxItem]:
    """Messages not sent yet, oldest first."""
    with uow:
        rows = uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None))
            .order_by(OutboxMessage.id)
            .limit(limit)
        ).all()
        return [_item(uow, row) for row in rows]


def mark_sent(uow: UnitOfWork, *, message_id: int, now: datetime) -> None:
    """Record that a gateway delivered the message, and erase its body (it may hold a password)."""
    with uow:
        row = uow.session.get(OutboxMessage, message_id)
        if row is None:
            raise NotFound("outbox message")
        row.sent_at = now
        row.body = ""
        uow.commit()
