"""Which of the user's tenants an answer names: by button, name (typos tolerated) or numéro
allocataire, always inside the user's scope.

A name shared by several tenants is asked back with one button each, a page at a time, with
buttons to the previous and next pages, so that 300 homonyms never make one keyboard of 300
buttons.

The tenant views, and the business models under them, are imported by the first lookup: the
engine imports this module with the form machinery at start-up, and nothing reads a tenant
before the first prompt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from dialogs.context import TURN_TENANTS, ActionContext
from dialogs.nlu import TenantCandidate, match_tenants
from dialogs.payloads import payload
from dialogs.texts import text
from services.core.errors import NotAllowed

PAGE = 8


@dataclass
class TenantChooser:
    """Resolves a tenant answer for `slot` for one user, loading their tenants only if needed."""

    context: ActionContext
    user_id: int | None
    slot: str
    _candidates: list[TenantCandidate] | None = field(default=None, init=False)

    def candidates(self) -> list[TenantCandidate]:
        if self._candidates is None and self.user_id is not None:
            # Those the engine read for this turn's message (same user, same scope version).
            self._candidates = (TURN_TENANTS.get() or {}).get(self.user_id)
        if self._candidates is None:
            from services.tenants.views import tenant_candidates

            try:
                rows = tenant_candidates(
                    self.context.uow(), user_id=self.user_id, today=self.context.today()
                )
            except NotAllowed:
                rows = []
            self._candidates = [
                TenantCandidate(id=i, first_name=f, last_name=n) for i, f, n in rows
            ]
            shared = TURN_TENANTS.get()
            if shared is not None and self.user_id is not None:
                shared[self.user_id] = self._candidates
        return self._candidates

    def resolve(self, value: Any, dispatcher: CollectingDispatcher, *, asked: bool) -> int | None:
        """The tenant id the answer names; otherwise says why (when asked) and returns None."""
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
        if not isinstance(value, dict):
            return None
        if value.get("id") is not None:
            return int(value["id"])
        ids: list[int] = []
        page = value["page"] if isinstance(value.get("page"), int) else 0
        if value.get("candidates"):
            ids = [int(i) for i in value["candidates"]]
        elif value.get("number"):
            from services.tenants.views import tenant_ids_by_allocataire

            ids = tenant_ids_by_allocataire(
                self.context.uow(),
                user_id=self.user_id,
                today=self.context.today(),
                number=str(value["number"]),
            )
        elif value.get("text"):
            found = match_tenants(str(value["text"]), self.candidates())
            if found and found[0].get("tenant_id") is not None:
                return int(found[0]["tenant_id"])
            if found:
                ids = [int(i) for i in found[0].get("candidates") or []]
        if len(ids) == 1:
            return ids[0]
        if asked and ids:
            self.offer(ids, dispatcher, response="utter_form_tenant_ambiguous", page=page)
        elif asked:
            dispatcher.utter_message(response="utter_form_tenant_unknown")
        return None

    def offer(
        self,
        ids: list[int],
        dispatcher: CollectingDispatcher,
        *,
        response: str,
        page: int = 0,
        **values: Any,
    ) -> None:
        """A page of tenants as buttons; the text says how many there are in all."""
        known = {c.id: c for c in self.candidates()}
        shown = sorted(
            (known[i] for i in ids if i in known), key=lambda c: (c.last_name, c.first_name)
        )
        pages = max(1, -(-len(shown) // PAGE))
        page = min(max(page, 0), pages - 1)
        chunk = shown[page * PAGE : (page + 1) * PAGE]
        buttons = [
            {
                "title": f"{c.last_name} {c.first_name}",
                "payload": payload("inform", **{self.slot: c.id}),
            }
            for c in chunk
        ]
        ordered = [c.id for c in shown]
        for label, to in (
            ("utter_button_tenants_previous", page - 1),
            ("utter_button_tenants_next", page + 1),
        ):
            if 0 <= to < pages:
                turn = {"candidates": ordered, "page": to}
                buttons.append(
                    {"title": text(label), "payload": payload("inform", **{self.slot: turn})}
                )
        dispatcher.utter_message(
            response=response,
            buttons=buttons,
            count=len(shown),
            shown=len(chunk),
            more=max(0, len(shown) - (page + 1) * PAGE),
            **values,
        )
