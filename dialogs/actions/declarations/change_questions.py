"""Declaring a change (fin de gestion, départ, colocation): its types and their questions, the
questions that offer buttons, the recap with Valider / Modifier / Quitter and which answer to
change."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import (
    format_day,
    parse_iso_date,
    recap_buttons,
    skip_button,
)
from dialogs.actions.core.base import (
    BotAction,
    StartFormAction,
)
from dialogs.actions.tenants.picker import AskTenantAction
from dialogs.payloads import payload

END, DEPARTURE, FLATSHARE = "end_of_management", "tenant_departure", "flatshare"

TYPE_LABELS = {END: "une fin de gestion", DEPARTURE: "un départ", FLATSHARE: "une colocation"}

RECEIPT_LABELS = {END: "fin de gestion", DEPARTURE: "départ", FLATSHARE: "colocation"}

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


ACTIONS = (
    ActionStartChange,
    ActionAskChangeTenant,
    ActionAskChangeNewManager,
    ActionAskChangeNewAddress,
    ActionAskChangeCotenantNames,
    ActionAskChangeConfirm,
    ActionAskChangeEdit,
)
