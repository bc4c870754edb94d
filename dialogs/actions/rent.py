"""The July rent declaration, in the web service's order: tenant, five questions, recap, Valider."""

from __future__ import annotations

import unicodedata
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.base import (
    BotAction,
    BotFormValidation,
    StartFormAction,
    entities,
    send_document,
    session_user,
)
from dialogs.nlu import TenantCandidate, match_tenants
from dialogs.payloads import payload
from services.clock import format_paris
from services.errors import AmountError, NotAllowed, NotFound, RentAlreadyTransmitted
from services.money import format_euros, parse_amount
from services.receipts import Receipt, render_receipt
from services.rent import RentAnswers, RentFacts, TransmittedRent, rent_campaign, rent_facts
from services.rent import transmit_rent as transmit
from services.views import tenant_candidates, tenant_ids_by_allocataire

UNUSUAL_CHANGE = 0.30
UNUSUAL_CEILING_CENTS = 5_000_00
TENANT_BUTTONS = 8
AMOUNT_REASONS = {
    "empty": "utter_rent_amount_invalid",
    "not_a_number": "utter_rent_amount_invalid",
    "not_positive": "utter_rent_amount_not_positive",
    "too_many_decimals": "utter_rent_amount_decimals",
    "too_large": "utter_rent_amount_too_large",
}
CONFIRM_WORDS = {
    "valider": ("valid", "transmet", "envoie", "envoyer"),
    "modifier": ("modif", "corrig", "chang"),
    "quitter": ("quit", "abandon", "annul", "laisse tomber"),
}
EDIT_TARGETS = {"flatshare": "rent_flatshare", "amount": "rent_amount", "unpaid": "rent_unpaid"}
EDIT_WORDS = {
    "flatshare": ("coloc",),
    "amount": ("montant", "loyer", "somme", "prix"),
    "unpaid": ("impay",),
}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _yes_no(value: bool) -> str:
    return "Oui" if value else "Non"


def _tenant_label(facts: RentFacts) -> str:
    return f"{facts.last_name} {facts.first_name}"


def _option(tracker: Tracker) -> str | None:
    found = entities(tracker, "option")
    return str(found[0]["value"]) if found else None


class ActionStartRent(StartFormAction):
    """Opens the declaration; a tenant named in the message is taken as the answer."""

    form = "rent_form"
    starts_forms = ("rent_form",)


class ActionAskRentTenant(BotAction):
    """Shows the campaign's count and the tenants still to declare as choices."""

    def name(self) -> str:
        return "action_ask_rent_tenant"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        campaign = rent_campaign(
            self.context.uow(), user_id=session_user(tracker), today=self.context.today()
        )
        if campaign.total == 0:
            dispatcher.utter_message(response="utter_rent_no_tenant", year=campaign.year)
            return [ActiveLoop(None)]
        if not campaign.remaining:
            dispatcher.utter_message(response="utter_rent_all_done", year=campaign.year)
            return [ActiveLoop(None)]
        dispatcher.utter_message(
            response="utter_rent_campaign",
            year=campaign.year,
            remaining=len(campaign.remaining),
            total=campaign.total,
        )
        buttons = [
            {
                "title": f"{line.last_name} {line.first_name} — n° {line.allocataire_number} — "
                f"{line.postcode} {line.commune}",
                "payload": payload("inform", rent_tenant=line.tenant_id),
            }
            for line in campaign.remaining[:TENANT_BUTTONS]
        ]
        dispatcher.utter_message(response="utter_ask_rent_tenant", buttons=buttons)
        return []


class ActionAskRentAmount(BotAction):
    def name(self) -> str:
        return "action_ask_rent_amount"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        last = tracker.get_slot("rent_last_amount")
        buttons = []
        if last:
            label = f"Même montant que l'an dernier ({format_euros(int(last))})"
            buttons.append({"title": label, "payload": payload("inform", rent_amount=int(last))})
        dispatcher.utter_message(
            response="utter_ask_rent_amount", year=tracker.get_slot("rent_year"), buttons=buttons
        )
        return []


class ActionAskRentAmountConfirm(BotAction):
    def name(self) -> str:
        return "action_ask_rent_amount_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cents = int(tracker.get_slot("rent_amount") or 0)
        last = tracker.get_slot("rent_last_amount")
        if last and abs(cents - int(last)) > UNUSUAL_CHANGE * int(last):
            change = round(100 * (cents - int(last)) / int(last))
            reason = f"très différent de celui de l'an dernier ({format_euros(int(last))}, {change:+d} %)"
        else:
            reason = "particulièrement élevé pour un loyer mensuel hors charges"
        dispatcher.utter_message(
            response="utter_ask_rent_amount_confirm", amount=format_euros(cents), reason=reason
        )
        return []


class ActionAskRentConfirm(BotAction):
    """The recap: last known information and every answer, then Valider / Modifier / Quitter."""

    def name(self) -> str:
        return "action_ask_rent_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        facts = rent_facts(
            self.context.uow(),
            user_id=session_user(tracker),
            tenant_id=int(tracker.get_slot("rent_tenant")),
            today=self.context.today(),
        )
        last = facts.last_rent_cents
        dispatcher.utter_message(
            response="utter_rent_recap",
            tenant=_tenant_label(facts),
            allocataire=facts.allocataire_number,
            address=facts.address,
            last_year=facts.year - 1,
            last_rent=format_euros(last) if last else "inconnu",
            year=facts.year,
            flatshare=_yes_no(bool(tracker.get_slot("rent_flatshare"))),
            amount=format_euros(int(tracker.get_slot("rent_amount"))),
            unpaid=_yes_no(bool(tracker.get_slot("rent_unpaid"))),
            buttons=[
                {"title": "Valider", "payload": payload("choose", option="valider")},
                {"title": "Modifier", "payload": payload("choose", option="modifier")},
                {"title": "Quitter", "payload": payload("choose", option="quitter")},
            ],
        )
        return []


class ActionAskRentEdit(BotAction):
    def name(self) -> str:
        return "action_ask_rent_edit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            response="utter_ask_rent_edit",
            buttons=[
                {"title": "Colocation", "payload": payload("choose", option="flatshare")},
                {"title": "Montant du loyer", "payload": payload("choose", option="amount")},
                {"title": "Impayé à signaler", "payload": payload("choose", option="unpaid")},
            ],
        )
        return []


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
                tenant=_tenant_label(facts),
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
            last_rent=format_euros(last) if last else "inconnu",
            since=facts.since.strftime("%d/%m/%Y"),
            flatshare=_yes_no(facts.flatshare),
            address=facts.address,
        )
        return {
            "rent_tenant": facts.tenant_id,
            "rent_tenant_name": _tenant_label(facts),
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
        unusual = cents > UNUSUAL_CEILING_CENTS or (
            bool(last) and abs(cents - int(last)) > UNUSUAL_CHANGE * int(last)
        )
        return {"rent_amount": cents, "rent_amount_unusual": unusual, "rent_amount_confirm": None}

    def validate_rent_amount_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True:
            return {"rent_amount_confirm": True}
        return {"rent_amount": None, "rent_amount_confirm": None, "rent_amount_unusual": None}

    # ----- recap ---------------------------------------------------------------------------
    @staticmethod
    def _choice(tracker: Tracker, value: Any, words: dict[str, tuple[str, ...]]) -> str | None:
        option = _option(tracker)
        if option in words:
            return option
        text = _plain(str(value or ""))
        for key, keywords in words.items():
            if any(word in text for word in keywords):
                return key
        return None

    def validate_rent_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        choice = self._choice(tracker, value, CONFIRM_WORDS)
        if choice is None:
            dispatcher.utter_message(response="utter_rent_confirm_unclear")
        return {"rent_confirm": choice}

    def validate_rent_edit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        choice = self._choice(tracker, value, EDIT_WORDS)
        if choice is None:
            dispatcher.utter_message(response="utter_rent_edit_unclear")
            return {"rent_edit": None}
        target = EDIT_TARGETS[choice]
        reset: dict[str, Any] = {"rent_edit": None, "rent_confirm": None, target: None}
        if target == "rent_amount":
            reset.update(rent_amount_unusual=None, rent_amount_confirm=None)
        return reset


def rent_receipt(done: TransmittedRent) -> Receipt:
    facts = done.facts
    return Receipt(
        title=f"Déclaration du loyer de juillet {facts.year}",
        organisation=facts.organisation_name,
        reference=done.reference,
        issued_at=done.transmitted_at,
        rows=(
            ("Locataire", f"{facts.last_name} {facts.first_name}"),
            ("Numéro allocataire", facts.allocataire_number),
            ("Adresse du logement", facts.address),
            ("Logement occupé depuis le", facts.since.strftime("%d/%m/%Y")),
            ("Année", str(facts.year)),
            ("Toujours gestionnaire du logement", "Oui"),
            ("Locataire toujours dans le logement", "Oui"),
            ("Colocation", _yes_no(done.flatshare)),
            (f"Loyer hors charges de juillet {facts.year}", format_euros(done.rent_cents)),
            ("Impayé à signaler", _yes_no(done.unpaid_to_report)),
            ("Transmis par", done.transmitted_by),
        ),
    )


class ActionRentDone(BotAction):
    """Ends the form: transmits on Valider, otherwise explains that nothing was saved."""

    def name(self) -> str:
        return "action_rent_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cleared = [SlotSet(slot, None) for slot in tracker.slots if slot.startswith("rent_")]
        confirm = tracker.get_slot("rent_confirm")
        if tracker.get_slot("rent_still_manager") is False:
            self._offer_change(dispatcher, tracker, domain, "end_of_management")
            return cleared
        if tracker.get_slot("rent_still_living") is False:
            self._offer_change(dispatcher, tracker, domain, "tenant_departure")
            return cleared
        if confirm == "quitter":
            dispatcher.utter_message(response="utter_rent_quit")
            return cleared
        if confirm != "valider":
            return cleared
        user_id = session_user(tracker)
        try:
            answers = RentAnswers(
                tenant_id=int(tracker.get_slot("rent_tenant")),
                rent_cents=int(tracker.get_slot("rent_amount")),
                flatshare=bool(tracker.get_slot("rent_flatshare")),
                unpaid_to_report=bool(tracker.get_slot("rent_unpaid")),
            )
            done = transmit(
                self.context.uow(), user_id=user_id, answers=answers, now=self.context.now()
            )
        except RentAlreadyTransmitted as already:
            dispatcher.utter_message(
                response="utter_rent_already_transmitted",
                year=tracker.get_slot("rent_year"),
                tenant=tracker.get_slot("rent_tenant_name"),
                when=format_paris(already.transmitted_at),
                amount=format_euros(already.rent_cents),
                reference=already.reference,
            )
            return cleared
        except (NotFound, NotAllowed):
            dispatcher.utter_message(response="utter_rent_tenant_unknown")
            return cleared
        send_document(
            dispatcher,
            filename=f"recapitulatif-{done.reference}.pdf",
            content=render_receipt(rent_receipt(done)),
            response="utter_rent_transmitted",
            year=done.facts.year,
            tenant=f"{done.facts.last_name} {done.facts.first_name}",
            amount=format_euros(done.rent_cents),
            reference=done.reference,
            when=format_paris(done.transmitted_at),
        )
        if done.unpaid_to_report:
            dispatcher.utter_message(
                response="utter_rent_unpaid_next",
                buttons=self._unpaid(domain, done.facts.tenant_id),
            )
        campaign = rent_campaign(self.context.uow(), user_id=user_id, today=self.context.today())
        if campaign.remaining:
            dispatcher.utter_message(
                response="utter_rent_next",
                remaining=len(campaign.remaining),
                total=campaign.total,
                buttons=[{"title": "Déclarer un autre loyer", "payload": payload("declare_rent")}],
            )
        return cleared

    @staticmethod
    def _has_rule(domain: DomainDict, intent: str) -> bool:
        return intent in {
            r["steps"][0].get("intent") for r in domain.get("__rules__", []) if r.get("steps")
        }

    @classmethod
    def _unpaid(cls, domain: DomainDict, tenant_id: int) -> list[dict[str, Any]]:
        if not cls._has_rule(domain, "report_unpaid"):
            return []
        title = "Signaler un impayé"
        return [{"title": title, "payload": payload("report_unpaid", unpaid_tenant=tenant_id)}]

    @classmethod
    def _offer_change(
        cls, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, kind: str
    ) -> None:
        """After "Non" to question 1 or 2: the change to declare instead, for this tenant."""
        tenant = tracker.get_slot("rent_tenant")
        if tenant is None or not cls._has_rule(domain, "declare_change"):
            return
        title = (
            "Déclarer une fin de gestion" if kind == "end_of_management" else "Déclarer le départ"
        )
        button = payload("declare_change", change_type=kind, change_tenant=int(tenant))
        dispatcher.utter_message(
            response="utter_rent_change_offer", buttons=[{"title": title, "payload": button}]
        )


ACTIONS = (
    ActionStartRent,
    ActionAskRentTenant,
    ActionAskRentAmount,
    ActionAskRentAmountConfirm,
    ActionAskRentConfirm,
    ActionAskRentEdit,
    ValidateRentForm,
    ActionRentDone,
)
