"""A message cut into clauses, each with its words, entities and bare numbers.

People answer several questions in one message ("oui elle est tjrs la, pas de coloc, 450e et pas
d'impayé"): each clause is read on its own, so that a negation stays with its own fact and a
correction ("le loyer c 385 pas 380") with its own value. Clauses end at commas (not decimal
commas), semicolons, full stops, new lines and the words "et", "mais", "puis", and a new one
starts at "pas de" ("tjrs la pas de coloc": still there, no flat-share).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dialogs.forms.lexicon import Lexicon, lexicon, words
from dialogs.nlu.amounts import CHARGES
from dialogs.nlu.normalise import fold
from services.core.errors import AmountError
from services.core.money import parse_amount

MAX_TEXT = 2_000
_SEPARATOR = re.compile(
    r"\s*(?:;|\n|(?<!\d),|,(?!\d)|(?<!\d)\.(?!\d)|\bet\b|\bmais\b|\bpuis\b|\bpar contre\b)\s*"
    # A phone message without commas ("tjrs la pas de coloc 352e"): "pas de" opens a new fact,
    # so that its negation does not turn the one before.
    r"|(?<=\w)\s+(?=(?i:\bpas\s+d(?:es|e|u)\b|\bpas\s+d'))"
)
_NUMBER = re.compile(
    r"(?<![\w/.,:@-])-?(\d{1,3}(?:[ \u202f.]\d{3})+|\d+)(?:[.,](\d+))?(?![\w/@]|[.,:]\d)"
)


@dataclass(frozen=True)
class Number:
    """A bare number of the text (not part of a date, an amount with its currency, ...)."""

    start: int
    end: int
    text: str
    negated: bool

    @property
    def cents(self) -> int | None:
        try:
            return parse_amount(self.text)
        except AmountError:
            return None

    @property
    def whole(self) -> int | None:
        digits = self.text.replace(" ", "").replace("\u202f", "").replace(".", "")
        return int(digits) if digits.isdigit() and len(digits) <= 9 else None


@dataclass
class Clause:
    """A stretch of the message between separators."""

    start: int
    end: int
    text: str
    words: list[str]
    entities: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)

    def entity(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.entities if e.get("entity") == name]


@dataclass
class Message:
    """The text of one message, its entities and its clauses."""

    text: str
    entities: list[dict[str, Any]]
    clauses: list[Clause]
    words: list[str]
    pressed: bool = False
    # What the NLU made of the whole message, when it was asked (a request, not an answer?).
    request: str | None = None

    def entity(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.entities if e.get("entity") == name]


def _spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for match in _SEPARATOR.finditer(text):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = max(cursor, match.end())
    if cursor < len(text):
        spans.append((cursor, len(text)))
    return spans


def _free(start: int, end: int, entities: list[dict[str, Any]]) -> bool:
    for entity in entities:
        s, e = entity.get("start"), entity.get("end")
        if isinstance(s, int) and isinstance(e, int) and start < e and end > s:
            return False
    return True


def find_numbers(folded: str, entities: list[dict[str, Any]]) -> list[Number]:
    found = []
    for match in _NUMBER.finditer(folded):
        if not _free(match.start(), match.end(), entities):
            continue
        after = words(folded[match.end() : match.end() + 16])[:1]
        if after and lexicon().has("durations", after, exact=True):
            continue  # "2 mois", "depuis 3 ans": a length of time
        before = words(folded[max(0, match.start() - 24) : match.start()])[-3:]
        negated = any(hit.end == len(before) for hit in lexicon().find("replaced", before))
        found.append(Number(match.start(), match.end(), match.group(), negated))
    return found


def _answers(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entities that may answer a question: charges said beside a rent (« 520 cc dont 40 de
    charges ») only qualify it; said alone, they are left for the form to judge."""
    amounts = [e for e in entities if e.get("entity") == "amount"]
    if all(e.get("role") == CHARGES for e in amounts):
        return entities
    return [e for e in entities if e.get("role") != CHARGES]


def split(text: str, entities: list[dict[str, Any]], *, pressed: bool = False) -> Message:
    """Cut a message into clauses; entities keep their character offsets."""
    text = text[:MAX_TEXT]
    folded = fold(text)
    numbers = find_numbers(folded, entities)
    answers = _answers(entities)
    clauses = []
    for start, end in _spans(folded):
        inside = [
            e for e in answers if isinstance(e.get("start"), int) and start <= e["start"] < end
        ]
        clauses.append(
            Clause(
                start=start,
                end=end,
                text=text[start:end],
                words=words(text[start:end]),
                entities=inside,
                numbers=[n for n in numbers if start <= n.start < end],
            )
        )
    return Message(
        text=text, entities=entities, clauses=clauses, words=words(text), pressed=pressed
    )


def negated(clause: Clause, lexicon: Lexicon) -> bool:
    """True when the clause says "refuse" in some way ("pas de coloc", "plus de retard")."""
    return lexicon.has("negation", clause.words) or lexicon.has("refuse", clause.words)
