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
    yes_no,
)
from dialogs.actions.core.base import (
    BotAction,
    StartFormAction,
)
from dialogs.actions.tenants.picker import AskTenantAction
from dialogs.payloads import payload
from dialogs.texts import text

END, DEPARTURE, FLATSHARE = "end_of_management", "tenant_departure", "flatshare"

TYPES = (END, DEPARTURE, FLATSHARE)
REASONS = ("sale", "owner_death", "mandate_end", "other")


def type_label(kind: Any, default: str = "") -> str:
    """ "une fin de gestion", "un départ", "une colocation" (`utter_change_type_<kind>`)."""
    return text(f"utter_change_type_{kind}") if kind in TYPES else default


def kind_label(kind: Any) -> str:
    """ "fin de gestion", "départ", "colocation", as a receipt names it."""
    return text(f"utter_change_kind_{kind}")


def reason_label(reason: Any) -> str:
    return text(f"utter_change_reason_{reason}") if reason in REASONS else ""


def edit_label(slot: str) -> str:
    """What an answer is called on the recap's Modifier buttons (`utter_label_<slot>`)."""
    return text(f"utter_label_{slot}")


TYPE_SLOTS = {
    END: ["change_end_date", "change_end_reason", "change_new_manager"],
    DEPARTURE: ["change_departure_date", "change_lease_end_date", "change_new_address"],
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
        kind = tracker.get_slot("change_type")
        return {"change": type_label(kind, default=text("utter_change_type_unknown"))}


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
            response="utter_ask_change_new_address",
            buttons=[skip_button("utter_button_unknown_address")],
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
        text("utter_change_row_type", change=type_label(kind)),
        text("utter_change_row_tenant", tenant=tracker.get_slot("change_tenant_name")),
    ]

    def day(slot: str) -> str:
        value = parse_iso_date(tracker.get_slot(slot))
        return format_day(value) if value else ""

    if kind == END:
        manager = tracker.get_slot("change_new_manager") or text("utter_change_unknown_manager")
        rows += [
            text("utter_change_row_end_date", day=day("change_end_date")),
            text(
                "utter_change_row_reason",
                reason=reason_label(tracker.get_slot("change_end_reason")),
            ),
            text("utter_change_row_new_manager", manager=manager),
        ]
    elif kind == DEPARTURE:
        address = tracker.get_slot("change_new_address") or text("utter_change_unknown_address")
        rows += [
            text("utter_change_row_departure_date", day=day("change_departure_date")),
            text("utter_change_row_lease_end_date", day=day("change_lease_end_date")),
            text("utter_change_row_new_address", address=address),
        ]
    elif kind == FLATSHARE:
        flatshare = tracker.get_slot("change_flatshare")
        rows += [
            text("utter_change_row_flatshare", answer=yes_no(bool(flatshare))),
            text("utter_change_row_cotenants", cotenants=tracker.get_slot("change_cotenants")),
        ]
        if flatshare:
            names = tracker.get_slot("change_cotenant_names") or text(
                "utter_change_names_not_given"
            )
            rows.append(text("utter_change_row_cotenant_names", names=names))
        rows.append(text("utter_change_row_from_date", day=day("change_from_date")))
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
            {"title": edit_label(slot), "payload": payload("choose", option=slot)} for slot in slots
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
