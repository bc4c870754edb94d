"""Mes locataires: the list (5 per page, with the campaign count), the former tenants (departed,
or whose dwelling is no longer managed: "mes locataires partis"), a search and a tenant's card.
A search that matches nothing says so before anything else.

Not a form: a list or a card is one answer. Page, search and card buttons carry their query in
the payload of `list_tenants`, so each press is a fresh, stateless request the services re-check.
Only asking for a search criterion needs a one-question form (`tenants_form`). What a message
asks is read by `tenant_query.py`; the card is `tenant_card.py`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import format_day
from dialogs.actions.core.base import BotAction, BotFormValidation, session_user
from dialogs.actions.declarations.receipts_again import (
    asks_receipt,
    receipt_named,
    send_receipt_again,
)
from dialogs.actions.tenants.tenant_card import open_card, state_label
from dialogs.actions.tenants.tenant_query import Asked, asks_former, query_from_message, state_of
from dialogs.payloads import payload
from dialogs.texts import text
from dialogs.wording import count
from services.core.errors import InvalidValue
from services.declarations.models import DeclarationState
from services.declarations.views import TenantLine
from services.tenants.views import TenantPage, TenantQuery, list_tenants


def _line(page: TenantPage, line: TenantLine) -> str:
    values = {
        "last_name": line.last_name,
        "first_name": line.first_name,
        "allocataire": line.allocataire_number,
        "postcode": line.postcode,
        "commune": line.commune,
        "year": page.year,
        "state": state_label(line.state),
    }
    if not page.listed_former:
        return text("utter_tenants_line", **values)
    ended = line.departed_on or line.management_ended_on
    response = "utter_tenant_departed" if line.departed_on else "utter_tenant_management_ended"
    situation = text(response, day=format_day(ended)) if ended else ""
    if line.state is not DeclarationState.TRANSMIS:
        values["state"] = text("utter_tenant_rent_not_expected")
    return text("utter_tenants_former_line", situation=situation, **values)


def show_page(
    dispatcher: CollectingDispatcher,
    page: TenantPage,
    searched: str,
    state: DeclarationState | None,
) -> None:
    def nav(number: int) -> str:
        values: dict[str, Any] = {"tenant_query": searched, "tenant_page": number}
        if state is not None:
            values["tenant_state"] = state.value
        if page.listed_former:
            values["tenant_former"] = True
        return payload("list_tenants", **values)

    lines = "\n".join(_line(page, line) for line in page.lines)
    buttons = [
        {
            "title": f"{line.last_name} {line.first_name}",
            "payload": payload("list_tenants", tenant_card=line.tenant_id),
        }
        for line in page.lines
    ]
    if page.page > 1:
        buttons.append(
            {"title": text("utter_button_tenants_previous"), "payload": nav(page.page - 1)}
        )
    if page.page < page.total_pages:
        buttons.append({"title": text("utter_button_tenants_next"), "payload": nav(page.page + 1)})
    if page.former and not page.listed_former:
        buttons.append(
            {
                "title": text("utter_button_tenants_former", count=page.former),
                "payload": payload("list_tenants", tenant_former=True),
            }
        )
    buttons.append(
        {
            "title": text("utter_button_tenants_search"),
            "payload": payload("list_tenants", tenant_search=True),
        }
    )
    criteria = [text("utter_tenants_criterion_text", text=searched)] if searched else []
    if state is not None:
        criteria.append(text("utter_tenants_criterion_state", state=state_label(state)))
    if not page.lines and state is not None and not searched and not page.listed_former:
        # « combien il me reste » once everything is transmitted: the campaign's answer
        dispatcher.utter_message(
            response=f"utter_tenants_none_{state.value}",
            year=page.year,
            remaining=count(page.remaining, "rent"),
            buttons=buttons[-1:],
        )
        return
    if not page.lines:  # said first, before anything else
        response = "utter_tenants_former_none" if page.listed_former else "utter_tenants_none"
        if not criteria:
            response = "utter_tenants_former_empty" if page.listed_former else "utter_tenants_empty"
        dispatcher.utter_message(
            response=response, criteria=", ".join(criteria), buttons=buttons[-1:]
        )
        return
    dispatcher.utter_message(
        response="utter_tenants_count",
        remaining=count(page.remaining, "rent"),
        total=page.total,
        year=page.year,
    )
    dispatcher.utter_message(
        response="utter_tenants_former_page" if page.listed_former else "utter_tenants_page",
        criteria=text("utter_tenants_criteria", criteria=", ".join(criteria)) if criteria else "",
        matched=page.matched,
        page=page.page,
        pages=page.total_pages,
        lines=lines,
        buttons=buttons,
    )


class ActionListTenants(BotAction):
    """A page of the list, a search result, a card, or the search question."""

    requires_login = True
    starts_forms = ("tenants_form",)

    def name(self) -> str:
        return "action_list_tenants"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        values = {
            e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities", [])
        }
        if values.get("tenant_search"):
            return [ActiveLoop("tenants_form")]
        card_id = values.get("tenant_card")
        asked = query_from_message(tracker)
        receipt_of = _tenant_id(values.get("tenant_receipt"))
        kind = values.get("receipt_kind")
        typed = str(tracker.latest_message.get("text") or "")
        if receipt_of is None and asks_receipt(typed):
            receipt_of = asked.tenant_id  # « renvoie moi le reçu de brisson »
            kind = receipt_named(typed)
        if receipt_of is not None:
            send_receipt_again(
                self.context,
                dispatcher,
                user_id=session_user(tracker),
                tenant_id=receipt_of,
                kind=str(kind) if kind else None,
            )
            return []
        if card_id is not None or asked.tenant_id is not None:
            return open_card(self, dispatcher, tracker, domain, card_id or asked.tenant_id)
        try:
            page_number = max(1, int(values.get("tenant_page") or 1))
        except (TypeError, ValueError):
            page_number = 1
        return run_search(self, dispatcher, tracker, domain, asked, page_number)


def _tenant_id(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def run_search(
    action: BotAction,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    asked: Asked,
    page_number: int,
) -> list[dict[str, Any]]:
    text = asked.text
    try:
        page = list_tenants(
            action.context.uow(),
            user_id=session_user(tracker),
            today=action.context.today(),
            query=TenantQuery(
                text=text[:100], state=asked.state, former=asked.former, page=page_number
            ),
        )
    except InvalidValue:
        dispatcher.utter_message(response="utter_tenants_search_invalid")
        return []
    if page.matched == 0 and asked.guessed:
        # « cest quoi mes locataires »: words that are no tenant's, said so, then every tenant
        dispatcher.utter_message(response="utter_tenants_none_listing_all", searched=text)
        return run_search(action, dispatcher, tracker, domain, Asked(), page_number)
    exact = [line for line in page.lines if line.allocataire_number == text.strip()]
    if page.matched == 1 and exact:  # a whole numéro allocataire names one tenant: their card
        return open_card(action, dispatcher, tracker, domain, exact[0].tenant_id)
    show_page(dispatcher, page, text, asked.state)
    return []


class ValidateTenantsForm(BotFormValidation):
    def name(self) -> str:
        return "validate_tenants_form"

    def validate_tenants_search(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if not text or len(text) > 100:
            dispatcher.utter_message(response="utter_tenants_search_invalid")
            return {"tenants_search": None}
        return {"tenants_search": text}


class ActionTenantsSearchDone(BotAction):
    """The answer to "which tenants?": a state button, or a name, number, commune or postcode."""

    def name(self) -> str:
        return "action_tenants_search_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        answer = str(tracker.get_slot("tenants_search") or "")
        cleared = [SlotSet("tenants_search", None)]
        if answer in (DeclarationState.NON_SAISI.value, DeclarationState.TRANSMIS.value):
            asked = Asked(state=DeclarationState(answer))
            return [*run_search(self, dispatcher, tracker, domain, asked, 1), *cleared]
        state, former = state_of(answer), asks_former(answer)
        short = (state is not None or former) and len(answer.split()) <= 2
        asked = Asked(text="" if short else answer, state=state, former=former)
        return [*run_search(self, dispatcher, tracker, domain, asked, 1), *cleared]


ACTIONS = (ActionListTenants, ValidateTenantsForm, ActionTenantsSearchDone)
