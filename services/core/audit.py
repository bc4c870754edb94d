"""The audit trail: what happened to whom, never a password nor a full personal record."""

from __future__ import annotations

from datetime import datetime

from services.core.db import UnitOfWork
from services.core.models import AuditEvent


def record(
    uow: UnitOfWork,
    event: str,
    *,
    now: datetime,
    user_id: int | None = None,
    chat_ref: str = "",
    detail: str = "",
) -> None:
    """Add an audit row to the caller's open unit of work; the caller commits."""
    uow.session.add(
        AuditEvent(at=now, event=event, user_id=user_id, chat_ref=chat_ref, detail=detail[:300])
    )
