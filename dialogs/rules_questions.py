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

from dialogs.forms.lexicon import says_any, words
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


def topic_of(text: str) -> str | None:
    """The first topic, in the file's order, that the message names by one of its words."""
    message = words(text)
    return next(
        (
            name
            for name, topic in topics().items()
            if says_any(message, topic["words"], prefix=PREFIX)
        ),
        None,
    )


def rules_question(text: str, entities: Iterable[dict[str, Any]]) -> str | None:
    """The topic of a general question about the rules, or None for anything else."""
    if any(e.get("entity") in SPECIFIC for e in entities):
        return None
    message, asking = words(text), faq_file()[RULES]
    asks = says_any(message, asking["asking"], prefix=PREFIX) or (
        text.rstrip().endswith("?") and says_any(message, asking["asking_marked"], prefix=PREFIX)
    )
    return topic_of(text) if asks else None
