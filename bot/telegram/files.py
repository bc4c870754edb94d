"""Files users send on Telegram (a spreadsheet of rents) and the progress of a long turn.

A document is fetched with getFile and downloaded into memory only when it is small enough to be
read; a larger one is refused at once, without downloading it. While a turn transmits hundreds
of rents, one message is sent then edited as it goes ("Transmission : 1 200 / 1 987"), at most
once a second, from the engine's worker thread onto the bot's event loop; a report marked last
stays as it is (the estimate said first), and the next one is a new message.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date

from telegram import Bot, Document
from telegram.error import TelegramError

from dialogs.io import Document as Attachment
from services.core.rules import rules_on

_LOG = logging.getLogger(__name__)
EDIT_EVERY = 1.0
WAIT_FOR_TELEGRAM = 10.0


def too_large(document: Document, today: date) -> bool:
    return (document.file_size or 0) > int(rules_on("spreadsheets", today)["max_bytes"])


async def download(bot: Bot, document: Document) -> Attachment:
    """The document's bytes, as the engine's attachment."""
    file = await bot.get_file(document.file_id)
    content = bytes(await file.download_as_bytearray())
    return Attachment(
        filename=document.file_name or "document",
        content=content,
        mime_type=document.mime_type or "application/octet-stream",
    )


class ProgressMessage:
    """A progress reporter for one turn: the first report sends a message, later ones edit it."""

    def __init__(self, bot: Bot, chat_id: int, loop: asyncio.AbstractEventLoop) -> None:
        self._bot = bot
        self._chat_id = chat_id
        self._loop = loop
        self._message_id: int | None = None
        self._shown_at = 0.0

    def __call__(self, text: str, last: bool) -> None:
        now = time.monotonic()
        if self._message_id is not None and not last and now - self._shown_at < EDIT_EVERY:
            return
        self._shown_at = now
        future = asyncio.run_coroutine_threadsafe(self._show(text), self._loop)
        try:
            future.result(timeout=WAIT_FOR_TELEGRAM)
        except (TelegramError, TimeoutError) as exc:
            _LOG.info("Progress not shown: %s", type(exc).__name__)
        if last:
            self._message_id = None  # a report after the last one is a message of its own

    async def _show(self, text: str) -> None:
        if self._message_id is None:
            message = await self._bot.send_message(self._chat_id, text)
            self._message_id = message.message_id
        else:
            await self._bot.edit_message_text(
                text, chat_id=self._chat_id, message_id=self._message_id
            )
