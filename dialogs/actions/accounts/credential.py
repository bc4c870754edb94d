"""Changing one's password while logged in: the current password, then the new one typed twice.

Asked as « changer mon mot de passe » (or « mot de passe oublié ») by a logged-in user, who is
never sent into « Mot de passe oublié »: that path is for users who cannot log in
(`recovery.ActionStartForgotten` opens this form instead). A chat never keeps a password from
one message to the next, so each typing is used in its own turn: the current one is proved to
the service (a wrong one counts as a failed login), the new one is checked against the rule and
waits only as a hash for its second typing, which the service accepts from the same chat within
a few minutes of the proof (`services.accounts.login.change_proved_password`).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.accounts.password_texts import reasons_text, refused
from dialogs.actions.core.menu import menu_buttons
from dialogs.forms.completion import FormDone
from dialogs.forms.spec import FormSpec, Kind, Question
from dialogs.forms.validation import SpecFormValidation, session_user
from services.accounts.login import change_proved_password, prove_password
from services.core.errors import (
    AccountLocked,
    AuthenticationError,
    NotAllowed,
    NotFound,
    PasswordRuleError,
)
from services.documents.texts import format_paris

PROVED = "credential_proved"
CHANGED = "credential_changed"
STOPPED = "credential_stopped"


def _open(answers: Any) -> bool:
    return not answers.get(CHANGED) and not answers.get(STOPPED)


CREDENTIAL = FormSpec(
    name="credential_form",
    questions=(
        Question(
            "credential_current_password",
            Kind.SECRET,
            when=lambda answers: _open(answers) and not answers.get(PROVED),
        ),
        Question("credential_new_password", Kind.SECRET, when=_open),
        Question(
            "credential_new_password_again",
            Kind.SECRET,
            when=_open,
            again_of="credential_new_password",
        ),
    ),
    recap=False,
    extra_slots=(PROVED, CHANGED, STOPPED),
)


OWN_REASONS = {"same_as_current": "utter_credential_reason_same_as_current"}


class ValidateCredentialForm(SpecFormValidation):
    """Each typing used in its own turn and never kept."""

    spec = CREDENTIAL
    reads_opening = False  # « changer mon mot de passe » is no password

    def validate_credential_current_password(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            prove_password(
                self.context.uow(),
                user_id=int(session_user(tracker) or 0),
                current=str(value),
                now=self.context.now(),
                chat_ref=tracker.sender_id,
            )
        except AccountLocked as locked:
            dispatcher.utter_message(
                response="utter_credential_locked", until=format_paris(locked.until)
            )
            return {"credential_current_password": None, STOPPED: True}
        except (AuthenticationError, NotFound):
            dispatcher.utter_message(response="utter_credential_current_wrong")
            return {"credential_current_password": None}
        return {"credential_current_password": value, PROVED: True}

    def validate_credential_new_password(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        response = "utter_credential_new_password_refused"
        if refused(self.context, value, dispatcher, response=response, own=OWN_REASONS):
            return {"credential_new_password": None}
        return {"credential_new_password": value}

    def validate_credential_new_password_again(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            change_proved_password(
                self.context.uow(),
                user_id=int(session_user(tracker) or 0),
                new=str(value),
                now=self.context.now(),
                chat_ref=tracker.sender_id,
            )
        except PasswordRuleError as error:
            dispatcher.utter_message(
                response="utter_credential_new_password_refused",
                reasons=reasons_text(self.context, error.reasons, OWN_REASONS),
            )
            return {"credential_new_password_again": None}
        except (NotAllowed, NotFound):
            # the proof is too old (or was used): the current password is asked again
            dispatcher.utter_message(response="utter_credential_proof_expired")
            return {"credential_new_password_again": None, PROVED: None}
        return {"credential_new_password_again": value, CHANGED: True}


class ActionCredentialDone(FormDone):
    """Says that the new password is active; every answer of the form is forgotten."""

    spec = CREDENTIAL

    async def transmit(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot(CHANGED):
            dispatcher.utter_message(
                response="utter_credential_changed", buttons=menu_buttons(domain, True)
            )
        return []


ACTIONS = (ValidateCredentialForm, ActionCredentialDone)
FORMS = (ValidateCredentialForm,)
