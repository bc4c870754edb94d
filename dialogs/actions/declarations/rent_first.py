"""« petit 490 mais elle a 2 mois d'impayés »: a rent given with its tenant, then unpaid rent
mentioned. The NLU hears the unpaid rent, but the rent form covers the whole message: it takes
the rent, notes the unpaid rent, and offers the report once the rent is transmitted. The unpaid
form would have kept the tenant and lost the rent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dialogs.forms.lexicon import lexicon, words
from dialogs.forms.message import find_numbers
from dialogs.nlu.amounts import CHARGES
from dialogs.nlu.normalise import fold
from dialogs.texts import words as vocabulary

# How far after the rent a word may still say the amount is a debt (« 490 de retard »).
FOLLOWING = 2
UNPAID_GROUPS = ("cues.unpaid", "cues.amount_due", "cues.amount_paid")


def rent_given_first(text: str, entities: Sequence[dict[str, Any]]) -> bool:
    """True when the message opens with a tenant and a rent right after the name (« petit 490 »,
    « loyer petit c 490 € »), that no word around it makes a debt or a payment (« impayé
    petit 490 », « petit 490 de retard »)."""
    names = [e for e in entities if e.get("entity") == "tenant_name"]
    if len(names) != 1 or not isinstance(names[0].get("end"), int):
        return False
    end = int(names[0]["end"])
    folded = fold(text)
    before = words(folded[: int(names[0].get("start") or 0)])
    if any(lexicon().has(group, before) for group in UNPAID_GROUPS if group != "cues.amount_due"):
        return False
    spans = [
        (int(e["start"]), int(e["end"]))
        for e in entities
        if e.get("entity") == "amount" and e.get("role") != CHARGES
    ] + [(n.start, n.end) for n in find_numbers(folded, list(entities)) if not n.negated]
    after = sorted(span for span in spans if span[0] >= end)
    if not after:
        return False
    start, stop = after[0]
    gap = words(folded[end:start])
    if len(gap) > 2 or any(word not in vocabulary("rent_name_to_amount") for word in gap):
        return False
    following = [word for word in words(folded[stop:]) if word.isalnum()][:FOLLOWING]
    return not any(lexicon().has(group, following) for group in UNPAID_GROUPS)
