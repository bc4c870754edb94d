"""Thin Telegram handlers: update → `Inbound` → engine → `Reply` → Telegram messages.

No business rule lives here: the engine decides what to say, whether a button is still valid and
whether a message held a password. This module only translates, keeps per-chat pacing, and makes
sure a message carrying a password leaves the chat. Texts of users are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections import OrderedDict
from collections.abc import Awaitable, Sequence
from contextvars import ContextVar
from datetime import date
from typing import Protocol

from telegram import LinkPreviewOptions, Message, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from dialogs.io import Inbound, OutMessage, Reply
from dialogs.progress import REPORTER
from dialogs.texts import text
from dialogs.texts import text as text_of

from . import files
from .render import Outgoing, plan, with_choice_made

_LOG = logging.getLogger(__name__)

CHANNEL = "telegram"
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


# Set by a webhook worker around one update: the update ids whose reply Telegram could not take
# for a passing reason (network, server, flood limit), to be acknowledged with an error instead.
UNDELIVERED: ContextVar[list[int] | None] = ContextVar("undelivered", default=None)


def transient(error: TelegramError) -> bool:
    """A failure that sending again later may not meet (not a refusal of the message itself)."""
    return isinstance(error, NetworkError | RetryAfter) and not isinstance(error, BadRequest)


class Engine(Protocol):
    """What the channel needs from the dialog engine: one blocking call per turn, and the notice
    to send when a committed turn's reply could not be delivered."""

    def handle(self, inbound: Inbound) -> Reply: ...

    def undelivered(self, *, channel: str, chat_id: str, update_id: int) -> Reply: ...


def strip_bot_mention(text: str | None, username: str | None) -> str | None:
    """'/start@MonBot aide' → '/start aide': the engine knows commands, not bot names."""
    if not text or not text.startswith("/") or not username:
        return text
    command, _, rest = text.partition(" ")
    name, at, mention = command.partition("@")
    if at and mention.lower() == username.lower():
        return f"{name} {rest}" if rest else name
    return text


class TelegramChannel:
    """Registers the handlers on a PTB application and renders the engine's replies.

    Args:
        engine: the dialog engine; its `handle` blocks, so it runs in a worker thread.
        typing_after: seconds before a "typing…" indicator is shown for a slow turn.
        min_interval: minimum seconds between two messages to the same chat; AIORateLimiter
            only enforces the global and per-group limits.
    """

    def __init__(
        self, engine: Engine, *, typing_after: float = 0.5, min_interval: float = 0.05
    ) -> None:
        self._engine = engine
        self._typing_after = typing_after
        self._min_interval = min_interval
        self._last_sent: OrderedDict[int, float] = OrderedDict()

    def register(self, application: Application) -> None:
        """Messages of every kind (commands included, as text) and button presses."""
        application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, self.on_message))
        application.add_handler(CallbackQueryHandler(self.on_callback))
        application.add_error_handler(self.on_error)

    # --- handlers -----------------------------------------------------------------------------

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text, a command or a media message (which reaches the engine with no text).

        A redelivered update gets the reply its committed turn made, and a message that carried
        a password is deleted whichever process sees it: the engine knows both durably."""
        message = update.message
        if message is None:
            return
        chat = message.chat
        text = strip_bot_mention(message.text, context.bot.username)
        attachment = None
        if message.document is not None and chat.type == ChatType.PRIVATE:
            if files.too_large(message.document, date.today()):
                await context.bot.send_message(chat.id, text_of("utter_sheet_refused_too_large"))
                return
            attachment = await files.download(context.bot, message.document)
        inbound = Inbound(
            channel=CHANNEL,
            chat_id=str(chat.id),
            text=text,
            update_id=update.update_id,
            private_chat=chat.type == ChatType.PRIVATE,
            attachment=attachment,
        )
        reply = await self._turn(inbound, chat.id, context)
        if reply.inbound_was_secret:
            await self._delete(context, chat.id, message.message_id)
        await self._deliver(context, inbound, reply)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press: the engine resolves the key; we answer the query and mark the choice."""
        query = update.callback_query
        if query is None:
            return
        message = query.message
        if message is None:
            await self._answer(query.answer())
            return
        chat = message.chat
        inbound = Inbound(
            channel=CHANNEL,
            chat_id=str(chat.id),
            choice=query.data or "",
            update_id=update.update_id,
            private_chat=chat.type == ChatType.PRIVATE,
        )
        reply = await self._turn(inbound, chat.id, context)
        if reply.chosen_label is None and not reply.duplicate:
            await self._answer(query.answer(text("utter_telegram_stale_choice")))
        else:
            await self._answer(query.answer())
            if isinstance(message, Message) and reply.chosen_label is not None:
                await self._mark_choice(context, message, reply.chosen_label)
        await self._deliver(context, inbound, reply)

    async def _deliver(
        self, context: ContextTypes.DEFAULT_TYPE, inbound: Inbound, reply: Reply
    ) -> None:
        """Send the reply; if Telegram refuses part of it after the turn was committed, the user
        is told what is stored and offered the receipt again instead of being left with nothing."""
        chat_id = int(inbound.chat_id)
        try:
            await self._send(context, chat_id, reply.messages)
        except TelegramError as exc:
            _LOG.warning("A reply could not be delivered: %s", type(exc).__name__)
            if inbound.update_id is None:
                raise
            waiting = UNDELIVERED.get()
            if waiting is not None and transient(exc):
                # A webhook then answers 503: Telegram sends the update again, and the engine
                # answers it with this committed turn's reply.
                waiting.append(inbound.update_id)
                return
            notice = await asyncio.to_thread(
                self._engine.undelivered,
                channel=CHANNEL,
                chat_id=inbound.chat_id,
                update_id=inbound.update_id,
            )
            await self._send(context, chat_id, notice.messages)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure without personal data and tell the user to try again."""
        error = context.error
        kind = type(error).__name__ if error is not None else "unknown"
        where = ""
        if error is not None and error.__traceback__ is not None:
            frames = traceback.extract_tb(error.__traceback__)[-3:]
            where = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in frames)
        update_id = update.update_id if isinstance(update, Update) else None
        # The exception message may quote what the user wrote: only its type and location.
        _LOG.error("Telegram update %s failed: %s at %s", update_id, kind, where)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(
                    update.effective_chat.id, text("utter_telegram_technical_error")
                )
            except TelegramError as exc:
                _LOG.warning("Could not send the error notice: %s", type(exc).__name__)

    # --- helpers ------------------------------------------------------------------------------

    async def _turn(
        self, inbound: Inbound, chat_id: int, context: ContextTypes.DEFAULT_TYPE
    ) -> Reply:
        """Run the engine in a thread; show "typing…" only when the turn is slow."""
        reporter = files.ProgressMessage(context.bot, chat_id, asyncio.get_running_loop())
        token = REPORTER.set(reporter)
        try:
            task = asyncio.ensure_future(asyncio.to_thread(self._engine.handle, inbound))
        finally:
            REPORTER.reset(token)
        done, _ = await asyncio.wait({task}, timeout=self._typing_after)
        if not done:
            try:
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as exc:
                _LOG.info("Typing indicator failed: %s", type(exc).__name__)
        return await task

    async def _send(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        messages: Sequence[OutMessage],
    ) -> None:
        for item in plan(messages):
            await self._pace(chat_id)
            await self._send_one(context, chat_id, item)
            self._mark_sent(chat_id)

    async def _send_one(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, item: Outgoing
    ) -> None:
        if item.document is not None and item.document.mime_type.startswith("image/"):
            await context.bot.send_photo(
                chat_id,
                photo=item.document.content,
                filename=item.document.filename,
                caption=item.html_text or None,
                parse_mode=ParseMode.HTML,
                reply_markup=item.keyboard,
            )
            return
        if item.document is not None:
            await context.bot.send_document(
                chat_id,
                document=item.document.content,
                filename=item.document.filename,
                caption=item.html_text or None,
                parse_mode=ParseMode.HTML,
                reply_markup=item.keyboard,
            )
            return
        await context.bot.send_message(
            chat_id,
            item.html_text,
            parse_mode=ParseMode.HTML,
            reply_markup=item.keyboard,
            link_preview_options=_NO_PREVIEW,
        )

    async def _pace(self, chat_id: int) -> None:
        """Keep at least `min_interval` between two messages to one chat."""
        last = self._last_sent.get(chat_id)
        if last is None:
            return
        wait = last + self._min_interval - asyncio.get_running_loop().time()
        if wait > 0:
            await asyncio.sleep(wait)

    def _mark_sent(self, chat_id: int) -> None:
        self._last_sent[chat_id] = asyncio.get_running_loop().time()
        self._last_sent.move_to_end(chat_id)
        while len(self._last_sent) > 10_000:
            self._last_sent.popitem(last=False)

    async def _mark_choice(
        self, context: ContextTypes.DEFAULT_TYPE, message: Message, label: str
    ) -> None:
        """Show the choice made on the message that carried the keyboard, and drop the keyboard."""
        try:
            if message.text is not None:
                await context.bot.edit_message_text(
                    with_choice_made(message.text, label),
                    chat_id=message.chat.id,
                    message_id=message.message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=None,
                    link_preview_options=_NO_PREVIEW,
                )
            else:
                await context.bot.edit_message_reply_markup(
                    chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
                )
        except TelegramError as exc:
            # E.g. "message is not modified" or a message too old to edit: cosmetic only.
            _LOG.info("Could not mark the choice made: %s", type(exc).__name__)

    async def _delete(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: int
    ) -> None:
        try:
            await context.bot.delete_message(chat_id, message_id)
        except TelegramError as exc:
            _LOG.warning("Could not delete a password message: %s", type(exc).__name__)

    @staticmethod
    async def _answer(answer: Awaitable[object]) -> None:
        """Await a callback-query answer; a late answer (query expired) is not worth an error."""
        try:
            await answer
        except TelegramError as exc:
            _LOG.info("Callback query answer failed: %s", type(exc).__name__)
