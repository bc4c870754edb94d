"""The first connection after login: contact details typed twice, a personal password, the usage
rules and the conditions of use, then the administrator role for the organisation's first user.

The steps asked come from `services.accounts.views.first_login_state` at every turn (not from the
conversation), so a user who stops half way resumes at the same step from any chat, and a user
whose only debt is a provisional password is asked for the password alone.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.accounts.contact_answers import (
    email_again_answer,
    email_answer,
    phone_again_answer,
    phone_answer,
)
from dialogs.actions.core.answers import response_text
from dialogs.actions.core.base import BotAction, BotFormValidation, session_user
from dialogs.actions.core.menu import menu_buttons
from services.accounts.first_login import (
    accept_rules,
    accept_terms,
    complete_first_login,
    first_login_state,
    record_contact,
    set_password,
)
from services.core.errors import (
    FirstLoginIncomplete,
    InvalidFields,
    NotAllowed,
    NotFound,
    PasswordRuleError,
)

STEP_SLOTS = {
    "contact": [
        "first_login_email",
        "first_login_email_again",
        "first_login_phone",
        "first_login_phone_again",
    ],
    "password": ["first_login_password"],
    "rules": ["first_login_rules"],
    "terms": ["first_login_terms"],
}


def remaining_steps(
    validator: BotAction | BotFormValidation, user_id: int | None
) -> tuple[str, ...]:
    """The first-connection steps still to do; none for an unknown or logged-out user."""
    if user_id is None:
        return ()
    try:
        return first_login_state(validator.context.uow(), user_id=user_id).remaining
    except NotFound:
        return ()


class ValidateFirstLoginForm(BotFormValidation):
    """Checks each answer and saves each step as soon as it is complete."""

    def name(self) -> str:
        return "validate_first_login_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        steps = remaining_steps(self, session_user(tracker))
        return [slot for step in steps for slot in STEP_SLOTS[step]]

    # ----- contact -------------------------------------------------------------------------
    def validate_first_login_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return email_answer("first_login", value, dispatcher)

    def validate_first_login_email_again(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return email_again_answer("first_login", value, dispatcher, tracker)

    def validate_first_login_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return phone_answer("first_login", value, dispatcher)

    def validate_first_login_phone_again(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = phone_again_answer("first_login", value, dispatcher, tracker)
        phone = answer.get("first_login_phone_again")
        if phone is None:
            return answer
        try:
            record_contact(
                self.context.uow(),
                user_id=int(session_user(tracker) or 0),
                email=str(tracker.get_slot("first_login_email") or ""),
                phone=phone,
                now=self.context.now(),
            )
        except InvalidFields as error:
            # Checked above already; kept so a rule change in the service still gets an answer.
            reset: dict[str, Any] = {"first_login_phone_again": None}
            if "email" in error.fields:
                dispatcher.utter_message(response="utter_first_login_email_format")
                reset.update(first_login_email=None, first_login_email_again=None)
            if "phone" in error.fields:
                dispatcher.utter_message(response="utter_first_login_phone_format")
                reset["first_login_phone"] = None
            return reset
        dispatcher.utter_message(response="utter_first_login_contact_saved")
        return {"first_login_phone_again": phone}

    # ----- password (a secret slot: the engine never keeps it) -----------------------------
    def validate_first_login_password(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            set_password(
                self.context.uow(),
                user_id=int(session_user(tracker) or 0),
                new=str(value or ""),
                now=self.context.now(),
            )
        except PasswordRuleError as error:
            reasons = "\n".join(
                "• " + response_text(domain, f"utter_password_reason_{reason}")
                for reason in error.reasons
            )
            dispatcher.utter_message(response="utter_first_login_password_refused", reasons=reasons)
            return {"first_login_password": None}
        except (NotAllowed, NotFound):
            dispatcher.utter_message(response="utter_first_login_not_provisional")
            return {"first_login_password": None, "session_user_id": None}
        dispatcher.utter_message(response="utter_first_login_password_saved")
        return {"first_login_password": None}

    # ----- acceptances ---------------------------------------------------------------------
    def _accept(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        if value is not True:
            dispatcher.utter_message(response="utter_first_login_refused")
            return {slot: None, "session_user_id": None}
        accept = accept_rules if slot == "first_login_rules" else accept_terms
        accept(self.context.uow(), user_id=int(session_user(tracker) or 0), now=self.context.now())
        return {slot: True}

    def validate_first_login_rules(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._accept("first_login_rules", value, dispatcher, tracker)

    def validate_first_login_terms(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._accept("first_login_terms", value, dispatcher, tracker)


class ActionFirstLoginDone(BotAction):
    """Ends the first connection and says what the administrator role means when it is given."""

    def name(self) -> str:
        return "action_first_login_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        user_id = session_user(tracker)
        if user_id is None:
            return []
        try:
            result = complete_first_login(
                self.context.uow(), user_id=user_id, now=self.context.now()
            )
        except FirstLoginIncomplete:
            dispatcher.utter_message(response="utter_first_login_incomplete")
            return [SlotSet("session_user_id", None)]
        done = "utter_first_login_password_done" if tracker.get_slot("first_login_short") else None
        dispatcher.utter_message(
            response=done or "utter_first_login_done", organisation=result.organisation_name
        )
        if result.became_admin:
            dispatcher.utter_message(
                response="utter_first_login_admin", organisation=result.organisation_name
            )
        if not tracker.get_slot("after_login_pending"):
            dispatcher.utter_message(response="utter_menu", buttons=menu_buttons(domain, True))
        return []


ACTIONS = (ValidateFirstLoginForm, ActionFirstLoginDone)
