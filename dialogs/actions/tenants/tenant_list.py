"""Mes locataires: the list (5 per page, with the campaign count), a search and a tenant's card.

Not a form: a list or a card is one answer. Page, search and card buttons carry their query in
the payload of `list_tenants`, so each press is a fresh, stateless request the services re-check.
Only asking for a search criterion needs a one-question form (`tenants_form`). The card is
`tenant_card.py`.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import plain
from dialogs.actions.core.base import BotAction, BotFormValidation, entities, session_user
from dialogs.actions.tenants.tenant_card import open_card, state_label
from dialogs.payloads import payload
from dialogs.texts import text, word_groups, words
from dialogs.wording import count
from services.core.errors import InvalidValue
from services.declarations.models import DeclarationState
from services.tenants.views import TenantPage, TenantQuery, list_tenants

STATE_WORDS = {
    DeclarationState(state): keywords
    for state, keywords in word_groups("declaration_states").items()
}
# "mes locataires à Caen", "locataires de Mondeville", "code postal 14540"
_INTRODUCERS = sorted(words("place_introducers"), key=len, reverse=True)
_PLACE = re.compile(
    rf"(?:\b(?:{'|'.join(re.escape(word) for word in _INTRODUCERS)})\s+)([a-z][a-z' -]{{2,40}})$"
)
_POSTCODE = re.compile(r"\b(\d{5})\b")
_NOT_PLACES = set(words("not_places"))


def _state(text: str) -> DeclarationState | None:
    folded = plain(text)
    for state in (DeclarationState.NON_SAISI, DeclarationState.TRANSMIS):
        if any(word in folded for word in STATE_WORDS[state]):
            return state
    return None


def query_from_message(tracker: Tracker) -> tuple[str, DeclarationState | None, int | None]:
    """(search text, state, tenant id) from a payload's entities or a free-text message."""
    values = {e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities", [])}
    if "tenant_query" in values or "tenant_state" in values:
        state = values.get("tenant_state")
        return (
            str(values.get("tenant_query") or ""),
            DeclarationState(state) if state else None,
            None,
        )
    text = str(tracker.latest_message.get("text") or "")
    if text.startswith("/"):
        return "", None, None
    state = _state(text)
    names = entities(tracker, "tenant_name")
    if names and names[0].get("tenant_id") is not None:
        return "", state, int(names[0]["tenant_id"])
    if names:
        return str(names[0].get("text") or text[names[0]["start"] : names[0]["end"]]), state, None
    numbers = entities(tracker, "allocataire_number")
    if numbers:
        return str(numbers[0]["value"]), state, None
    folded = plain(text)
    postcode = _POSTCODE.search(folded)
    if postcode:
        return postcode.group(1), state, None
    place = _PLACE.search(folded)
    if place and place.group(1).strip() not in _NOT_PLACES and _state(place.group(1)) is None:
        return place.group(1).strip(), state, None
    return "", state, None


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
        return payload("list_tenants", **values)

    lines = "\n".join(
        text(
            "utter_tenants_line",
            last_name=line.last_name,
            first_name=line.first_name,
            allocataire=line.allocataire_number,
            postcode=line.postcode,
            commune=line.commune,
            year=page.year,
            state=state_label(line.state),
        )
        for line in page.lines
    )
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
    buttons.append(
        {
            "title": text("utter_button_tenants_search"),
            "payload": payload("list_tenants", tenant_search=True),
        }
    )
    criteria = [text("utter_tenants_criterion_text", text=searched)] if searched else []
    if state is not None:
        criteria.append(text("utter_tenants_criterion_state", state=state_label(state)))
    dispatcher.utter_message(
        response="utter_tenants_count",
        remaining=count(page.remaining, "rent"),
        total=page.total,
        year=page.year,
    )
    if not page.lines:
        dispatcher.utter_message(
            response="utter_tenants_none", criteria=", ".join(criteria), buttons=buttons[-1:]
        )
        return
    dispatcher.utter_message(
        response="utter_tenants_page",
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
        text, state, tenant_id = query_from_message(tracker)
        if card_id is not None or tenant_id is not None:
            return open_card(self, dispatcher, tracker, domain, card_id or tenant_id)
        try:
            page_number = max(1, int(values.get("tenant_page") or 1))
        except (TypeError, ValueError):
            page_number = 1
        return run_search(self, dispatcher, tracker, domain, text, state, page_number)


def run_search(
    action: BotAction,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    text: str,
    state: DeclarationState | None,
    page_number: int,
) -> list[dict[str, Any]]:
    try:
        page = list_tenants(
            action.context.uow(),
            user_id=session_user(tracker),
            today=action.context.today(),
            query=TenantQuery(text=text[:100], state=state, page=page_number),
        )
    except InvalidValue:
        dispatcher.utter_message(response="utter_tenants_search_invalid")
        return []
    exact = [line for line in page.lines if line.allocataire_number == text.strip()]
    if page.matched == 1 and exact:  # a whole numéro allocataire names one tenant: their card
        return open_card(action, dispatcher, tracker, domain, exact[0].tenant_id)
    show_page(dispatcher, page, text, state)
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
            return [
                *run_search(self, dispatcher, tracker, domain, "", DeclarationState(answer), 1),
                *cleared,
            ]
        state = _state(answer)
        text = "" if state is not None and len(answer.split()) <= 2 else answer
        return [*run_search(self, dispatcher, tracker, domain, text, state, 1), *cleared]


ACTIONS = (ActionListTenants, ValidateTenantsForm, ActionTenantsSearchDone)
