"""The first connection after login: contact details typed twice, a personal password typed
twice, the usage rules and the conditions of use, then the administrator role for the
organisation's first user.

A spec run by the form loop (`FIRST_LOGIN`). The steps asked come from
`services.first_login.first_login_state`, read again at every turn (`refresh`), not from the
conversation: a user who stops half way resumes at the same step from any chat, and a user whose
only debt is a provisional password is asked for the password alone. Each step is saved as soon
as it is complete. The new password is typed hidden, so twice: the first typing is checked
against the rule's parts that need no account (length, letters, digits, symbols, common
passwords) and waits only as a hash; the second is given to the service, which checks the whole
rule again (the identifier, the provisional password) before saving it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.accounts.password_texts import reasons_text, refused
from dialogs.actions.core.base import BotAction, session_user
from dialogs.actions.core.menu import menu_buttons
from dialogs.forms.spec import Answers, FormSpec, Kind, Question
from dialogs.forms.validation import SpecFormValidation
from services.accounts.credentials import normalise_email, normalise_phone
from services.accounts.first_login import (
    accept_rules,
    accept_terms,
    complete_first_login,
    record_contact,
    set_password,
)
from services.accounts.views import FirstLoginState, first_login_state
from services.core.errors import (
    FirstLoginIncomplete,
    InvalidFields,
    InvalidValue,
    NotAllowed,
    NotFound,
    PasswordRuleError,
)

STEPS = "first_login_steps"


def _step(name: str) -> Any:
    return lambda answers: name in (answers.get(STEPS) or ())


FIRST_LOGIN = FormSpec(
    name="first_login_form",
    questions=(
        Question("first_login_email", Kind.EMAIL, when=_step("contact"), cues=("email",)),
        Question(
            "first_login_email_again",
            Kind.EMAIL,
            when=_step("contact"),
            again_of="first_login_email",
        ),
        Question("first_login_phone", Kind.PHONE, when=_step("contact"), cues=("phone",)),
        Question(
            "first_login_phone_again",
            Kind.PHONE,
            when=_step("contact"),
            again_of="first_login_phone",
        ),
        Question("first_login_password", Kind.SECRET, when=_step("password")),
        Question(
            "first_login_password_again",
            Kind.SECRET,
            when=_step("password"),
            again_of="first_login_password",
        ),
        Question("first_login_rules", Kind.YES_NO, when=_step("rules")),
        Question("first_login_terms", Kind.YES_NO, when=_step("terms")),
    ),
    recap=False,
    extra_slots=(STEPS, "first_login_short"),
)
CONTACT = ("first_login_email", "first_login_phone")


def remaining_steps(action: BotAction | SpecFormValidation, user_id: int | None) -> list[str]:
    """The first-connection steps still to do; none for an unknown or logged-out user."""
    if user_id is None:
        return []
    try:
        return list(first_login_state(action.context.uow(), user_id=user_id).remaining)
    except NotFound:
        return []


def _steps(state: FirstLoginState) -> dict[str, Any]:
    return {STEPS: list(state.remaining)}


class ValidateFirstLoginForm(SpecFormValidation):
    """Checks each answer and saves each step as soon as it is complete."""

    spec = FIRST_LOGIN
    reads_opening = False  # opened right after the password was typed: never read it

    def refresh(self, tracker: Tracker) -> dict[str, Any]:
        return {STEPS: remaining_steps(self, session_user(tracker))}

    def _user(self, tracker: Tracker) -> int:
        return int(session_user(tracker) or 0)

    # ----- contact -------------------------------------------------------------------------
    def validate_first_login_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            return {"first_login_email": normalise_email(str(value))}
        except InvalidValue:
            dispatcher.utter_message(response="utter_expect_first_login_email")
            return {"first_login_email": None}

    def validate_first_login_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            return {"first_login_phone": normalise_phone(str(value))}
        except InvalidValue:
            dispatcher.utter_message(response="utter_expect_first_login_phone")
            return {"first_login_phone": None}

    def validate_first_login_email_again(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = {"first_login_email_again": tracker.get_slot("first_login_email")}
        return self._contact(answer, dispatcher, tracker)

    def validate_first_login_phone_again(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = {"first_login_phone_again": tracker.get_slot("first_login_phone")}
        return self._contact(answer, dispatcher, tracker)

    def _contact(
        self, answer: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Saved once both are typed twice (in whichever order the messages gave them)."""
        answers: Answers = {**tracker.slots, **answer}
        if any(answers.get(f"{slot}_again") is None for slot in CONTACT):
            return answer
        try:
            state = record_contact(
                self.context.uow(),
                user_id=self._user(tracker),
                email=str(answers["first_login_email"]),
                phone=str(answers["first_login_phone"]),
                now=self.context.now(),
            )
        except InvalidFields as error:
            # Checked above already; kept so a rule change in the service still gets an answer.
            reset: dict[str, Any] = {}
            for field in error.fields:
                dispatcher.utter_message(response=f"utter_expect_first_login_{field}")
                reset.update({f"first_login_{field}": None, f"first_login_{field}_again": None})
            return reset
        dispatcher.utter_message(response="utter_first_login_contact_saved")
        return {**answer, **_steps(state)}

    # ----- password: typed twice, hidden; the loop keeps only a hash of the first typing ----
    def validate_first_login_password(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        response = "utter_first_login_password_refused"
        if refused(self.context, value, dispatcher, response=response, own={}):
            return {"first_login_password": None}
        return {"first_login_password": value}

    def validate_first_login_password_again(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            state = set_password(
                self.context.uow(),
                user_id=self._user(tracker),
                new=str(value),
                now=self.context.now(),
            )
        except PasswordRuleError as error:
            dispatcher.utter_message(
                response="utter_first_login_password_refused",
                reasons=reasons_text(self.context, error.reasons, {}),
            )
            return {"first_login_password_again": None}
        except (NotAllowed, NotFound):
            dispatcher.utter_message(response="utter_first_login_not_provisional")
            return {"first_login_password_again": None, "session_user_id": None}
        dispatcher.utter_message(response="utter_first_login_password_saved")
        return {"first_login_password_again": value, **_steps(state)}

    # ----- acceptances ---------------------------------------------------------------------
    def _agree(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        if value is not True:
            dispatcher.utter_message(response="utter_first_login_refused")
            return {slot: None, "session_user_id": None}
        accept = accept_rules if slot == "first_login_rules" else accept_terms
        state = accept(self.context.uow(), user_id=self._user(tracker), now=self.context.now())
        return {slot: True, **_steps(state)}

    def validate_first_login_rules(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._agree("first_login_rules", value, dispatcher, tracker)

    def validate_first_login_terms(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._agree("first_login_terms", value, dispatcher, tracker)


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
FORMS = (ValidateFirstLoginForm,)
