"""Spreadsheets the user sent, kept for their chat until "Valider" (or a day at most).

The file is kept rather than its verdicts: at "Valider" its lines are checked again against the
data of that moment, so a rent declared meanwhile by a colleague is never sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from services.core.clock import paris_today
from services.core.db import UnitOfWork
from services.core.errors import NotFound
from services.core.rules import rules_on
from services.declarations.models import SpreadsheetUpload

MAX_FILENAME = 200


@dataclass(frozen=True)
class Upload:
    upload_id: int
    filename: str
    content: bytes


def store_upload(
    uow: UnitOfWork, *, channel: str, chat_id: str, filename: str, content: bytes, now: datetime
) -> int:
    """Keep the file for this chat (replacing the chat's earlier ones) and return its id."""
    with uow:
        session = uow.session
        kept = timedelta(hours=int(rules_on("spreadsheets", paris_today(now))["kept_hours"]))
        session.execute(
            delete(SpreadsheetUpload).where(
                ((SpreadsheetUpload.channel == channel) & (SpreadsheetUpload.chat_id == chat_id))
                | (SpreadsheetUpload.uploaded_at < now - kept)
            )
        )
        upload = SpreadsheetUpload(
            channel=channel,
            chat_id=chat_id,
            filename=filename[-MAX_FILENAME:],
            content=content,
            uploaded_at=now,
        )
        session.add(upload)
        uow.flush()
        uow.commit()
        return upload.id


def load_upload(
    uow: UnitOfWork, *, channel: str, chat_id: str, upload_id: int, now: datetime
) -> Upload:
    """The file this chat sent; `NotFound` for another chat's file or one too old."""
    with uow:
        kept = timedelta(hours=int(rules_on("spreadsheets", paris_today(now))["kept_hours"]))
        upload = uow.session.scalars(
            select(SpreadsheetUpload).where(
                SpreadsheetUpload.id == upload_id,
                SpreadsheetUpload.channel == channel,
                SpreadsheetUpload.chat_id == chat_id,
                SpreadsheetUpload.uploaded_at >= now - kept,
            )
        ).one_or_none()
        if upload is None:
            raise NotFound("upload")
        return Upload(upload.id, upload.filename, upload.content)
