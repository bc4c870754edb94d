"""Guided "Identifiant perdu" and "Mot de passe oublié", logged in or not.

Both open with the knowledge-base answer (what will happen), ask for the N° utilisateur or the
email, then give the same answer whether or not it belongs to an account: the chat must not tell
who is a customer. Asked in the middle of another task, only the explanation is given, so the
task is not lost; asked while logging in, the login gives way to the request.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any, Literal

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import active_form, option, plain, response_text
from dialogs.actions.core.base import BotAction, BotFormValidation, session_user
from dialogs.actions.core.faq import knowledge_base
from dialogs.actions.core.menu import menu_buttons
from dialogs.texts import word_groups
from services.accounts.credentials import normalise_email, normalise_user_number
from services.accounts.recovery import request_lost_identifier, request_password_reset
from services.core.errors import InvalidValue, RateLimited

MEDIUM_WORDS = word_groups("recovery_media")


def wait_text(delay: timedelta) -> str:
    """A French duration, rounded up: "12 minutes", "2 heures"."""
    minutes = max(1, math.ceil(delay.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} heure{'s' if hours > 1 else ''}"


class _StartRecovery(BotAction):
    """Explains the procedure, then opens its form unless another task is under way."""

    form = ""
    intent = ""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        current = active_form(tracker)
        if current == self.form:
            return []  # asked again inside its own form: the engine repeats the question
        dispatcher.utter_message(text=str(knowledge_base()[self.intent]["text"]).strip())
        if current is not None and current != "login_form":
            task = response_text(domain, f"utter_task_{current}")
            dispatcher.utter_message(response="utter_recovery_later", task=task)
            return []
        return [ActiveLoop(self.form)]


class ActionStartLostIdentifier(_StartRecovery):
    form = "lost_identifier_form"
    intent = "faq_lost_identifier"
    starts_forms = ("lost_identifier_form",)

    def name(self) -> str:
        return "action_start_lost_identifier"


class ActionStartForgotten(_StartRecovery):
    form = "forgotten_form"
    intent = "faq_forgot_password"
    starts_forms = ("forgotten_form",)

    def name(self) -> str:
        return "action_start_forgotten"


class ValidateLostIdentifierForm(BotFormValidation):
    def name(self) -> str:
        return "validate_lost_identifier_form"

    def validate_lost_identifier_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            return {"lost_identifier_number": normalise_user_number(str(value or ""))}
        except InvalidValue:
            dispatcher.utter_message(response="utter_lost_identifier_number_invalid")
            return {"lost_identifier_number": None}

    def validate_lost_identifier_medium(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = option(tracker)
        if chosen not in MEDIUM_WORDS:
            text = plain(str(value or ""))
            found = [key for key, words in MEDIUM_WORDS.items() if any(w in text for w in words)]
            chosen = found[0] if len(found) == 1 else None
        if chosen is None:
            dispatcher.utter_message(response="utter_lost_identifier_medium_unclear")
        return {"lost_identifier_medium": chosen}


def _rate_limited(dispatcher: CollectingDispatcher, error: RateLimited) -> None:
    dispatcher.utter_message(
        response="utter_recovery_rate_limited", wait=wait_text(error.retry_after)
    )


class ActionLostIdentifierDone(BotAction):
    def name(self) -> str:
        return "action_lost_identifier_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        medium: Literal["post", "email"] = (
            "email" if tracker.get_slot("lost_identifier_medium") == "email" else "post"
        )
        try:
            ack = request_lost_identifier(
                self.context.uow(),
                user_number=str(tracker.get_slot("lost_identifier_number") or ""),
                medium=medium,
                chat_ref=tracker.sender_id,
                now=self.context.now(),
            )
        except RateLimited as error:
            _rate_limited(dispatcher, error)
            return []
        except InvalidValue:
            dispatcher.utter_message(response="utter_lost_identifier_number_invalid")
            return []
        response = (
            "utter_lost_identifier_sent_post"
            if ack.delivery == "post"
            else "utter_lost_identifier_sent_email"
        )
        dispatcher.utter_message(
            response=response,
            hours=ack.email_valid_hours,
            buttons=menu_buttons(domain, session_user(tracker) is not None),
        )
        return []


class ValidateForgottenForm(BotFormValidation):
    def name(self) -> str:
        return "validate_forgotten_form"

    def validate_forgotten_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            return {"forgotten_email": normalise_email(str(value or ""))}
        except InvalidValue:
            dispatcher.utter_message(response="utter_forgotten_email_invalid")
            return {"forgotten_email": None}


class ActionForgottenDone(BotAction):
    def name(self) -> str:
        return "action_forgotten_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            ack = request_password_reset(
                self.context.uow(),
                email=str(tracker.get_slot("forgotten_email") or ""),
                chat_ref=tracker.sender_id,
                now=self.context.now(),
            )
        except RateLimited as error:
            _rate_limited(dispatcher, error)
            return []
        except InvalidValue:
            dispatcher.utter_message(response="utter_forgotten_email_invalid")
            return []
        dispatcher.utter_message(
            response="utter_forgotten_sent",
            hours=ack.email_valid_hours,
            buttons=menu_buttons(domain, session_user(tracker) is not None),
        )
        return []


ACTIONS = (
    ActionStartLostIdentifier,
    ActionStartForgotten,
    ValidateLostIdentifierForm,
    ActionLostIdentifierDone,
    ValidateForgottenForm,
    ActionForgottenDone,
)
