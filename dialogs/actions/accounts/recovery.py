"""Guided "Identifiant perdu" and "Mot de passe oublié" (this one logged out only: a logged-in
user changes the password instead, `credential.py`).

Both open with the knowledge-base answer (what will happen), ask for the N° utilisateur (and how
to receive the letters) or the email, then give the same answer whether or not it belongs to an
account: the chat must not tell who is a customer. Both are specs run by the form loop, without a
recap (nothing is transmitted that the user could regret). Asked in the middle of another task,
only the explanation is given, so the task is not lost; asked while logging in, the login gives
way to the request.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any, Literal

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import BotAction, session_user
from dialogs.actions.core.faq import knowledge_base
from dialogs.actions.core.menu import menu_buttons
from dialogs.context import ActionContext
from dialogs.forms.completion import FormDone
from dialogs.forms.spec import FormSpec, Kind, Question
from dialogs.forms.validation import SpecFormValidation
from services.accounts.credentials import normalise_email, normalise_user_number
from services.accounts.recovery import request_lost_identifier, request_password_reset
from services.core.errors import InvalidValue, RateLimited

LOST_IDENTIFIER = FormSpec(
    name="lost_identifier_form",
    questions=(
        Question("lost_identifier_number", Kind.TEXT, entity="user_number"),
        Question("lost_identifier_medium", Kind.CHOICE, options=("post", "email")),
    ),
    recap=False,
)
FORGOTTEN = FormSpec(
    name="forgotten_form",
    questions=(Question("forgotten_email", Kind.EMAIL),),
    recap=False,
)


def wait_text(context: ActionContext, delay: timedelta) -> str:
    """A French duration from the domain, rounded up: "12 minutes", "1 heure"."""
    minutes = max(1, math.ceil(delay.total_seconds() / 60))
    count, unit = (minutes, "minute") if minutes < 60 else (math.ceil(minutes / 60), "hour")
    number = "one" if count == 1 else "many"
    return context.domain.render(f"utter_wait_{unit}_{number}", count=count).text


# Forms a recovery request replaces at once: the login, and the other recovery (« j'ai perdu mon
# identifiant » while the forgotten password's email is asked), each one question long.
LEFT_FOR_RECOVERY = frozenset({"login_form", "forgotten_form", "lost_identifier_form"})


class _StartRecovery(BotAction):
    """Explains the procedure, then opens its form unless another task is under way."""

    form = ""
    intent = ""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        current = (tracker.active_loop or {}).get("name")
        if current == self.form:
            return []  # asked again inside its own form: the engine repeats the question
        dispatcher.utter_message(text=str(knowledge_base()[self.intent]["text"]).strip())
        if current and current not in LEFT_FOR_RECOVERY:
            task = self.context.domain.render(f"utter_task_{current}").text
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
    """« Mot de passe oublié » for a user who cannot log in; a logged-in user asking about
    their password (« changer mon mdp ») changes it instead (`credential.py`)."""

    form = "forgotten_form"
    intent = "faq_forgot_password"
    starts_forms = ("forgotten_form", "credential_form")

    def name(self) -> str:
        return "action_start_forgotten"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if session_user(tracker) is None:
            return await super().run(dispatcher, tracker, domain)
        current = (tracker.active_loop or {}).get("name")
        if current == "credential_form":
            return []  # asked again inside its own form: the engine repeats the question
        if current == "first_login_form":  # its own step chooses the personal password
            dispatcher.utter_message(response="utter_credential_at_first_login")
            return []
        if current:
            task = self.context.domain.render(f"utter_task_{current}").text
            dispatcher.utter_message(response="utter_credential_later", task=task)
            return []
        dispatcher.utter_message(response="utter_credential_intro")
        return [ActiveLoop("credential_form")]


class ValidateLostIdentifierForm(SpecFormValidation):
    spec = LOST_IDENTIFIER

    def validate_lost_identifier_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            return {"lost_identifier_number": normalise_user_number(str(value))}
        except InvalidValue:
            dispatcher.utter_message(response="utter_expect_lost_identifier_number")
            return {"lost_identifier_number": None}


class _RecoveryDone(FormDone):
    """Sends the request; the answer is the same for a known and an unknown account."""

    requires_login = False

    def rate_limited(self, dispatcher: CollectingDispatcher, error: RateLimited) -> None:
        dispatcher.utter_message(
            response="utter_recovery_rate_limited", wait=wait_text(self.context, error.retry_after)
        )


class ActionLostIdentifierDone(_RecoveryDone):
    spec = LOST_IDENTIFIER

    async def transmit(
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
            self.rate_limited(dispatcher, error)
            return []
        except InvalidValue:
            dispatcher.utter_message(response="utter_expect_lost_identifier_number")
            return []
        sent = "post" if ack.delivery == "post" else "email"
        dispatcher.utter_message(
            response=f"utter_lost_identifier_sent_{sent}",
            hours=ack.email_valid_hours,
            buttons=menu_buttons(domain, session_user(tracker) is not None),
        )
        return []


class ValidateForgottenForm(SpecFormValidation):
    spec = FORGOTTEN

    def validate_forgotten_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            return {"forgotten_email": normalise_email(str(value))}
        except InvalidValue:
            dispatcher.utter_message(response="utter_expect_forgotten_email")
            return {"forgotten_email": None}


class ActionForgottenDone(_RecoveryDone):
    spec = FORGOTTEN

    async def transmit(
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
            self.rate_limited(dispatcher, error)
            return []
        except InvalidValue:
            dispatcher.utter_message(response="utter_expect_forgotten_email")
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
FORMS = (ValidateLostIdentifierForm, ValidateForgottenForm)
