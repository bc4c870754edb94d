"""Declaring a change (fin de gestion, départ, colocation): type, tenant, the type's questions,
recap with Valider / Modifier / Quitter, then the PDF receipt.

Dates are checked here with the services' own rule (`check_fact_date`) so a wrong date is asked
again at once; the service checks everything again when the declaration is transmitted.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
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
from dialogs.actions.flow_helpers import (
    CONFIRM_WORDS,
    AskTenantAction,
    TenantPicker,
    choice,
    format_day,
    option,
    optional_text,
    parse_iso_date,
    plain,
    recap_buttons,
    scoped_card,
    skip_button,
)
from dialogs.payloads import payload
from services.changes import (
    MAX_COTENANTS,
    TransmittedChange,
    declare_departure,
    declare_end_of_management,
    declare_flatshare,
)
from services.clock import format_paris
from services.errors import (
    ChangeAlreadyDeclared,
    DateError,
    InvalidValue,
    NotAllowed,
    NotFound,
)
from services.flows_common import FUTURE_TOLERANCE, add_months, check_fact_date
from services.rent import rent_campaign
from services.tenants import TenantCard

END, DEPARTURE, FLATSHARE = "end_of_management", "tenant_departure", "flatshare"
TYPE_LABELS = {END: "une fin de gestion", DEPARTURE: "un départ", FLATSHARE: "une colocation"}
RECEIPT_LABELS = {END: "fin de gestion", DEPARTURE: "départ", FLATSHARE: "colocation"}
TYPE_WORDS = {
    END: ("fin de gestion", "gestion", "vend", "vente", "deces", "mandat"),
    DEPARTURE: ("depart", "parti", "demenag", "quitte"),
    FLATSHARE: ("coloc",),
}
REASON_WORDS = {
    "sale": ("vente", "vendu", "vend"),
    "owner_death": ("deces", "decede", "mort"),
    "mandate_end": ("mandat", "gestion"),
    "other": ("autre",),
}
REASON_LABELS = {
    "sale": "Vente du logement",
    "owner_death": "Décès du propriétaire",
    "mandate_end": "Fin du mandat de gestion",
    "other": "Autre motif",
}
TYPE_SLOTS = {
    END: ["change_end_date", "change_end_reason", "change_new_manager"],
    DEPARTURE: ["change_departure_date", "change_lease_end_date", "change_new_address"],
}
EDIT_LABELS = {
    "change_end_date": "Date de fin de gestion",
    "change_end_reason": "Motif",
    "change_new_manager": "Nouveau propriétaire ou gestionnaire",
    "change_departure_date": "Date de départ",
    "change_lease_end_date": "Date de fin du bail",
    "change_new_address": "Nouvelle adresse",
    "change_flatshare": "Colocation oui/non",
    "change_cotenants": "Nombre de colocataires",
    "change_cotenant_names": "Noms des colocataires",
    "change_from_date": "Date de début",
}
DATE_FIELDS = {
    "change_end_date": "ended_on",
    "change_departure_date": "departed_on",
    "change_lease_end_date": "lease_ended_on",
    "change_from_date": "from_date",
}
NUMBER_WORDS = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "un": 1, "une": 1,
}  # fmt: skip
SERVICE_REASONS = {
    "management_ended": "utter_change_management_ended",
    "lease_ended_before_departure": "utter_change_lease_before_departure",
    "flatshare_needs_two": "utter_change_cotenants_invalid",
    "invalid_cotenants": "utter_change_cotenants_invalid",
    "too_many_names": "utter_change_names_too_many",
    "no_change": "utter_change_flatshare_no_change",
    "tenant_left": "utter_change_tenant_left",
}


def change_slots(change_type: str | None, tracker: Tracker) -> list[str]:
    """The questions of a change type, in the order they are asked."""
    if change_type in TYPE_SLOTS:
        return list(TYPE_SLOTS[change_type])
    if change_type == FLATSHARE:
        slots = ["change_flatshare"]
        if tracker.get_slot("change_flatshare") is not False:
            slots += ["change_cotenants", "change_cotenant_names"]
        return [*slots, "change_from_date"]
    return []


def _cotenants(text: str) -> int | None:
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group())
    for word in plain(text).split():
        if word in NUMBER_WORDS:
            return NUMBER_WORDS[word]
    return None


def _names(text: str) -> list[str]:
    parts = re.split(r",|;|\bet\b|\n", text)
    return [part.strip() for part in parts if part.strip()]


class ActionStartChange(StartFormAction):
    """Opens the form; a change type or tenant named in the message (or a button) is kept."""

    form = "change_form"
    starts_forms = ("change_form",)


class ActionAskChangeTenant(AskTenantAction):
    slot = "change_tenant"

    def values(self, tracker: Tracker) -> dict[str, Any]:
        return {"change": TYPE_LABELS.get(str(tracker.get_slot("change_type")), "un changement")}


class ActionAskChangeNewManager(BotAction):
    def name(self) -> str:
        return "action_ask_change_new_manager"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_ask_change_new_manager", buttons=[skip_button()])
        return []


class ActionAskChangeNewAddress(BotAction):
    def name(self) -> str:
        return "action_ask_change_new_address"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            response="utter_ask_change_new_address", buttons=[skip_button("Adresse inconnue")]
        )
        return []


class ActionAskChangeCotenantNames(BotAction):
    def name(self) -> str:
        return "action_ask_change_cotenant_names"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            response="utter_ask_change_cotenant_names",
            cotenants=tracker.get_slot("change_cotenants"),
            buttons=[skip_button()],
        )
        return []


def recap_rows(tracker: Tracker) -> list[str]:
    """The answers of the recap, in the order of the questions."""
    kind = tracker.get_slot("change_type")
    rows = [
        f"• Changement : {TYPE_LABELS.get(str(kind), '')}",
        f"• Locataire : {tracker.get_slot('change_tenant_name')}",
    ]

    def day(slot: str) -> str:
        value = parse_iso_date(tracker.get_slot(slot))
        return format_day(value) if value else ""

    if kind == END:
        rows += [
            f"• Fin de gestion le : {day('change_end_date')}",
            f"• Motif : {REASON_LABELS.get(str(tracker.get_slot('change_end_reason')), '')}",
            "• Nouveau propriétaire ou gestionnaire : "
            f"{tracker.get_slot('change_new_manager') or 'non connu'}",
        ]
    elif kind == DEPARTURE:
        rows += [
            f"• Date de départ : {day('change_departure_date')}",
            f"• Date de fin du bail : {day('change_lease_end_date')}",
            f"• Nouvelle adresse : {tracker.get_slot('change_new_address') or 'non connue'}",
        ]
    elif kind == FLATSHARE:
        flatshare = tracker.get_slot("change_flatshare")
        rows += [
            f"• Colocation : {'Oui' if flatshare else 'Non'}",
            f"• Colocataires inscrits au bail : {tracker.get_slot('change_cotenants')}",
        ]
        if flatshare:
            names = tracker.get_slot("change_cotenant_names") or "non communiqués"
            rows.append(f"• Noms des colocataires : {names}")
        rows.append(f"• À compter du : {day('change_from_date')}")
    return rows


class ActionAskChangeConfirm(BotAction):
    def name(self) -> str:
        return "action_ask_change_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            response="utter_change_recap",
            rows="\n".join(recap_rows(tracker)),
            buttons=recap_buttons(),
        )
        return []


class ActionAskChangeEdit(BotAction):
    def name(self) -> str:
        return "action_ask_change_edit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        slots = change_slots(tracker.get_slot("change_type"), tracker)
        buttons = [
            {"title": EDIT_LABELS[slot], "payload": payload("choose", option=slot)}
            for slot in slots
        ]
        dispatcher.utter_message(response="utter_ask_change_edit", buttons=buttons)
        return []


class ValidateChangeForm(BotFormValidation):
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
        kind = value if value in TYPE_LABELS else choice(tracker, value, TYPE_WORDS)
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
            flatshare="Oui" if card.flatshare else "Non",
            cotenants=card.cotenants,
        )
        return {
            "change_tenant": card.tenant_id,
            "change_tenant_name": f"{card.last_name} {card.first_name}",
            "change_tenant_since": card.since.isoformat(),
            "change_tenant_flatshare": card.flatshare,
        }

    # ----- dates ---------------------------------------------------------------------------
    def _opening_date(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        """The date given with the change in the message that opens the form.

        "Mme Brisson est partie le 15 octobre" names the change and its date together, so that
        date answers the question before it is asked; with two dates the message is ambiguous
        and each date is asked for.
        """
        if self.requested(tracker) is not None or tracker.get_slot(slot) is not None:
            return {}
        if not entities(tracker, "change_type"):
            return {}
        dates = entities(tracker, "date")
        return {slot: dates[0].get("value")} if len(dates) == 1 else {}

    def _noted(
        self, slot: str, day: date | None, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> None:
        """A date taken from the opening message is said back, since it was never asked."""
        if day is not None and self.requested(tracker) != slot:
            dispatcher.utter_message(
                response="utter_change_date_noted", label=EDIT_LABELS[slot], day=format_day(day)
            )

    def extract_change_end_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._opening_date("change_end_date", tracker)

    def extract_change_departure_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._opening_date("change_departure_date", tracker)

    def extract_change_from_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._opening_date("change_from_date", tracker)

    def _date(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> date | None:
        """The date of the answer if it may be declared; otherwise say why and return None."""
        day = parse_iso_date(value)
        if day is None:
            dispatcher.utter_message(response="utter_change_date_invalid")
            return None
        today = self.context.today()
        since = parse_iso_date(tracker.get_slot("change_tenant_since"))
        not_before = None if slot == "change_lease_end_date" else since
        try:
            check_fact_date(day, today=today, not_before=not_before, field=DATE_FIELDS[slot])
        except DateError as error:
            if error.reason.endswith("too_far_ahead"):
                dispatcher.utter_message(
                    response="utter_change_date_future",
                    day=format_day(day),
                    limit=format_day(today + FUTURE_TOLERANCE),
                )
            else:
                dispatcher.utter_message(
                    response="utter_change_date_before_move_in",
                    day=format_day(day),
                    since=format_day(since or day),
                )
            return None
        return day

    def validate_change_end_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_end_date", value, dispatcher, tracker)
        self._noted("change_end_date", day, dispatcher, tracker)
        return {"change_end_date": day.isoformat() if day else None}

    def validate_change_departure_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_departure_date", value, dispatcher, tracker)
        if day is None:
            return {"change_departure_date": None}
        report_by = add_months(day, 1)
        if self.context.today() > report_by:
            dispatcher.utter_message(
                response="utter_change_departure_late",
                day=format_day(day),
                by=format_day(report_by),
            )
        if self.requested(tracker) != "change_departure_date":
            dispatcher.utter_message(response="utter_change_departure_noted", day=format_day(day))
        lease = parse_iso_date(tracker.get_slot("change_lease_end_date"))
        reset = {"change_lease_end_date": None} if lease is not None and lease < day else {}
        return {"change_departure_date": day.isoformat(), **reset}

    def validate_change_lease_end_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_lease_end_date", value, dispatcher, tracker)
        if day is None:
            return {"change_lease_end_date": None}
        departed = parse_iso_date(tracker.get_slot("change_departure_date"))
        if departed is not None and day < departed:
            dispatcher.utter_message(
                response="utter_change_lease_before_departure", departed=format_day(departed)
            )
            return {"change_lease_end_date": None}
        return {"change_lease_end_date": day.isoformat()}

    def validate_change_from_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_from_date", value, dispatcher, tracker)
        self._noted("change_from_date", day, dispatcher, tracker)
        return {"change_from_date": day.isoformat() if day else None}

    # ----- other answers -------------------------------------------------------------------
    def validate_change_end_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reason = value if value in REASON_LABELS else choice(tracker, value, REASON_WORDS)
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
        if count is None or not 2 <= count <= MAX_COTENANTS:
            dispatcher.utter_message(response="utter_change_cotenants_invalid", most=MAX_COTENANTS)
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
            words = {slot: (plain(EDIT_LABELS[slot]),) for slot in slots}
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


class ActionChangeDone(BotAction):
    """Transmits on Valider and sends the receipt; a refusal of the service is said in French."""

    def name(self) -> str:
        return "action_change_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cleared = [SlotSet(slot, None) for slot in tracker.slots if slot.startswith("change_")]
        confirm = tracker.get_slot("change_confirm")
        if confirm == "quitter":
            dispatcher.utter_message(response="utter_change_quit")
            return cleared
        if confirm != "valider":
            return cleared
        try:
            done = self._transmit(tracker)
        except ChangeAlreadyDeclared as already:
            dispatcher.utter_message(
                response="utter_change_already_declared",
                when=format_paris(already.transmitted_at),
                reference=already.reference,
            )
            return cleared
        except (NotFound, NotAllowed):
            dispatcher.utter_message(response="utter_flow_tenant_unknown")
            return cleared
        except InvalidValue as error:
            dispatcher.utter_message(
                response=SERVICE_REASONS.get(error.reason, "utter_change_refused"),
                departed=self._departed(tracker),
                cotenants=tracker.get_slot("change_cotenants"),
                most=MAX_COTENANTS,
            )
            return cleared
        send_document(
            dispatcher,
            filename=done.pdf_filename,
            content=done.pdf,
            response="utter_change_transmitted",
            change=RECEIPT_LABELS[str(tracker.get_slot("change_type"))],
            tenants=", ".join(done.tenant_names),
            reference=done.reference,
            when=format_paris(done.transmitted_at),
        )
        if done.late:
            dispatcher.utter_message(response="utter_change_transmitted_late")
        campaign = rent_campaign(
            self.context.uow(), user_id=session_user(tracker), today=self.context.today()
        )
        dispatcher.utter_message(
            response="utter_change_campaign",
            year=campaign.year,
            remaining=len(campaign.remaining),
            total=campaign.total,
        )
        return cleared

    @staticmethod
    def _departed(tracker: Tracker) -> str:
        day = parse_iso_date(tracker.get_slot("change_departure_date"))
        return format_day(day) if day else ""

    def _transmit(self, tracker: Tracker) -> TransmittedChange:
        kind = tracker.get_slot("change_type")
        common: dict[str, Any] = {
            "user_id": session_user(tracker),
            "tenant_id": int(tracker.get_slot("change_tenant")),
            "now": self.context.now(),
        }
        uow = self.context.uow()

        def day(slot: str) -> date:
            value = parse_iso_date(tracker.get_slot(slot))
            if value is None:
                raise InvalidValue(f"invalid_{slot}")
            return value

        if kind == END:
            return declare_end_of_management(
                uow,
                ended_on=day("change_end_date"),
                reason=str(tracker.get_slot("change_end_reason")),
                new_manager=tracker.get_slot("change_new_manager") or None,
                **common,
            )
        if kind == DEPARTURE:
            return declare_departure(
                uow,
                departed_on=day("change_departure_date"),
                lease_ended_on=day("change_lease_end_date"),
                new_address=tracker.get_slot("change_new_address") or None,
                **common,
            )
        names = str(tracker.get_slot("change_cotenant_names") or "")
        return declare_flatshare(
            uow,
            flatshare=bool(tracker.get_slot("change_flatshare")),
            cotenants=int(tracker.get_slot("change_cotenants") or 1),
            cotenant_names=[n.strip() for n in names.split(",") if n.strip()],
            from_date=day("change_from_date"),
            **common,
        )


ACTIONS = (
    ActionStartChange,
    ActionAskChangeTenant,
    ActionAskChangeNewManager,
    ActionAskChangeNewAddress,
    ActionAskChangeCotenantNames,
    ActionAskChangeConfirm,
    ActionAskChangeEdit,
    ValidateChangeForm,
    ActionChangeDone,
)
