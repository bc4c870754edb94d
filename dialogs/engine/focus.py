"""The tenant a conversation is about, so that « elle est partie le 3 » or « il a un impayé »
after Couture's card (or Couture's rent) are about Couture.

The tenant in focus is the last one the user named (a name the NLU matched to one tenant) or
chose (a button whose payload names one). It is kept in the conversation's server-side state with
the user it belongs to, and lent to a later message only when that message names no tenant, says
« il », « elle », « son », « ses »… (`tenant_pronouns`, impersonal « il y a », « il faut »,
« il reste » left out), asks for a task done for a tenant, and the tenant is still in the user's
scope (the candidates read for this turn). The forms check the scope again, as for a typed name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from dialogs.nlu.entities import EXTRACTOR
from dialogs.nlu.normalise import fold
from dialogs.nlu.tenants import TenantCandidate
from dialogs.texts import words

# Intents whose request is about one tenant.
TENANT_TASKS = frozenset({"declare_rent", "declare_change", "report_unpaid", "view_payments"})


@cache
def _pattern(group: str) -> re.Pattern[str]:
    """The vocabulary group's phrases as one pattern, compiled once."""
    alternatives = "|".join(re.escape(p) for p in sorted(words(group), key=len, reverse=True))
    return re.compile(rf"(?<![\w']){'(?:' + alternatives + ')'}(?![\w'])")


def chosen_tenant(parse: dict[str, Any]) -> int | None:
    """The one tenant a parse names or a pressed button chose, if exactly one."""
    found: set[int] = set()
    for entity in parse.get("entities") or []:
        name = str(entity.get("entity") or "")
        if name == "tenant_name" and entity.get("tenant_id") is not None:
            found.add(int(entity["tenant_id"]))
        elif (name.endswith("_tenant") or name == "tenant_card") and _whole(entity.get("value")):
            found.add(int(entity["value"]))
    return found.pop() if len(found) == 1 else None


def _whole(value: Any) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit())


def lend_focus(
    parse: dict[str, Any], focus: int | None, candidates: Sequence[TenantCandidate]
) -> None:
    """Adds the tenant in focus to a parse that refers to it by a pronoun (see above)."""
    intent = str((parse.get("intent") or {}).get("name") or "")
    entities = parse.get("entities") or []
    if focus is None or intent not in TENANT_TASKS:
        return
    if any(e.get("entity") == "tenant_name" for e in entities):
        return
    tenant = next((c for c in candidates if c.id == focus), None)
    if tenant is None:
        return
    folded = fold(str(parse.get("text") or ""))
    if _pattern("impersonal_pronouns").search(folded):
        return
    said = _pattern("tenant_pronouns").search(folded)
    if said is None:
        return
    parse["entities"] = [
        *entities,
        {
            "entity": "tenant_name",
            "value": tenant.canonical,
            "tenant_id": tenant.id,
            "start": said.start(),
            "end": said.end(),
            "extractor": EXTRACTOR,
        },
    ]
