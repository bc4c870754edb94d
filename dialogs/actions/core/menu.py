"""Greeting, help, menu and fallback: the conversation's signposts."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import BotAction, session_user
from dialogs.payloads import payload
from dialogs.texts import text
from services.accounts.views import first_login_state, user_display_name
from services.core.errors import NotFound

# The main choices, in the menu's order: (intent, needs a login); titles are `utter_button_<intent>`.
MENU: tuple[tuple[str, bool], ...] = (
    ("declare_rent", True),
    ("list_tenants", True),
    ("declare_change", True),
    ("report_unpaid", True),
    ("view_payments", True),
    ("manage_users", True),
    ("login", False),
    ("faq_lost_identifier", False),
    ("faq_forgot_password", False),
    ("contact_caf", False),
)


def menu_buttons(domain: DomainDict, logged_in: bool) -> list[dict[str, Any]]:
    """The main choices that exist in this domain, for a logged-in user or a visitor."""
    rules = {
        rule["steps"][0]["intent"]
        for rule in domain.get("__rules__", [])
        if rule.get("steps") and "intent" in rule["steps"][0]
    }
    known = set(domain.get("intents", []))
    return [
        {"title": text(f"utter_button_{intent}"), "payload": payload(intent)}
        for intent, needs_login in MENU
        if needs_login == logged_in and intent in known and (not rules or intent in rules)
    ]


class ActionGreet(BotAction):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        user_id = session_user(tracker)
        if user_id is None:
            dispatcher.utter_message(response="utter_greet")
            dispatcher.utter_message(
                response="utter_please_login", buttons=menu_buttons(domain, logged_in=False)
            )
            return []
        name = user_display_name(self.context.uow(), user_id=user_id)
        dispatcher.utter_message(
            response="utter_greet_logged_in", name=name, buttons=menu_buttons(domain, True)
        )
        return []


class ActionHelp(BotAction):
    def name(self) -> str:
        return "action_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        logged_in = session_user(tracker) is not None
        dispatcher.utter_message(response="utter_help", buttons=menu_buttons(domain, logged_in))
        return []


class ActionMainMenu(BotAction):
    def name(self) -> str:
        return "action_main_menu"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        user_id = session_user(tracker)
        if user_id is not None and self._first_login_unfinished(user_id):
            dispatcher.utter_message(response="utter_first_login_pending")
        dispatcher.utter_message(
            response="utter_menu", buttons=menu_buttons(domain, user_id is not None)
        )
        return []

    def _first_login_unfinished(self, user_id: int) -> bool:
        try:
            return bool(first_login_state(self.context.uow(), user_id=user_id).remaining)
        except NotFound:
            return False


class ActionFallback(BotAction):
    """Unsure or out-of-domain messages: say what the bot does, never start a form."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        logged_in = session_user(tracker) is not None
        intent = tracker.latest_message.get("intent", {}).get("name")
        response = "utter_out_of_scope" if intent == "out_of_scope" else "utter_fallback"
        dispatcher.utter_message(response=response, buttons=menu_buttons(domain, logged_in))
        return []


ACTIONS = (ActionGreet, ActionHelp, ActionMainMenu, ActionFallback)
