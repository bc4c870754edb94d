"""Logging in and out: the chat is bound to an account only after a successful login.

The login is a spec run by the form loop (`LOGIN`): the identifier, also taken from the message
that opened it ("connexion jean.martin"), then the password, a secret that only the
authentication reads and nothing keeps. A command typed at the password prompt ("annuler",
"/aide") is read by the engine before the form, so it does what it says and never counts as a
failed login. A wrong identifier and a wrong password get the same answer.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import BotAction, session_user
from dialogs.actions.core.menu import menu_buttons
from dialogs.actions.reminders.at_login import remind_at_login
from dialogs.forms.spec import FormSpec, Kind, Question
from dialogs.forms.validation import SpecFormValidation
from dialogs.nlu.normalise import fold
from services.accounts.login import authenticate
from services.accounts.views import user_display_name
from services.core.conversations import chats_of_user
from services.core.errors import AccountLocked, AuthenticationError
from services.documents.texts import format_paris

MAX_IDENTIFIER = 80

LOGIN = FormSpec(
    name="login_form",
    questions=(
        Question("login_identifier", Kind.TEXT, entity="login_identifier"),
        # Asked until the authentication has an outcome (signed in, locked...).
        Question("login_password", Kind.SECRET, when=lambda a: not a.get("login_outcome")),
    ),
    recap=False,
    extra_slots=("login_outcome", "login_first_step"),
    disposable=True,
)


class ActionStartLogin(BotAction):
    starts_forms = ("login_form",)

    def name(self) -> str:
        return "action_start_login"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        user_id = session_user(tracker)
        if user_id is not None:
            name = user_display_name(self.context.uow(), user_id=user_id)
            dispatcher.utter_message(response="utter_already_logged_in", name=name)
            return []
        return [ActiveLoop("login_form")]


class ValidateLoginForm(SpecFormValidation):
    spec = LOGIN

    def validate_login_identifier(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        identifier = str(value or "").strip()
        if not identifier or len(identifier) > MAX_IDENTIFIER or " " in identifier:
            dispatcher.utter_message(response="utter_expect_login_identifier")
            return {"login_identifier": None}
        return {"login_identifier": identifier}

    def validate_login_password(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The password exactly as typed (spaces included) goes to the authentication only."""
        identifier = tracker.get_slot("login_identifier") or ""
        try:
            signed = authenticate(
                self.context.uow(),
                login=identifier,
                password=str(value),
                now=self.context.now(),
                chat_ref=tracker.sender_id,
            )
        except AccountLocked as locked:
            dispatcher.utter_message(
                response="utter_login_locked", until=format_paris(locked.until)
            )
            return {"login_password": None, "login_outcome": "locked"}
        except AuthenticationError:
            dispatcher.utter_message(response="utter_login_failed")
            return {"login_identifier": None, "login_password": None}
        # a private landlord's organisation bears their own name: said once
        own = sorted(fold(signed.organisation_name).split()) == sorted(
            fold(signed.display_name).split()
        )
        dispatcher.utter_message(
            response="utter_login_ok_own_name" if own else "utter_login_ok",
            name=signed.display_name,
            organisation=signed.organisation_name,
        )
        step = "ok"
        if signed.first_login_pending:
            step = "first_login"
        elif signed.must_change_password:
            step = "new_password"
        return {
            "login_password": None,
            "login_outcome": "ok" if step == "ok" else "first_login",
            "login_first_step": step,
            "session_user_id": signed.user_id,
        }


class ActionLoginDone(BotAction):
    """After the login: the first connection if it is due, the request that waited, or the
    menu (also after a lockout, for the recovery paths)."""

    def name(self) -> str:
        return "action_login_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        logged_in = session_user(tracker) is not None
        outcome = tracker.get_slot("login_outcome")
        cleared = [
            SlotSet("login_identifier", None),
            SlotSet("login_outcome", None),
            SlotSet("login_first_step", None),
        ]
        step = tracker.get_slot("login_first_step")
        if logged_in and outcome == "first_login":
            # A provisional password or an unfinished first connection comes before anything else.
            if step == "new_password":
                dispatcher.utter_message(response="utter_first_login_password_only")
            else:
                dispatcher.utter_message(response="utter_first_login_intro")
            short = SlotSet("first_login_short", step == "new_password")
            return [*cleared, short, ActiveLoop("first_login_form")]
        if outcome == "locked":
            dispatcher.utter_message(response="utter_menu", buttons=menu_buttons(domain, False))
            return cleared
        resumes = outcome == "ok" and bool(tracker.get_slot("after_login_pending"))
        if logged_in and not resumes:
            remind_at_login(
                self.context, dispatcher, user_id=session_user(tracker), sender=tracker.sender_id
            )
            dispatcher.utter_message(response="utter_menu", buttons=menu_buttons(domain, True))
        return cleared


class ActionLogout(BotAction):
    def name(self) -> str:
        return "action_logout"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        user_id = session_user(tracker)
        if user_id is None:
            dispatcher.utter_message(response="utter_not_logged_in")
            dispatcher.utter_message(response="utter_menu", buttons=menu_buttons(domain, False))
            return []
        dispatcher.utter_message(response="utter_logged_out")
        others = [
            chat
            for chat in chats_of_user(self.context.uow(), user_id=user_id, now=self.context.now())
            if f"{chat[0]}:{chat[1]}" != tracker.sender_id
        ]
        if len(others) == 1:
            dispatcher.utter_message(response="utter_logged_in_elsewhere_one")
        elif others:
            dispatcher.utter_message(response="utter_logged_in_elsewhere", count=len(others))
        dispatcher.utter_message(response="utter_menu", buttons=menu_buttons(domain, False))
        return [SlotSet("session_user_id", None)]


ACTIONS = (ActionStartLogin, ValidateLoginForm, ActionLoginDone, ActionLogout)
FORMS = (ValidateLoginForm,)
