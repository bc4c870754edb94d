"""The weekly reminders on Telegram: a daily job of PTB's JobQueue, and the delivery of one
reminder through a `Bot` (also used by `bailleur-bot remind` from a system scheduler).

Every run asks the same question, "who is due this week?"; the database answers it and guards
each user's week, so the daily runs, a cron job and several workers never remind anyone twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import time
from typing import Any, Protocol

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from dialogs.io import Reply
from services.core.clock import PARIS

from .render import plan

_LOG = logging.getLogger(__name__)
CHANNEL = "telegram"
JOB_NAME = "weekly-reminders"


class ReminderSender(Protocol):
    """What the job needs (`dialogs.actions.reminders.weekly.WeeklyReminders`)."""

    async def send_due(
        self, channel: str, deliver: Callable[[Any, Reply], Awaitable[bool]]
    ) -> Any: ...


def deliverer(bot: Bot) -> Callable[[Any, Reply], Awaitable[bool]]:
    """Sends a reminder's reply to its chat; False when Telegram refuses (bot blocked, chat
    gone), so its week is given back."""

    async def deliver(reminder: Any, reply: Reply) -> bool:
        try:
            chat_id = int(reminder.chat_id)
            for item in plan(reply.messages):
                await bot.send_message(
                    chat_id, item.html_text, parse_mode=ParseMode.HTML, reply_markup=item.keyboard
                )
        except (TelegramError, ValueError) as exc:
            _LOG.warning("A reminder could not be delivered: %s", type(exc).__name__)
            return False
        return True

    return deliver


async def send_reminders(bot: Bot, reminders: ReminderSender) -> Any:
    return await reminders.send_due(CHANNEL, deliverer(bot))


def schedule_reminders(application: Application, reminders: ReminderSender, *, hour: int) -> bool:
    """Run the reminders every day at `hour` (Paris time); False when PTB has no JobQueue (the
    job-queue extra is missing), in which case a system scheduler runs `bailleur-bot remind`."""
    job_queue = application.job_queue
    if job_queue is None:
        _LOG.warning("No JobQueue: install python-telegram-bot[job-queue] for the reminders")
        return False

    async def job(context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await send_reminders(context.bot, reminders)
        except Exception as exc:  # a failed run must not stop the next day's
            _LOG.error("Reminders run failed: %s", type(exc).__name__)

    job_queue.run_daily(job, time=time(hour=hour, tzinfo=PARIS), name=JOB_NAME)
    return True
