"""A message Rasa's model could not place, outside a form, read the way our engine reads it.

Rasa answers an unsure message (`nlu_fallback`: two intents within its ambiguity margin, or
too low a confidence) and a bare answer typed outside a form (`inform`) with `action_fallback`.
Our engine does more with such a message, from what the message carries rather than from the
classifier: a command typed as such runs ("menu", "aide"), a login identifier typed while logged
out starts the login with it, and a bare value is a request about it ("mme murot est partie le
10/11/2026" declares a change, "brisson 330" a rent, "allocataire 21083" shows that tenant).
This module makes that same decision (`dialogs.engine.policy.decide`, outside a form) from the
message as the bridge reads it (our own entities), so the behaviour does not depend on how sure
the NLU in front of the actions happens to be.
"""

from __future__ import annotations

from typing import Any

from bot.rasa_forms import _command
from dialogs.engine.policy import Do, Rules, Situation, Understanding, decide
from dialogs.engine.understanding import LOOKUPS, Reader
from dialogs.forms.form_message import _pressed
from dialogs.forms.message import find_numbers
from dialogs.nlu.normalise import fold

FALLBACK = "action_fallback"


def task_of(
    message: dict[str, Any], *, logged_in: bool, rules: Rules, has_rule: set[str]
) -> str | None:
    """The intent whose rule should answer this message instead of the fallback, if any."""
    intent = message.get("intent") or {}
    name = str(intent.get("name", ""))
    confidence = float(intent.get("confidence") or 0.0)
    text = str(message.get("text") or "")
    entities = list(message.get("entities") or [])
    found = {str(e.get("entity")) for e in entities}
    if "amount" in found or find_numbers(fold(text), entities):
        found.add("number")
    lookup = next(
        (task for needed, task in LOOKUPS if found.issuperset(needed) and task in has_rule), None
    )
    identifier = next(
        (str(e["value"]) for e in entities if e.get("entity") == "login_identifier"), None
    )
    understood = Understanding(
        intent=name,
        confidence=confidence,
        pressed=_pressed(message),
        command=_command(text),
        agreement=Reader._agreement(text, name, confidence),
        lookup_task=lookup,
        identifier=identifier,
    )
    decision = decide(Situation(logged_in=logged_in), understood, rules)
    if decision.do is Do.LOGIN_WITH_IDENTIFIER:
        return "login"
    if decision.do in (Do.LOOK_UP, Do.RUN_RULE) and decision.intent in has_rule:
        return decision.intent
    return None
