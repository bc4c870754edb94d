"""The reminder shown at login, to a user who asked for reminders and has rents left this
campaign, once a week like the others (the same guard): a terminal user has no other way to get
it, and a Telegram user who just logged in need not get it again the same week."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from dialogs.actions.reminders.wording import reminder_values
from dialogs.context import ActionContext
from services.reminders.weekly import remind_once


def remind_at_login(
    context: ActionContext, dispatcher: CollectingDispatcher, *, user_id: int | None, sender: str
) -> None:
    if user_id is None:
        return
    reminder = remind_once(
        context.uow(),
        user_id=user_id,
        today=context.today(),
        now=context.now(),
        channel=sender.partition(":")[0],
    )
    if reminder is not None:
        dispatcher.utter_message(response="utter_reminder_at_login", **reminder_values(reminder))
