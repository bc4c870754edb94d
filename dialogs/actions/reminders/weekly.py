"""The weekly reminders as the channels send them: who is due, the message with its buttons, and
the week's guard around each delivery. Channel-neutral: a channel passes what delivers a `Reply`.

`send_due` claims each user's week before delivering (the database guard that stops a second
worker), and gives it back when the delivery fails, so a later run tries again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from dialogs.actions.reminders.wording import reminder_buttons, reminder_values
from dialogs.context import ActionContext
from dialogs.engine.notices import notice
from dialogs.io import Choice, OutMessage, Reply
from services.reminders.weekly import Reminder, claim_week, due_reminders, release_week

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    sent: int
    skipped: int


class WeeklyReminders:
    def __init__(self, context: ActionContext) -> None:
        self.context = context

    def due(self, channel: str) -> list[Reminder]:
        return due_reminders(
            self.context.uow_factory(), today=self.context.today(), channel=channel
        )

    def message(self, reminder: Reminder) -> Reply:
        """The reminder, its buttons offered to the user's chat."""
        return notice(
            self.context.uow_factory,
            self.context.domain,
            self.context.clock,
            channel=reminder.channel,
            chat_id=reminder.chat_id,
            response="utter_reminder",
            values=reminder_values(reminder),
            buttons=reminder_buttons(),
        )

    def preview(self, reminder: Reminder) -> Reply:
        """The reminder as it would read, offered to nobody (a dry run)."""
        rendered = self.context.domain.render("utter_reminder", **reminder_values(reminder))
        choices = tuple(Choice(label=b["title"], key="") for b in reminder_buttons())
        return Reply(messages=(OutMessage(text=rendered.text, choices=choices),))

    def claim(self, reminder: Reminder) -> bool:
        return claim_week(
            self.context.uow_factory(),
            user_id=reminder.user_id,
            today=self.context.today(),
            now=self.context.now(),
            channel=reminder.channel,
        )

    def release(self, reminder: Reminder) -> None:
        release_week(
            self.context.uow_factory(), user_id=reminder.user_id, today=self.context.today()
        )

    async def send_due(
        self, channel: str, deliver: Callable[[Reminder, Reply], Awaitable[bool]]
    ) -> Outcome:
        """Remind every user due on `channel`, each at most once this week."""
        sent = skipped = 0
        for reminder in await asyncio.to_thread(self.due, channel):
            if not await asyncio.to_thread(self.claim, reminder):
                skipped += 1
                continue
            delivered = False
            try:
                reply = await asyncio.to_thread(self.message, reminder)
                delivered = await deliver(reminder, reply)
            finally:
                if not delivered:
                    await asyncio.to_thread(self.release, reminder)
                    skipped += 1
            if delivered:
                sent += 1
        _LOG.info("Reminders on %s: %d sent, %d skipped", channel, sent, skipped)
        return Outcome(sent=sent, skipped=skipped)
