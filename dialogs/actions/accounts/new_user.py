"""« Créer un utilisateur »: a spec run by the form loop, plus what is the new user's own.

The questions of the CAF's screen in its order: last name, first name, email typed twice, phone
(optional) typed twice, sedentary or mobile, habilitation groups (pressed one by one, then
« Terminé »), the opening date (today unless changed) and the closing date (none unless given).
One message may give several answers ("Marc Dupuis marc.dupuis@mail.fr 06 12 34 56 78"); names
are kept with their usual case ("Marc", "DUPUIS"); the recap's Modifier changes any answer. The
user is created on Valider only, and the services check every field again. The questions
themselves are in `new_user_spec.py`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.accounts.group_names import group_named
from dialogs.actions.accounts.new_user_spec import (
    DONE,
    FIELD_REASONS,
    FORBIDDEN_IN_NAMES,
    GROUPS,
    MAX_NAME,
    NEW_USER,
    TODAY,
    day_of,
)
from dialogs.actions.accounts.user_texts import Texts, refuse
from dialogs.actions.core.base import BotAction, session_user
from dialogs.context import ActionContext
from dialogs.forms.asking import AskQuestion
from dialogs.forms.completion import FormDone
from dialogs.forms.lexicon import lexicon, words
from dialogs.forms.validation import SpecFormValidation
from dialogs.payloads import payload
from services.accounts.credentials import normalise_email, normalise_phone
from services.accounts.users import create_user
from services.core.errors import InvalidFields, InvalidValue, NotAllowed, NotFound
from services.tenants.groups import GroupView, list_groups


def _groups(context: ActionContext, tracker: Tracker) -> list[GroupView]:
    return list_groups(context.uow(), actor_id=int(session_user(tracker) or 0), now=context.now())


def _chosen(tracker: Tracker) -> list[int]:
    return [int(g) for g in tracker.get_slot(GROUPS) or []]


class ActionStartNewUser(BotAction):
    requires_login = True
    starts_forms = ("new_user_form",)

    def name(self) -> str:
        return "action_start_new_user"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            groups = _groups(self.context, tracker)
        except (NotAllowed, NotFound) as error:
            refuse(dispatcher, error)
            return []
        if not groups:
            dispatcher.utter_message(response="utter_users_no_group")
            return []
        dispatcher.utter_message(response="utter_new_user_intro")
        return [ActiveLoop("new_user_form")]


class ActionAskNewUserGroupPick(AskQuestion):
    """Every group the actor may give, ticked when chosen; pressing again removes it."""

    def __init__(self, context: ActionContext) -> None:
        super().__init__(context, NEW_USER, NEW_USER.questions[7])

    def buttons(self, tracker: Tracker) -> list[dict[str, Any]]:
        texts, chosen = Texts(self.context.domain), set(_chosen(tracker))
        buttons = [
            {
                "title": texts.group_button(group, group.id in chosen),
                "payload": payload("choose", option=f"group-{group.id}"),
            }
            for group in _groups(self.context, tracker)
        ]
        done = self.text("utter_option_new_user_group_pick_done")
        return [*buttons, {"title": done, "payload": payload("choose", option=DONE)}]

    def values(self, tracker: Tracker) -> dict[str, Any]:
        texts = Texts(self.context.domain)
        labels = {g.id: texts.group_label(g) for g in _groups(self.context, tracker)}
        chosen = [labels[g] for g in _chosen(tracker) if g in labels]
        if not chosen:
            return {"chosen": ""}
        number = "one" if len(chosen) == 1 else "many"
        return {"chosen": self.text(f"utter_new_user_chosen_{number}", labels=", ".join(chosen))}


class ValidateNewUserForm(SpecFormValidation):
    """Each answer checked as it comes; the services check them all again on Valider."""

    spec = NEW_USER

    def refresh(self, tracker: Tracker) -> dict[str, Any]:
        return {TODAY: self.context.today().isoformat()}

    def _name(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if (
            not text
            or len(text) > MAX_NAME
            or not any(c.isalpha() for c in text)
            or any(c.isdigit() or c in FORBIDDEN_IN_NAMES for c in text)
        ):
            dispatcher.utter_message(response=f"utter_expect_{slot}")
            return {slot: None}
        return {slot: text}

    def validate_new_user_last_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._name("new_user_last_name", value, dispatcher)

    def validate_new_user_first_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._name("new_user_first_name", value, dispatcher)

    def validate_new_user_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            return {"new_user_email": normalise_email(str(value))}
        except InvalidValue:
            dispatcher.utter_message(response="utter_expect_new_user_email")
            return {"new_user_email": None}

    def validate_new_user_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == "":
            return {"new_user_phone": "", "new_user_phone_again": None}
        try:
            return {"new_user_phone": normalise_phone(str(value))}
        except InvalidValue:
            dispatcher.utter_message(response="utter_expect_new_user_phone")
            return {"new_user_phone": None}

    def validate_new_user_group_pick(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A group pressed (or named) is added, or removed if it was chosen; « Terminé » ends
        the choice, which is kept as the groups' labels for the recap."""
        texts = Texts(self.context.domain)
        chosen, text = _chosen(tracker), str(value or "")
        groups = {g.id: g for g in _groups(self.context, tracker)}
        said = words(text)
        agreed = bool(said) and lexicon().covers(said, ("confirm", "agree", "filler"))
        if text == DONE or lexicon().has("done", said) or agreed:
            if not chosen:
                dispatcher.utter_message(response="utter_new_user_group_required")
                return {"new_user_group_pick": None}
            labels = [texts.group_label(groups[g]) for g in chosen if g in groups]
            return {"new_user_group_pick": ", ".join(labels)}
        group = self._group(text, groups, texts)
        if group is None:
            typed = not text.startswith("group-")
            refused = (
                "utter_new_user_group_not_recognised" if typed else "utter_new_user_group_unknown"
            )
            dispatcher.utter_message(response=refused)
            return {"new_user_group_pick": None}
        label = texts.group_label(group)
        if group.id in chosen:
            chosen.remove(group.id)
            dispatcher.utter_message(response="utter_new_user_group_removed", label=label)
        else:
            chosen.append(group.id)
            dispatcher.utter_message(response="utter_new_user_group_added", label=label)
        return {"new_user_group_pick": None, GROUPS: chosen}

    @staticmethod
    def _group(text: str, groups: dict[int, GroupView], texts: Texts) -> GroupView | None:
        """The group a button carries ("group-3") or that every typed word names."""
        if text.startswith("group-") and text[6:].isdigit():
            return groups.get(int(text[6:]))
        return group_named(text, groups.values(), texts.group_label)

    def validate_new_user_opened_on(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day, today = day_of(value), self.context.today()
        if day is None:
            dispatcher.utter_message(response="utter_form_expect_date")
            return {"new_user_opened_on": None}
        if day < today:
            dispatcher.utter_message(response="utter_new_user_opened_past")
            return {"new_user_opened_on": None}
        closed = day_of(tracker.get_slot("new_user_closed_on"))
        if closed is not None and closed <= day:
            dispatcher.utter_message(
                response="utter_new_user_opened_after", closed=closed.strftime("%d/%m/%Y")
            )
            return {"new_user_opened_on": None}
        return {"new_user_opened_on": day.isoformat()}

    def validate_new_user_closed_on(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == "":
            return {"new_user_closed_on": ""}
        day = day_of(value)
        if day is None:
            dispatcher.utter_message(response="utter_form_expect_date")
            return {"new_user_closed_on": None}
        opened = day_of(tracker.get_slot("new_user_opened_on")) or self.context.today()
        if day <= opened:
            dispatcher.utter_message(
                response="utter_new_user_closed_before", opened=opened.strftime("%d/%m/%Y")
            )
            return {"new_user_closed_on": None}
        return {"new_user_closed_on": day.isoformat()}


class ActionNewUserDone(FormDone):
    """Creates the user on Valider; the services email the identifier and a provisional
    password (never shown here)."""

    spec = NEW_USER

    async def transmit(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        phone = tracker.get_slot("new_user_phone") or None
        texts = Texts(self.context.domain)
        try:
            view = create_user(
                self.context.uow(),
                actor_id=int(session_user(tracker) or 0),
                last_name=str(tracker.get_slot("new_user_last_name") or ""),
                first_name=str(tracker.get_slot("new_user_first_name") or ""),
                email=str(tracker.get_slot("new_user_email") or ""),
                email_confirmation=str(tracker.get_slot("new_user_email_again") or ""),
                phone=phone,
                phone_confirmation=tracker.get_slot("new_user_phone_again") if phone else None,
                mobile_worker=tracker.get_slot("new_user_mobile") == "itinerant",
                group_ids=_chosen(tracker),
                opened_on=day_of(tracker.get_slot("new_user_opened_on")),
                closed_on=day_of(tracker.get_slot("new_user_closed_on")),
                now=self.context.now(),
            )
        except InvalidFields as error:
            reasons = "; ".join(
                texts.text(FIELD_REASONS.get(reason, "utter_new_user_reason_invalid"))
                for reason in dict.fromkeys(error.fields.values())
            )
            dispatcher.utter_message(response="utter_new_user_refused", reasons=reasons)
            return []
        except (NotAllowed, NotFound) as error:
            refuse(dispatcher, error)
            return []
        dispatcher.utter_message(
            response="utter_new_user_created",
            name=texts.name(view),
            buttons=[
                {
                    "title": texts.text("utter_users_button_list"),
                    "payload": payload("manage_users"),
                }
            ],
        )
        return []


__all__ = ["NEW_USER", "NEW_USER_ACTIONS", "ValidateNewUserForm"]

NEW_USER_ACTIONS = (
    ActionStartNewUser,
    ActionAskNewUserGroupPick,
    ValidateNewUserForm,
    ActionNewUserDone,
)
