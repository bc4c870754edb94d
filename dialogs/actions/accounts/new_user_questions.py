"""« Créer un utilisateur »: the form's start (only with groups to give) and its questions with
their buttons: the phone (may be skipped), the workplace, the groups ticked one by one, the
dates, the recap and which answer to change."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.accounts.users import (
    UsersAction,
    day_text,
    group_label,
    refuse,
    workplace_label,
)
from dialogs.actions.core.base import BotAction, BotFormValidation, session_user
from dialogs.payloads import payload
from dialogs.texts import text
from services.core.errors import NotAllowed, NotFound
from services.tenants.groups import GroupView, list_groups

# Modifier on the recap: the answer to change (labelled `utter_label_new_user_<answer>`) and the
# slots asked again for it.
EDIT_FIELDS: dict[str, tuple[str, ...]] = {
    "last_name": ("new_user_last_name",),
    "first_name": ("new_user_first_name",),
    "email": ("new_user_email", "new_user_email_again"),
    "phone": ("new_user_phone", "new_user_phone_again"),
    "mobile": ("new_user_mobile",),
    "groups": ("new_user_group_pick",),
    "opened": ("new_user_opened_on",),
    "closed": ("new_user_closed_on",),
}

_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")


class ActionStartNewUser(UsersAction):
    starts_forms = ("new_user_form",)

    def name(self) -> str:
        return "action_start_new_user"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            groups = grantable_groups(self, tracker)
        except (NotAllowed, NotFound) as error:
            refuse(dispatcher, error)
            return []
        if not groups:
            dispatcher.utter_message(response="utter_users_no_group")
            return []
        dispatcher.utter_message(response="utter_new_user_intro")
        return [ActiveLoop("new_user_form")]


def grantable_groups(action: BotAction | BotFormValidation, tracker: Tracker) -> list[GroupView]:
    return list_groups(
        action.context.uow(), actor_id=int(session_user(tracker) or 0), now=action.context.now()
    )


def chosen_groups(tracker: Tracker) -> list[int]:
    return [int(g) for g in tracker.get_slot("new_user_groups") or []]


def parse_day(value: Any) -> date | None:
    """An ISO date (from the NLU) or a typed JJ/MM/AAAA."""
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DATE.match(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None


class _Ask(BotAction):
    """A question of the new-user form with its buttons."""

    slot = ""
    response = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        buttons = [
            {"title": title, "payload": payload("choose", option=value)}
            for title, value in self.buttons(tracker)
        ]
        dispatcher.utter_message(
            response=self.response or f"utter_ask_{self.slot}",
            buttons=buttons,
            **self.values(tracker, domain),
        )
        return []

    def values(self, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {}


class ActionAskNewUserPhone(_Ask):
    slot = "new_user_phone"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [(text("utter_button_skip"), "skip")]


class ActionAskNewUserMobile(_Ask):
    slot = "new_user_mobile"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [
            (text("utter_button_workplace_sedentaire"), "sedentaire"),
            (text("utter_button_workplace_itinerant"), "itinerant"),
        ]


class ActionAskNewUserOpenedOn(_Ask):
    slot = "new_user_opened_on"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [(text("utter_button_today"), "today")]


class ActionAskNewUserClosedOn(_Ask):
    slot = "new_user_closed_on"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [(text("utter_button_no_closing_date"), "none")]


class ActionAskNewUserGroupPick(_Ask):
    """Every group the actor may give, ticked when chosen; pressing again removes it."""

    slot = "new_user_group_pick"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        chosen = set(chosen_groups(tracker))
        rows = [
            (
                text(
                    "utter_button_group",
                    ticked=text("utter_new_user_group_ticked") if g.id in chosen else "",
                    label=group_label(g),
                    dwellings=g.dwellings,
                ),
                f"group-{g.id}",
            )
            for g in grantable_groups(self, tracker)
        ]
        return [*rows, (text("utter_button_groups_done"), "done")]

    def values(self, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        labels = {g.id: group_label(g) for g in grantable_groups(self, tracker)}
        chosen = [labels[g] for g in chosen_groups(tracker) if g in labels]
        groups = ", ".join(chosen)
        return {"chosen": text("utter_new_user_groups_chosen", groups=groups) if chosen else ""}


class ActionAskNewUserConfirm(_Ask):
    """The recap of every answer, then Valider / Modifier / Quitter."""

    slot = "new_user_confirm"
    response = "utter_new_user_recap"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [
            (text(f"utter_button_{choice}"), choice)
            for choice in ("valider", "modifier", "quitter")
        ]

    def values(self, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        labels = {g.id: group_label(g) for g in grantable_groups(self, tracker)}
        phone = tracker.get_slot("new_user_phone")
        closed = parse_day(tracker.get_slot("new_user_closed_on"))
        return {
            "last_name": str(tracker.get_slot("new_user_last_name") or "").upper(),
            "first_name": tracker.get_slot("new_user_first_name"),
            "email": tracker.get_slot("new_user_email"),
            "phone": text("utter_users_none") if phone == "skip" else phone,
            "mobile": workplace_label(str(tracker.get_slot("new_user_mobile"))),
            "groups": ", ".join(labels.get(g, "?") for g in chosen_groups(tracker)),
            "opened": day_text(parse_day(tracker.get_slot("new_user_opened_on"))),
            "closed": day_text(closed),
        }


class ActionAskNewUserEdit(_Ask):
    slot = "new_user_edit"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [(text(f"utter_label_new_user_{key}"), key) for key in EDIT_FIELDS]


ACTIONS = (
    ActionStartNewUser,
    ActionAskNewUserPhone,
    ActionAskNewUserMobile,
    ActionAskNewUserOpenedOn,
    ActionAskNewUserClosedOn,
    ActionAskNewUserGroupPick,
    ActionAskNewUserConfirm,
    ActionAskNewUserEdit,
)
