"""The new-user form's validator: each answer checked as it comes, then the user created on
Valider; the service checks everything again and its refusals send the user back to the fields
in error."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.accounts.contact_answers import (
    email_again_answer,
    email_answer,
    phone_again_answer,
    phone_answer,
)
from dialogs.actions.accounts.new_user_questions import (
    EDIT_FIELDS,
    chosen_groups,
    grantable_groups,
    parse_day,
)
from dialogs.actions.accounts.users import day_text, group_label, refuse, user_name
from dialogs.actions.core.answers import option, plain, response_text
from dialogs.actions.core.base import BotAction, BotFormValidation, session_user
from dialogs.actions.core.menu import menu_buttons
from dialogs.payloads import payload
from dialogs.texts import text, word_groups, words
from services.accounts.users import create_user
from services.core.errors import InvalidFields, NotAllowed, NotFound

# Reason codes of `InvalidFields` → the French sentence part, and the slots to ask again.
FIELD_SLOTS = {
    "last_name": ["new_user_last_name"],
    "first_name": ["new_user_first_name"],
    "email": ["new_user_email", "new_user_email_again"],
    "email_confirmation": ["new_user_email", "new_user_email_again"],
    "phone": ["new_user_phone", "new_user_phone_again"],
    "phone_confirmation": ["new_user_phone", "new_user_phone_again"],
    "group_ids": ["new_user_group_pick"],
    "opened_on": ["new_user_opened_on"],
    "closed_on": ["new_user_closed_on"],
}

EDIT_WORDS = word_groups("new_user_edit_choices")

FIELD_REASONS = {
    "email_format": "utter_new_user_email_format",
    "mismatch": "utter_new_user_email_mismatch",
    "phone_format": "utter_new_user_phone_format",
    "before_opening": "utter_new_user_closed_before",
    "unknown_group": "utter_new_user_group_unknown",
    "not_your_group": "utter_new_user_group_unknown",
}


class ValidateNewUserForm(BotFormValidation):
    """Checks each answer as it comes, then creates the user on Valider (the service checks
    everything again and its refusals send the user back to the fields in error)."""

    def name(self) -> str:
        return "validate_new_user_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = [s for s in domain_slots if s != "new_user_edit"]
        if tracker.get_slot("new_user_confirm") == "modifier":
            slots.append("new_user_edit")
        if tracker.get_slot("new_user_phone") == "skip":
            return [s for s in slots if s != "new_user_phone_again"]
        return slots

    def _name(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if not text or len(text) > 80 or not any(c.isalpha() for c in text):
            dispatcher.utter_message(response="utter_new_user_name_invalid")
            return {slot: None}
        if any(c.isdigit() or c in "@/\\<>{}" for c in text):
            dispatcher.utter_message(response="utter_new_user_name_invalid")
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
        return email_answer("new_user", value, dispatcher)

    def validate_new_user_email_again(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return email_again_answer("new_user", value, dispatcher, tracker)

    def validate_new_user_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = plain(str(value or ""))
        if option(tracker) == "skip" or text in words("no_phone"):
            return {"new_user_phone": "skip", "new_user_phone_again": None}
        return phone_answer("new_user", value, dispatcher)

    def validate_new_user_phone_again(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return phone_again_answer("new_user", value, dispatcher, tracker)

    def validate_new_user_mobile(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = option(tracker)
        text = plain(str(value or ""))
        workplaces = word_groups("workplaces")
        if chosen not in workplaces:
            found = [
                key for key, keywords in workplaces.items() if any(w in text for w in keywords)
            ]
            if found:
                chosen = found[0]
            else:
                dispatcher.utter_message(response="utter_new_user_mobile_unclear")
                return {"new_user_mobile": None}
        return {"new_user_mobile": chosen}

    def validate_new_user_group_pick(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = chosen_groups(tracker)
        picked = option(tracker) or ""
        text = plain(str(value or ""))
        if picked == "done" or (not picked and text in words("groups_done")):
            if not chosen:
                dispatcher.utter_message(response="utter_new_user_group_required")
                return {"new_user_group_pick": None}
            return {"new_user_group_pick": "done"}
        groups = {g.id: g for g in grantable_groups(self, tracker)}
        group_id: int | None = None
        if picked.startswith("group-") and picked[6:].isdigit():
            group_id = int(picked[6:])
        elif not picked:
            for filler in words("group_filler"):
                text = text.replace(filler, "")
            typed = text.split()
            matches = [
                g
                for g in groups.values()
                if typed and all(w in plain(group_label(g)) for w in typed)
            ]
            group_id = matches[0].id if len(matches) == 1 else None
        if group_id not in groups:
            dispatcher.utter_message(response="utter_new_user_group_unknown")
            return {"new_user_group_pick": None}
        label = group_label(groups[group_id])
        if group_id in chosen:
            chosen.remove(group_id)
            dispatcher.utter_message(response="utter_new_user_group_removed", label=label)
        else:
            chosen.append(group_id)
            dispatcher.utter_message(response="utter_new_user_group_added", label=label)
        return {"new_user_group_pick": None, "new_user_groups": chosen}

    def validate_new_user_opened_on(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        today = self.context.today()
        if option(tracker) == "today" or plain(str(value or "")) in words("today"):
            return {"new_user_opened_on": today.isoformat()}
        day = parse_day(value)
        if day is None:
            dispatcher.utter_message(response="utter_new_user_date_invalid")
            return {"new_user_opened_on": None}
        if day < today:
            dispatcher.utter_message(response="utter_new_user_opened_past")
            return {"new_user_opened_on": None}
        return {"new_user_opened_on": day.isoformat()}

    def validate_new_user_closed_on(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = plain(str(value or ""))
        if option(tracker) == "none" or text in words("no_closing_date"):
            return {"new_user_closed_on": "none"}
        day = parse_day(value)
        if day is None:
            dispatcher.utter_message(response="utter_new_user_date_invalid")
            return {"new_user_closed_on": None}
        opened = parse_day(tracker.get_slot("new_user_opened_on")) or self.context.today()
        if day <= opened:
            dispatcher.utter_message(
                response="utter_new_user_closed_before", opened=day_text(opened)
            )
            return {"new_user_closed_on": None}
        return {"new_user_closed_on": day.isoformat()}

    def validate_new_user_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        choice = option(tracker) or ""
        text = plain(str(value or ""))
        choices = word_groups("new_user_recap_choices")
        if choice not in choices:
            found = [key for key, keywords in choices.items() if any(w in text for w in keywords)]
            if found:
                choice = found[0]
            else:
                dispatcher.utter_message(response="utter_new_user_confirm_unclear")
                return {"new_user_confirm": None}
        if choice in ("quitter", "modifier"):
            return {"new_user_confirm": choice}
        return self._create(dispatcher, tracker, domain)

    def validate_new_user_edit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        picked = option(tracker) or ""
        if picked not in EDIT_FIELDS:
            text = plain(str(value or ""))
            tokens = text.replace("'", " ").split()
            found = [
                key
                for key, starts in EDIT_WORDS.items()
                if any(token.startswith(starts) for token in tokens)
            ]
            picked = found[0] if len(found) == 1 else ""
        if not picked:
            dispatcher.utter_message(response="utter_new_user_edit_unclear")
            return {"new_user_edit": None}
        # The answer is asked again; every other one is kept, and the recap follows.
        return {
            "new_user_edit": None,
            "new_user_confirm": None,
            **dict.fromkeys(EDIT_FIELDS[picked], None),
        }

    def _create(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        phone = tracker.get_slot("new_user_phone")
        phone = None if phone == "skip" else phone
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
                group_ids=chosen_groups(tracker),
                opened_on=parse_day(tracker.get_slot("new_user_opened_on")),
                closed_on=parse_day(tracker.get_slot("new_user_closed_on")),
                now=self.context.now(),
            )
        except InvalidFields as error:
            reasons = "; ".join(
                response_text(domain, FIELD_REASONS.get(reason, "utter_new_user_name_invalid"))
                for reason in dict.fromkeys(error.fields.values())
            )
            dispatcher.utter_message(response="utter_new_user_refused", reasons=reasons)
            reset: dict[str, Any] = {"new_user_confirm": None}
            for field in error.fields:
                reset.update(dict.fromkeys(FIELD_SLOTS.get(field, []), None))
            if "group_ids" in error.fields:
                reset["new_user_groups"] = []
            return reset
        except (NotAllowed, NotFound) as error:
            refuse(dispatcher, error)
            return {"new_user_confirm": "abandon"}
        return {"new_user_confirm": "valider", "new_user_created": user_name(view)}


class ActionNewUserDone(BotAction):
    def name(self) -> str:
        return "action_new_user_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        confirm = tracker.get_slot("new_user_confirm")
        if confirm == "quitter":
            dispatcher.utter_message(response="utter_new_user_quit")
        elif confirm == "valider" and tracker.get_slot("new_user_created"):
            dispatcher.utter_message(
                response="utter_new_user_created",
                name=tracker.get_slot("new_user_created"),
                buttons=[
                    {"title": text("utter_button_users_list"), "payload": payload("manage_users")}
                ],
            )
        else:
            dispatcher.utter_message(response="utter_menu", buttons=menu_buttons(domain, True))
        return []


ACTIONS = (
    ValidateNewUserForm,
    ActionNewUserDone,
)
