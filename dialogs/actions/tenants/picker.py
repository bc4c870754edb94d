"""Which of the user's tenants a form is about: named in a message (typos tolerated, only the
user's own tenants), pressed on a button, or given by numéro allocataire; and the question that
offers them as buttons. The same rules for every form that asks for a tenant.
"""

from __future__ import annotations

from typing import Any, Protocol

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from dialogs.actions.core.base import BotAction, entities, session_user
from dialogs.context import ActionContext
from dialogs.nlu import TenantCandidate, match_tenants
from dialogs.payloads import payload
from services.core.errors import NotAllowed, NotFound
from services.tenants.views import (
    TenantCard,
    tenant_candidates,
    tenant_card,
    tenant_ids_by_allocataire,
)


class TenantPicker:
    """Finds which of the user's tenants a message names, for the slot `slot` of a form.

    The same rules as the rent form: a tenant id only comes from a button of this conversation
    (and is checked again by the services), a name is matched among the user's own tenants only,
    a numéro allocataire likewise; nothing found says so politely.
    """

    def __init__(self, context: ActionContext, slot: str, unknown: str, ambiguous: str) -> None:
        self.context = context
        self.slot = slot
        self.unknown = unknown
        self.ambiguous = ambiguous

    def candidates(self, tracker: Tracker) -> list[TenantCandidate]:
        try:
            rows = tenant_candidates(
                self.context.uow(), user_id=session_user(tracker), today=self.context.today()
            )
        except NotAllowed:
            return []
        return [TenantCandidate(id=i, first_name=f, last_name=last) for i, f, last in rows]

    def by_number(self, tracker: Tracker) -> list[int]:
        found = entities(tracker, "allocataire_number")
        if not found:
            return []
        return tenant_ids_by_allocataire(
            self.context.uow(),
            user_id=session_user(tracker),
            today=self.context.today(),
            number=str(found[0]["value"]),
        )

    def extract(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, requested: str | None
    ) -> dict[str, Any]:
        """The slot value the message gives, or {} (the engine's own mapping already ran)."""
        asked = requested == self.slot
        if tracker.get_slot(self.slot) is not None and not asked:
            return {}
        if entities(tracker, self.slot):
            return {}
        found = entities(tracker, "tenant_name")
        if not found:
            numbers = self.by_number(tracker)
            if len(numbers) == 1:
                return {self.slot: numbers[0]}
            if asked:
                text = tracker.latest_message.get("text") or ""
                found = match_tenants(text, self.candidates(tracker))
                if not found:
                    dispatcher.utter_message(response=self.unknown)
                    return {}
        if not found:
            return {}
        entity = found[0]
        if entity.get("tenant_id") is not None:
            return {self.slot: int(entity["tenant_id"])}
        if entity.get("candidates") and asked:
            by_id = {c.id: c for c in self.candidates(tracker)}
            buttons = [
                {
                    "title": f"{by_id[i].last_name} {by_id[i].first_name}",
                    "payload": payload("inform", **{self.slot: i}),
                }
                for i in entity["candidates"]
                if i in by_id
            ]
            dispatcher.utter_message(response=self.ambiguous, buttons=buttons)
        return {}

    def buttons(self, tracker: Tracker, limit: int = 8) -> list[dict[str, Any]]:
        """The user's tenants as choices, for the question that asks which one."""
        return [
            {
                "title": f"{c.last_name} {c.first_name}",
                "payload": payload("inform", **{self.slot: c.id}),
            }
            for c in sorted(self.candidates(tracker), key=lambda c: (c.last_name, c.first_name))
        ][:limit]


class AskTenantAction(BotAction):
    """Asks which tenant a form is about, with the user's own tenants as buttons."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def values(self, tracker: Tracker) -> dict[str, Any]:
        return {}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        picker = TenantPicker(
            self.context, self.slot, "utter_flow_tenant_unknown", "utter_flow_tenant_ambiguous"
        )
        dispatcher.utter_message(
            response=f"utter_ask_{self.slot}",
            buttons=picker.buttons(tracker),
            **self.values(tracker),
        )
        return []


class _WithContext(Protocol):
    context: ActionContext


def scoped_card(action: _WithContext, tracker: Tracker, tenant_id: Any) -> TenantCard | None:
    """The tenant's card if it is inside the user's scope; a forged or stale id gives None."""
    try:
        return tenant_card(
            action.context.uow(),
            user_id=session_user(tracker),
            tenant_id=int(tenant_id),
            today=action.context.today(),
        )
    except (NotFound, NotAllowed, ValueError, TypeError):
        return None
