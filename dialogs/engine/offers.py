"""A message that presses a button of the previous turn without pressing it: « oui » to the only
button offered, or the words of one button's label typed (« graphique », « releve pdf » after
the payments offered « Graphique des 12 derniers mois » and « Relevé 2026 en PDF »).

Only outside a form and an engine question: there, offered buttons are answers the form or the
question reads itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz.distance import OSA

from dialogs.engine.ports import Parse
from dialogs.engine.state import Offered
from dialogs.forms.lexicon import lexicon, words
from dialogs.payloads import parse_payload

MAX_TYPED_WORDS = 4
PREFIX = 3
TYPO_FROM = 5
TWO_TYPOS_FROM = 8
LINKS = frozenset({"de", "du", "des", "d'", "en", "au", "aux", "un", "une", "mes", "mon", "ma"})


def _content(text: str) -> list[str]:
    lex = lexicon()
    said = [w for w in words(text) if any(c.isalnum() for c in w)]
    return [w for w in said if w not in LINKS and not lex.has("filler", [w], exact=True)]


def _close(typed: str, word: str) -> bool:
    if typed == word or (len(typed) >= PREFIX and word.startswith(typed)):
        return True
    if len(typed) < TYPO_FROM:
        return False
    return OSA.distance(typed, word) <= (2 if len(typed) >= TWO_TYPOS_FROM else 1)


def _names(typed: Sequence[str], label: Iterable[str]) -> bool:
    label = list(label)
    return all(any(_close(t, w) for w in label) for t in typed)


def offer_named(text: str, offered: dict[str, Offered]) -> Offered | None:
    """The one offered button whose label holds every word typed, or None."""
    typed = _content(text)
    if not typed or len(typed) > MAX_TYPED_WORDS:
        return None
    named = [o for o in offered.values() if _names(typed, words(o.label))]
    return named[0] if len(named) == 1 else None


def pressed_parse(offered: Offered) -> Parse | None:
    """What pressing this button says: its payload, or the message it reads again under the
    payload's intent (a choice between two close tasks); None for a payload that is none."""
    pressed = parse_payload(offered.payload)
    if pressed is None:
        return None
    if offered.message is not None:
        return {**offered.message, "intent": pressed["intent"]}
    pressed["pressed"] = True
    return pressed
