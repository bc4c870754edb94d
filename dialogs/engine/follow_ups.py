"""« et pour brisson ? », « et en mars ? » right after a view: the same view again for what the
message names. Only a message that names a tenant or a month and says nothing else (a few
linking words) is such a follow-up; anything more is read as a request of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dialogs.forms.lexicon import words
from dialogs.texts import words as vocabulary

# The view an action showed -> the intent that shows it again for another tenant or month; for
# that intent, what the view was about and a follow-up does not name again: the slot where the
# action keeps it, the entity that carries it on, and the entities that would name it.
VIEWS = {"action:action_view_payments": "view_payments"}
KEPT = {
    "view_payments": (
        ("payments_shown_tenant", "payments_tenant", frozenset({"tenant_name"})),
        ("payments_shown_month", "month", frozenset({"month", "date"})),
    )
}
NAMED = frozenset({"tenant_name", "month", "date"})


def keep_shown(intent: str, entities: list[dict[str, Any]], slots: dict[str, Any]) -> None:
    """« et en mars ? » after one tenant's view: that tenant's month, not the whole list's; « et
    pour brisson ? » after June's: Brisson's June. What was shown comes from the server's own
    slots; the action checks the user's scope again."""
    named = {e.get("entity") for e in entities}
    for slot, entity, naming in KEPT.get(intent, ()):
        if not named & naming and slots.get(slot) is not None:
            entities.append({"entity": entity, "value": slots[slot], "extractor": "bailleur_rules"})


def previous_view(history: Sequence[str]) -> str | None:
    """The view the previous turn ended on (the current turn's own entries skipped)."""
    turns = 0
    for entry in reversed(history):
        if entry.startswith("user:"):
            turns += 1
            if turns > 1:
                return None
            continue
        if turns == 1 and entry.startswith("action:"):
            return VIEWS.get(entry)
    return None


def follow_up(text: str, entities: Sequence[dict[str, Any]], history: Sequence[str]) -> str | None:
    """The intent of a follow-up to the previous view, or None."""
    view = previous_view(history)
    if view is None:
        return None
    named = [e for e in entities if e.get("entity") in NAMED and isinstance(e.get("start"), int)]
    if not named or any(e.get("entity") not in NAMED for e in entities):
        return None
    rest, cursor = [], 0
    for entity in sorted(named, key=lambda e: int(e["start"])):
        rest.append(text[cursor : int(entity["start"])])
        cursor = int(entity["end"])
    rest.append(text[cursor:])
    linking = set(vocabulary("follow_up_words"))
    said = [w for w in words(" ".join(rest)) if w.isalnum()]
    return view if all(w in linking for w in said) else None
