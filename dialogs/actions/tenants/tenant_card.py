"""One tenant's card in « Mes locataires »: its facts, where its declarations stand
("transmis", departed, management ended, changes and unpaid reports in progress) and the buttons
for what can still be done, each carrying the tenant id the services check again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import format_day
from dialogs.actions.core.base import BotAction
from dialogs.actions.declarations.receipts_again import CHANGE_NAMES, UNPAID
from dialogs.actions.tenants.picker import scoped_card
from dialogs.payloads import payload
from dialogs.texts import text
from services.core.money import format_euros
from services.declarations.models import DeclarationState
from services.tenants.views import TenantCard


def card_buttons(card: TenantCard, domain: DomainDict) -> list[dict[str, Any]]:
    """The card's actions, each carrying the tenant id the services check again."""
    rules = {r["steps"][0].get("intent") for r in domain.get("__rules__", []) if r.get("steps")}
    tid = card.tenant_id
    buttons = []
    if card.expects_declaration and card.declaration_state is DeclarationState.NON_SAISI:
        buttons.append(
            {
                "title": text("utter_button_tenant_declare_rent"),
                "payload": payload("declare_rent", rent_tenant=tid),
            }
        )
    if "declare_change" in rules and card.management_ended_on is None:
        buttons.append(
            {
                "title": text("utter_button_tenant_declare_change"),
                "payload": payload("declare_change", change_tenant=tid),
            }
        )
    if "report_unpaid" in rules and not card.open_unpaid:
        buttons.append(
            {
                "title": text("utter_button_tenant_report_unpaid"),
                "payload": payload("report_unpaid", unpaid_tenant=tid),
            }
        )
    if card.declaration_state is DeclarationState.TRANSMIS:
        buttons.append(
            {
                "title": text("utter_button_tenant_rent_receipt"),
                "payload": payload("list_tenants", tenant_receipt=tid),
            }
        )
    for change in card.open_changes:
        name = CHANGE_NAMES[change.kind]
        buttons.append(
            {
                "title": text(f"utter_button_tenant_change_receipt_{name}"),
                "payload": payload("list_tenants", tenant_receipt=tid, receipt_kind=name),
            }
        )
    if card.open_unpaid:
        buttons.append(
            {
                "title": text("utter_button_tenant_unpaid_receipt"),
                "payload": payload("list_tenants", tenant_receipt=tid, receipt_kind=UNPAID),
            }
        )
    if "view_payments" in rules:
        buttons.append(
            {
                "title": text("utter_button_tenant_payments"),
                "payload": payload("view_payments", payments_tenant=tid),
            }
        )
    return buttons


def show_card(dispatcher: CollectingDispatcher, card: TenantCard, domain: DomainDict) -> None:
    situation = []
    if card.departed_on:
        situation.append(text("utter_tenant_departed", day=format_day(card.departed_on)))
    if card.management_ended_on:
        ended = format_day(card.management_ended_on)
        situation.append(text("utter_tenant_management_ended", day=ended))
    for change in card.open_changes:
        label = text(f"utter_tenant_change_{change.kind.value}")
        situation.append(text("utter_tenant_change_open", change=label, reference=change.reference))
    for report in card.open_unpaid:
        debt = format_euros(report.debt_cents)
        situation.append(text("utter_tenant_unpaid_open", reference=report.reference, debt=debt))
    declared = (
        text(
            "utter_tenant_rent_transmitted",
            amount=format_euros(card.declared_rent_cents or 0),
            reference=card.declaration_reference,
        )
        if card.declaration_state is DeclarationState.TRANSMIS
        else state_label(DeclarationState.NON_SAISI)
    )
    dispatcher.utter_message(
        response="utter_tenant_card",
        tenant=f"{card.last_name} {card.first_name}",
        allocataire=card.allocataire_number,
        address=card.address,
        since=format_day(card.since),
        flatshare=text("utter_tenant_flatshare_yes", cotenants=card.cotenants)
        if card.flatshare
        else text("utter_tenant_flatshare_no"),
        aid=card.aid_type.value,
        aid_to=text(
            "utter_tenant_aid_to_landlord"
            if card.aid_paid_to_landlord
            else "utter_tenant_aid_to_tenant"
        ),
        year=card.year,
        declared=declared
        if card.expects_declaration or card.declaration_state is DeclarationState.TRANSMIS
        else text("utter_tenant_rent_not_expected"),
        situation=" ; ".join(situation) or text("utter_tenant_nothing_open"),
        buttons=card_buttons(card, domain),
    )


def state_label(state: DeclarationState) -> str:
    """ "non saisi" or "transmis", as the list and the card say it."""
    return text(f"utter_tenant_state_{state.value}")


def open_card(
    action: BotAction,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    tid: Any,
) -> list[dict[str, Any]]:
    card = scoped_card(action, tracker, tid)
    if card is None:
        dispatcher.utter_message(response="utter_flow_tenant_unknown")
        return []
    show_card(dispatcher, card, domain)
    return []
