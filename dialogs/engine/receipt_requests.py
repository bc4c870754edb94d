"""A receipt asked for, read as such: « le reçu de la coloc de beauvois », « je n'ai plus le
récap du départ de murot » name a change, but ask for its receipt, not for a new declaration.
A message that names a tenant, says a receipt word and gives no date or amount (what a new
declaration would carry) is the tenant's receipt, sent by the tenant list's action."""

from __future__ import annotations

from dialogs.engine.ports import Parse
from dialogs.forms.lexicon import words
from dialogs.texts import words as vocabulary

# The intents a receipt request is taken for: the declarations it names, or a hesitation.
DECLARATIONS = frozenset({"declare_rent", "declare_change", "report_unpaid", "list_tenants"})
FACTS = frozenset({"date", "month", "amount"})


def receipt_asked(parse: Parse) -> None:
    entities = parse.get("entities") or []
    named = {e.get("entity") for e in entities}
    intent = str((parse.get("intent") or {}).get("name", ""))
    close = set(parse.get("ambiguous") or ())
    if "tenant_name" not in named or named & FACTS:
        return
    if intent not in DECLARATIONS and "list_tenants" not in close:
        return
    if set(vocabulary("receipt_words")).isdisjoint(words(str(parse.get("text", "")))):
        return
    parse.pop("ambiguous", None)
    parse["intent"] = {"name": "list_tenants", "confidence": 1.0}
