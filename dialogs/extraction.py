"""Slot candidates from a parsed message, following the slot mappings of the domain.

Rules that keep answers safe: a free-text mapping only fills the slot being asked; an entity may
fill another slot of the form only while that slot is empty. A different value for an answer
already given is never applied silently: it is reported back so the user can be told.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dialogs.domain import Domain

# The first word settles a yes/no question even when the rest of the message says more
# ("oui, et le loyer est de 340 €"); the intent classifier then sees mostly the rest.
FIRST_WORD = {
    "affirm": {"oui", "ouais", "ouai", "yes", "ok", "oki", "exact", "exactement", "bien", "voui"},
    "deny": {"non", "nan", "no", "pas", "jamais"},
}
MIN_INTENT_CONFIDENCE = 0.5


def _first_word(text: str) -> str:
    words = text.strip().lower().replace(",", " ").replace(".", " ").replace("!", " ").split()
    return words[0] if words else ""


@dataclass
class Candidates:
    values: dict[str, Any] = field(default_factory=dict)
    kept: dict[str, Any] = field(default_factory=dict)


def _condition_ok(mapping: dict[str, Any], form: str, requested: str | None) -> bool:
    conditions = mapping.get("conditions")
    if not conditions:
        return True
    for condition in conditions:
        if condition.get("active_loop") not in (None, form):
            continue
        wanted = condition.get("requested_slot")
        if wanted is None or wanted == requested:
            return True
    return False


def _value(mapping: dict[str, Any], slot: str, parse: dict[str, Any], requested: str | None) -> Any:
    intent = parse.get("intent", {}).get("name")
    if intent in mapping.get("not_intent", []):
        return None
    if mapping.get("intent") and mapping.get("type") != "from_intent":
        allowed = mapping["intent"] if isinstance(mapping["intent"], list) else [mapping["intent"]]
        if intent not in allowed:
            return None
    kind = mapping.get("type")
    if kind == "from_entity":
        for entity in parse.get("entities", []):
            if entity.get("entity") == mapping.get("entity"):
                return entity.get("value")
    elif kind == "from_intent":
        wanted = mapping.get("intent")
        confidence = float(parse.get("intent", {}).get("confidence", 0.0))
        if intent == wanted and confidence >= MIN_INTENT_CONFIDENCE:
            return mapping.get("value")
        if slot == requested and _first_word(str(parse.get("text", ""))) in FIRST_WORD.get(
            str(wanted), set()
        ):
            return mapping.get("value")
    elif kind == "from_text" and slot == requested:
        return parse.get("text")
    return None


def extract(
    domain: Domain,
    form: str,
    slots_of_form: list[str],
    parse: dict[str, Any],
    current: dict[str, Any],
    requested: str | None,
) -> Candidates:
    """Candidate values for the form's slots from one message."""
    found = Candidates()
    for slot in slots_of_form:
        for mapping in domain.slots.get(slot, {}).get("mappings", []):
            if not _condition_ok(mapping, form, requested):
                continue
            value = _value(mapping, slot, parse, requested)
            if value is None:
                continue
            previous = current.get(slot)
            if slot != requested and previous is not None:
                if previous != value:
                    found.kept[slot] = previous
                break
            found.values[slot] = value
            break
    return found
