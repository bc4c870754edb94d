"""The change form's validator: every answer checked as it comes, dates with the services' own
rule (`check_fact_date`) so a wrong date is asked again at once, the reason said in French."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import (
    CONFIRM_WORDS,
    choice,
    format_day,
    option,
    optional_text,
    plain,
    yes_no,
)
from dialogs.actions.declarations.change_dates import ChangeDateAnswers
from dialogs.actions.declarations.change_questions import (
    DEPARTURE,
    FLATSHARE,
    REASONS,
    TYPES,
    change_slots,
    edit_label,
)
from dialogs.actions.tenants.picker import TenantPicker, scoped_card
from dialogs.texts import numbers, word_groups, words
from services.core.rules import change_rules
from services.tenants.views import TenantCard

TYPE_WORDS = word_groups("change_types")
REASON_WORDS = word_groups("end_reasons")
NUMBER_WORDS = numbers("numbers")
_NAME_SEPARATORS = re.compile(
    "|".join([",", ";", "\n", *(rf"\b{re.escape(word)}\b" for word in words("name_separators"))])
)


def _cotenants(text: str) -> int | None:
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group())
    for word in plain(text).split():
        if word in NUMBER_WORDS:
            return NUMBER_WORDS[word]
    return None


def _names(text: str) -> list[str]:
    parts = _NAME_SEPARATORS.split(text)
    return [part.strip() for part in parts if part.strip()]


class ValidateChangeForm(ChangeDateAnswers):
    """Every answer checked as it comes, with the reason in French when it is refused."""

    def name(self) -> str:
        return "validate_change_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = ["change_type", "change_tenant"]
        slots += change_slots(tracker.get_slot("change_type"), tracker)
        slots.append("change_confirm")
        if tracker.get_slot("change_confirm") == "modifier":
            slots.append("change_edit")
        return slots

    # ----- type and tenant -----------------------------------------------------------------
    @staticmethod
    def _refusal(card: TenantCard, kind: Any, dispatcher: CollectingDispatcher) -> bool:
        """True (and says why) when this change cannot be declared for this tenant any more."""
        name = f"{card.last_name} {card.first_name}"
        if card.management_ended_on is not None:
            dispatcher.utter_message(
                response="utter_change_already_ended",
                tenant=name,
                when=format_day(card.management_ended_on),
            )
            return True
        if kind in (DEPARTURE, FLATSHARE) and card.departed_on is not None:
            dispatcher.utter_message(
                response="utter_change_already_departed",
                tenant=name,
                when=format_day(card.departed_on),
            )
            return True
        return False

    def validate_change_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        kind = value if value in TYPES else choice(tracker, value, TYPE_WORDS)
        if kind is None:
            dispatcher.utter_message(response="utter_change_type_unclear")
            return {"change_type": None}
        tenant = tracker.get_slot("change_tenant")
        card = scoped_card(self, tracker, tenant) if tenant is not None else None
        if card is not None and self._refusal(card, kind, dispatcher):
            return {"change_type": None}
        return {"change_type": kind}

    def extract_change_tenant(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        picker = TenantPicker(
            self.context,
            "change_tenant",
            "utter_flow_tenant_unknown",
            "utter_flow_tenant_ambiguous",
        )
        return picker.extract(dispatcher, tracker, self.requested(tracker))

    def validate_change_tenant(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        card = scoped_card(self, tracker, value)
        if card is None:
            dispatcher.utter_message(response="utter_flow_tenant_unknown")
            return {"change_tenant": None}
        if self._refusal(card, tracker.get_slot("change_type"), dispatcher):
            return {"change_tenant": None}
        dispatcher.utter_message(
            response="utter_change_tenant_facts",
            tenant=f"{card.last_name} {card.first_name}",
            allocataire=card.allocataire_number,
            address=card.address,
            since=format_day(card.since),
            flatshare=yes_no(card.flatshare),
            cotenants=card.cotenants,
        )
        return {
            "change_tenant": card.tenant_id,
            "change_tenant_name": f"{card.last_name} {card.first_name}",
            "change_tenant_since": card.since.isoformat(),
            "change_tenant_flatshare": card.flatshare,
        }

    # ----- other answers -------------------------------------------------------------------
    def validate_change_end_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reason = value if value in REASONS else choice(tracker, value, REASON_WORDS)
        if reason is None:
            dispatcher.utter_message(response="utter_change_reason_unclear")
        return {"change_end_reason": reason}

    def validate_change_new_manager(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = optional_text(value)
        if text is not None and len(text) > 200:
            dispatcher.utter_message(response="utter_change_text_too_long", limit=200)
            return {"change_new_manager": None}
        return {"change_new_manager": text}

    def validate_change_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = optional_text(value)
        if text is not None and len(text) > 300:
            dispatcher.utter_message(response="utter_change_text_too_long", limit=300)
            return {"change_new_address": None}
        return {"change_new_address": text}

    def validate_change_flatshare(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is False:
            if tracker.get_slot("change_tenant_flatshare") is False:
                dispatcher.utter_message(response="utter_change_flatshare_no_change")
                return {"change_flatshare": None}
            return {"change_flatshare": False, "change_cotenants": 1, "change_cotenant_names": ""}
        reset = {"change_cotenants": None} if tracker.get_slot("change_cotenants") == 1 else {}
        return {"change_flatshare": True, **reset}

    def validate_change_cotenants(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        count = value if isinstance(value, int) else _cotenants(str(value or ""))
        most = change_rules(self.context.today()).max_cotenants
        if count is None or not 2 <= count <= most:
            dispatcher.utter_message(response="utter_change_cotenants_invalid", most=most)
            return {"change_cotenants": None}
        return {"change_cotenants": count}

    def validate_change_cotenant_names(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = optional_text(value)
        if not text:
            return {"change_cotenant_names": ""}
        names = _names(text)
        count = int(tracker.get_slot("change_cotenants") or 0)
        if len(names) > count or any(len(name) > 100 for name in names):
            dispatcher.utter_message(response="utter_change_names_too_many", cotenants=count)
            return {"change_cotenant_names": None}
        return {"change_cotenant_names": ", ".join(names)}

    def validate_change_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        picked = choice(tracker, value, CONFIRM_WORDS)
        if picked is None:
            dispatcher.utter_message(response="utter_flow_confirm_unclear")
        return {"change_confirm": picked}

    def validate_change_edit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        slots = change_slots(tracker.get_slot("change_type"), tracker)
        target = option(tracker)
        if target not in slots:
            words = {slot: (plain(edit_label(slot)),) for slot in slots}
            target = choice(tracker, value, words)
        if target is None:
            dispatcher.utter_message(response="utter_flow_edit_unclear")
            return {"change_edit": None}
        reset: dict[str, Any] = {"change_edit": None, "change_confirm": None, target: None}
        if target == "change_flatshare":
            reset.update(change_cotenants=None, change_cotenant_names=None)
        if target == "change_cotenants":
            reset["change_cotenant_names"] = None
        return reset


ACTIONS = (ValidateChangeForm,)
