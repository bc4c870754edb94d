"""/rappels: says whether the weekly reminders are on and offers to switch them, or switches them
when the message or button says which ("ne plus me rappeler", "activer les rappels").

The chat reminded is the one the user chose from; the user is the session's, never a slot.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import plain
from dialogs.actions.core.base import BotAction, session_user
from dialogs.actions.reminders.wording import reminded_period
from dialogs.payloads import payload
from dialogs.texts import text, words
from dialogs.wording import count
from services.core.errors import InvalidValue, NotAllowed
from services.declarations.views import rent_campaign
from services.reminders.choices import choose_reminders, reminders_enabled
from services.reminders.weekly import in_reminder_window


def wanted(tracker: Tracker) -> bool | None:
    """On (True), off (False) or not said (None), from the button or the words typed."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "reminders_enabled" and isinstance(entity.get("value"), bool):
            return bool(entity["value"])
    typed = plain(str(tracker.latest_message.get("text") or "")).replace("-", " ")
    if typed.startswith("/") or any(word in typed for word in words("reminders_question")):
        return None
    if any(word in typed for word in words("reminders_off")):
        return False
    if any(word in typed for word in words("reminders_on")):
        return True
    return None


class ActionManageReminders(BotAction):
    requires_login = True

    def name(self) -> str:
        return "action_manage_reminders"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        today = self.context.today()
        user_id = session_user(tracker)
        period = reminded_period(today)
        choice = wanted(tracker)
        channel, _, chat_id = tracker.sender_id.partition(":")
        try:
            if choice is None:
                enabled = reminders_enabled(self.context.uow(), user_id=user_id, today=today)
            else:
                enabled = choose_reminders(
                    self.context.uow(),
                    user_id=user_id,
                    today=today,
                    now=self.context.now(),
                    enabled=choice,
                    channel=channel,
                    chat_id=chat_id,
                )
        except (InvalidValue, NotAllowed):
            dispatcher.utter_message(response="utter_reminders_unavailable")
            return []
        if choice is None:
            switch = not enabled
            key = "on" if switch else "off"
            dispatcher.utter_message(
                response="utter_reminders_are_on" if enabled else "utter_reminders_are_off",
                buttons=[
                    {
                        "title": text(f"utter_button_reminders_{key}"),
                        "payload": payload("manage_reminders", reminders_enabled=switch),
                    }
                ],
                **period,
            )
            return []
        if not enabled:
            dispatcher.utter_message(response="utter_reminders_now_off")
            return []
        dispatcher.utter_message(response="utter_reminders_now_on", **period)
        if in_reminder_window(today):
            self._left_now(dispatcher, user_id, today)
        return []

    def _left_now(self, dispatcher: CollectingDispatcher, user_id: int | None, today: date) -> None:
        campaign = rent_campaign(self.context.uow(), user_id=user_id, today=today)
        if campaign.total == 0:
            return
        if not campaign.remaining:
            dispatcher.utter_message(
                response="utter_reminders_nothing_left_now", year=campaign.year
            )
            return
        dispatcher.utter_message(
            response="utter_reminders_left_now",
            remaining=count(len(campaign.remaining), "rent"),
            total=campaign.total,
            buttons=[
                {"title": text("utter_button_reminder_start"), "payload": payload("declare_rent")}
            ],
        )


ACTIONS = (ActionManageReminders,)
