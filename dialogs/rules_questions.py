"""Questions about the rules of a declaration (« j'ai combien de temps pour déclarer un
départ ? »), told apart from the declaration itself by how they ask, and their topic.

The NLU knows the task a message is about; whether the landlord wants to do it or to know its
rules is in the asking words, kept with the answers in `faq.yml`. A question that names a
tenant or an amount is about that tenant, never a general question.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from dialogs.forms.lexicon import Wording, words
from services.core.yaml_files import read_yaml

RULES = "faq_rules"
PREFIX = 5
SPECIFIC = frozenset({"tenant_name", "allocataire_number", "amount", "user_number", "email"})


@cache
def faq_file() -> dict[str, Any]:
    loaded: dict[str, Any] = read_yaml("dialogs", "faq.yml")
    return loaded


def topics() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = faq_file()[RULES]["topics"]
    return found


@cache
def _wordings() -> tuple[Wording, Wording, tuple[tuple[str, Wording], ...]]:
    """The asking words, those asking with a question mark, and each topic's words, prepared
    once (every message the NLU reads is asked whether it is such a question)."""
    asking = faq_file()[RULES]
    return (
        Wording.of(asking["asking"], prefix=PREFIX),
        Wording.of(asking["asking_marked"], prefix=PREFIX),
        tuple(
            (name, Wording.of(topic["words"], prefix=PREFIX)) for name, topic in topics().items()
        ),
    )


def topic_of(text: str) -> str | None:
    """The first topic, in the file's order, that the message names by one of its words."""
    message = words(text)
    return next((name for name, wording in _wordings()[2] if wording.said(message)), None)


def rules_question(text: str, entities: Iterable[dict[str, Any]]) -> str | None:
    """The topic of a general question about the rules, or None for anything else."""
    if any(e.get("entity") in SPECIFIC for e in entities):
        return None
    message = words(text)
    asking, marked, _ = _wordings()
    asks = asking.said(message) or (text.rstrip().endswith("?") and marked.said(message))
    return topic_of(text) if asks else None
