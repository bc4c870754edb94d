"""The July rent form's validator: extraction and validation of every answer; a refusal says
why and asks again."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import choice, yes_no
from dialogs.actions.core.base import (
    BotFormValidation,
    entities,
    session_user,
)
from dialogs.actions.declarations.rent_questions import tenant_label
from dialogs.nlu import TenantCandidate, match_tenants
from dialogs.payloads import payload
from dialogs.texts import text, word_groups
from services.core.errors import AmountError, NotAllowed, NotFound
from services.core.money import format_euros, parse_amount
from services.core.rules import rent_campaign_rules
from services.declarations.views import rent_facts
from services.documents.texts import format_paris
from services.tenants.views import tenant_candidates, tenant_ids_by_allocataire

AMOUNT_REASONS = {
    "empty": "utter_rent_amount_invalid",
    "not_a_number": "utter_rent_amount_invalid",
    "not_positive": "utter_rent_amount_not_positive",
    "too_many_decimals": "utter_rent_amount_decimals",
    "too_large": "utter_rent_amount_too_large",
}

CONFIRM_WORDS = word_groups("rent_recap_choices")

EDIT_TARGETS = {"flatshare": "rent_flatshare", "amount": "rent_amount", "unpaid": "rent_unpaid"}

EDIT_WORDS = word_groups("rent_edit_choices")


class ValidateRentForm(BotFormValidation):
    """Extraction and validation of every answer; refusals say why and ask again."""

    def name(self) -> str:
        return "validate_rent_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = ["rent_tenant", "rent_still_manager"]
        if tracker.get_slot("rent_still_manager") is False:
            return slots
        slots.append("rent_still_living")
        if tracker.get_slot("rent_still_living") is False:
            return slots
        slots += ["rent_flatshare", "rent_amount"]
        if tracker.get_slot("rent_amount_unusual"):
            slots.append("rent_amount_confirm")
        slots += ["rent_unpaid", "rent_confirm"]
        if tracker.get_slot("rent_confirm") == "modifier":
            slots.append("rent_edit")
        return slots

    # ----- tenant --------------------------------------------------------------------------
    def _candidates(self, tracker: Tracker) -> list[TenantCandidate]:
        rows = tenant_candidates(
            self.context.uow(), user_id=session_user(tracker), today=self.context.today()
        )
        return [TenantCandidate(id=i, first_name=f, last_name=last) for i, f, last in rows]

    def extract_rent_tenant(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("rent_tenant") is not None and self.requested(tracker) != "rent_tenant":
            return {}
        if entities(tracker, "rent_tenant"):
            return {}
        found = entities(tracker, "tenant_name")
        asked = self.requested(tracker) == "rent_tenant"
        if not found and asked:
            text = tracker.latest_message.get("text") or ""
            found = match_tenants(text, self._candidates(tracker))
            if not found:
                number = entities(tracker, "allocataire_number") or []
                for candidate in self._by_number(tracker, number):
                    return {"rent_tenant": candidate}
                dispatcher.utter_message(response="utter_rent_tenant_unknown")
                return {}
        if not found:
            return {}
        entity = found[0]
        if entity.get("tenant_id") is not None:
            return {"rent_tenant": int(entity["tenant_id"])}
        if entity.get("candidates") and asked:
            by_id = {c.id: c for c in self._candidates(tracker)}
            buttons = [
                {
                    "title": f"{by_id[i].last_name} {by_id[i].first_name}",
                    "payload": payload("inform", rent_tenant=i),
                }
                for i in entity["candidates"]
                if i in by_id
            ]
            dispatcher.utter_message(response="utter_rent_tenant_ambiguous", buttons=buttons)
        return {}

    def _by_number(self, tracker: Tracker, found: list[dict[str, Any]]) -> list[int]:
        if not found:
            return []
        return tenant_ids_by_allocataire(
            self.context.uow(),
            user_id=session_user(tracker),
            today=self.context.today(),
            number=str(found[0]["value"]),
        )

    def validate_rent_tenant(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            facts = rent_facts(
                self.context.uow(),
                user_id=session_user(tracker),
                tenant_id=int(value),
                today=self.context.today(),
            )
        except (NotFound, NotAllowed, ValueError, TypeError):
            dispatcher.utter_message(response="utter_rent_tenant_unknown")
            return {"rent_tenant": None}
        if facts.transmitted_at is not None:
            dispatcher.utter_message(
                response="utter_rent_already_transmitted",
                year=facts.year,
                tenant=tenant_label(facts),
                when=format_paris(facts.transmitted_at),
                amount=format_euros(facts.transmitted_rent_cents or 0),
                reference=facts.receipt_reference,
            )
            return {"rent_tenant": None}
        last = facts.last_rent_cents
        dispatcher.utter_message(
            response="utter_rent_facts",
            tenant=f"{facts.first_name} {facts.last_name}",
            allocataire=facts.allocataire_number,
            last_year=facts.year - 1,
            last_rent=format_euros(last) if last else text("utter_rent_last_unknown"),
            since=facts.since.strftime("%d/%m/%Y"),
            flatshare=yes_no(facts.flatshare),
            address=facts.address,
        )
        return {
            "rent_tenant": facts.tenant_id,
            "rent_tenant_name": tenant_label(facts),
            "rent_year": facts.year,
            "rent_last_amount": last,
        }

    # ----- yes/no questions ----------------------------------------------------------------
    def validate_rent_still_manager(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is False:
            dispatcher.utter_message(response="utter_rent_not_manager")
        return {"rent_still_manager": bool(value)}

    def validate_rent_still_living(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is False:
            dispatcher.utter_message(response="utter_rent_tenant_left")
        return {"rent_still_living": bool(value)}

    def validate_rent_flatshare(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"rent_flatshare": bool(value)}

    def validate_rent_unpaid(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True:
            dispatcher.utter_message(response="utter_rent_unpaid_noted")
        return {"rent_unpaid": bool(value)}

    # ----- amount --------------------------------------------------------------------------
    def extract_rent_amount(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if entities(tracker, "rent_amount"):
            return {}
        found = entities(tracker, "amount")
        asked = self.requested(tracker) == "rent_amount"
        if asked:
            if found and "cents" in found[0]:
                return {"rent_amount": int(found[0]["cents"])}
            return {"rent_amount": tracker.latest_message.get("text") or ""}
        if not found or "cents" not in found[0]:
            return {}
        cents = int(found[0]["cents"])
        previous = tracker.get_slot("rent_amount")
        if previous is None:
            return {"rent_amount": cents}
        if previous != cents:
            dispatcher.utter_message(
                response="utter_value_kept", previous=format_euros(int(previous))
            )
        return {}

    def validate_rent_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            cents = value if isinstance(value, int) else parse_amount(str(value))
            if cents <= 0:
                raise AmountError("not_positive")
        except AmountError as error:
            dispatcher.utter_message(response=AMOUNT_REASONS[error.reason])
            return {"rent_amount": None, "rent_amount_unusual": None}
        last = tracker.get_slot("rent_last_amount")
        unusual = rent_campaign_rules(self.context.today()).is_unusual(cents, last)
        return {"rent_amount": cents, "rent_amount_unusual": unusual, "rent_amount_confirm": None}

    def validate_rent_amount_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True:
            return {"rent_amount_confirm": True}
        return {"rent_amount": None, "rent_amount_confirm": None, "rent_amount_unusual": None}

    # ----- recap ---------------------------------------------------------------------------
    def validate_rent_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        picked = choice(tracker, value, CONFIRM_WORDS)
        if picked is None:
            dispatcher.utter_message(response="utter_rent_confirm_unclear")
        return {"rent_confirm": picked}

    def validate_rent_edit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        picked = choice(tracker, value, EDIT_WORDS)
        if picked is None:
            dispatcher.utter_message(response="utter_rent_edit_unclear")
            return {"rent_edit": None}
        target = EDIT_TARGETS[picked]
        reset: dict[str, Any] = {"rent_edit": None, "rent_confirm": None, target: None}
        if target == "rent_amount":
            reset.update(rent_amount_unusual=None, rent_amount_confirm=None)
        return reset


ACTIONS = (ValidateRentForm,)
