"""What the change, unpaid, tenant and payment dialogs share: picking a tenant of the user's scope
from a message, reading dates, and the Valider / Modifier / Quitter recap choice.

Kept apart from `rent.py` so the July rent form stays as it is; the tenant rules are the same
(only the user's own tenants can be named or chosen, an ambiguous name is asked back).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from dialogs.actions.base import BotAction, entities, session_user
from dialogs.context import ActionContext
from dialogs.nlu import TenantCandidate, match_tenants
from dialogs.payloads import payload
from services.errors import NotAllowed, NotFound
from services.tenants import TenantCard, tenant_card
from services.views import tenant_candidates, tenant_ids_by_allocataire

CONFIRM_WORDS = {
    "valider": ("valid", "transmet", "envoie", "envoyer", "confirm"),
    "modifier": ("modif", "corrig", "chang"),
    "quitter": ("quit", "abandon", "annul", "laisse tomber"),
}
SKIP_WORDS = (
    "passer",
    "passe",
    "aucun",
    "aucune",
    "inconnu",
    "inconnue",
    "non connu",
    "rien",
    "non",
)
SKIP_STARTS = (
    "passer",
    "je ne sais pas",
    "je sais pas",
    "aucun",
    "inconnu",
    "non connu",
    "pas de ",
)
SKIP = "skip"


def plain(text: str) -> str:
    """Lower case without accents, for keyword tests on free text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def option(tracker: Tracker) -> str | None:
    found = entities(tracker, "option")
    return str(found[0]["value"]) if found else None


def recap_buttons() -> list[dict[str, Any]]:
    return [
        {"title": "Valider", "payload": payload("choose", option="valider")},
        {"title": "Modifier", "payload": payload("choose", option="modifier")},
        {"title": "Quitter", "payload": payload("choose", option="quitter")},
    ]


def skip_button(label: str = "Passer") -> dict[str, Any]:
    return {"title": label, "payload": payload("choose", option=SKIP)}


def choice(tracker: Tracker, value: Any, words: Mapping[str, tuple[str, ...]]) -> str | None:
    """The option of a pressed button, else the first keyword group found in the text."""
    pressed = option(tracker)
    if pressed in words:
        return pressed
    text = plain(str(value or ""))
    for key, keywords in words.items():
        if any(word in text for word in keywords):
            return key
    return None


def optional_text(value: Any) -> str | None:
    """An optional free answer: "" when skipped (so the form moves on), else the text."""
    text = str(value or "").strip()
    folded = plain(text)
    if text == SKIP or not text or folded in SKIP_WORDS or folded.startswith(SKIP_STARTS):
        return ""
    return text


def parse_iso_date(value: Any) -> date | None:
    """A `date` entity value (YYYY-MM-DD); None for anything else (free text not understood)."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def parse_iso_month(value: Any) -> date | None:
    """A `month` entity value (YYYY-MM) or a date, as the first day of the month."""
    text = str(value)
    try:
        if len(text) == 7:
            return date.fromisoformat(f"{text}-01")
        return date.fromisoformat(text).replace(day=1)
    except ValueError:
        return None


def format_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


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


def scoped_card(action: BotAction, tracker: Tracker, tenant_id: Any) -> TenantCard | None:
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
