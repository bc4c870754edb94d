"""A free answer (a name, an email, a phone, an identifier, a text) read from a whole message.

Apart from `reading.py` because a free answer is the one kind that takes the words of the
message themselves, so what else the message says must be cut from it first:
- emails and phones given beside it fill their own unanswered questions ("Marc Dupuis
  marc.dupuis@mail.fr 06 12 34 56 78" answers four questions) and are cut from it;
- a first and a family name given together fill both name questions (a word typed in capitals is
  the family name, otherwise the first word is the first name: "Marc Dupuis");
- "je sais pas" is an answer only to an optional question, and never a name, an email or a phone;
- an answer that has its own entity (an email, a phone, a login identifier) is that entity, or a
  single word typed alone (its validation says why it is wrong): a sentence ("mot de passe
  oublié") is not taken, so the policy can see another request in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dialogs.forms import values
from dialogs.forms.lexicon import Lexicon, words
from dialogs.forms.message import Clause, Message
from dialogs.forms.spec import Answers, Kind, Question
from services.core.names import person_name

# Entities that carry a whole answer of their kind, wherever they are in the message.
CONTACTS = {"email": Kind.EMAIL, "phone": Kind.PHONE}


@dataclass
class FreeAnswer:
    """Reads the pending free answer; `take` records a value (the reader's own)."""

    questions: list[Question]
    answers: Answers
    message: Message
    lexicon: Lexicon
    taken: Callable[[str], bool]
    take: Callable[[Question, Any], None]

    def read(self, pending: Question, upto: int | None = None) -> None:
        """The answer to `pending`, from the text before `upto` (where another answer is
        named), once the contacts beside it have filled their own questions."""
        own = _own_entity(pending)
        text, found = self._beside(pending, own, upto)
        clause = Clause(0, len(text), text, words(text))
        if values.unknown(clause, self.lexicon) and not found:
            if pending.optional:
                self.take(pending, values.UNKNOWN)
                return
            if pending.kind is not Kind.TEXT:
                return  # "je sais pas" is never a name, an email or a phone
        if own is not None:
            if found:
                self.take(pending, found[0].get("value"))
            elif len(text.split()) == 1:
                self.take(pending, text)
        elif pending.kind is Kind.NAME:
            self._names(pending, text)
        elif text:
            self.take(pending, text)

    def _open(self, question: Question) -> bool:
        """Unanswered, not taken from this message, and not a second typing."""
        return (
            question.again_of is None
            and self.answers.get(question.slot) is None
            and not self.taken(question.slot)
        )

    def _beside(
        self, pending: Question, own: str | None, upto: int | None
    ) -> tuple[str, list[dict[str, Any]]]:
        """Returns the rest of the text and the pending answer's own entities."""
        text = self.message.text[:upto]
        mine: list[dict[str, Any]] = []
        cuts: list[tuple[int, int]] = []
        for entity in self.message.entities:
            name = entity.get("entity")
            if name == own:
                mine.append(entity)
                continue
            kind = CONTACTS.get(str(name))
            targets = [q for q in self.questions if q.kind is kind and q is not pending]
            targets = [q for q in targets if self._open(q)]
            start, end = entity.get("start"), entity.get("end")
            if len(targets) == 1 and isinstance(start, int) and isinstance(end, int):
                self.take(targets[0], entity.get("value"))
                cuts.append((start, end))
        for start, end in sorted(cuts, reverse=True):
            text = f"{text[:start]} {text[end:]}"
        return " ".join(text.split()).strip(" ,;:-"), mine

    def _names(self, pending: Question, text: str) -> None:
        other = next(
            (
                q
                for q in self.questions
                if q.kind is Kind.NAME
                and q.pick_name
                and q.pick_name != pending.pick_name
                and self._open(q)
            ),
            None,
        )
        parts = text.split()
        if other is None or not pending.pick_name or len(parts) < 2:
            if text:
                self.take(pending, text)
            return
        given, family = split_name(text)
        names = {"first": given, "last": family}
        self.take(pending, names[pending.pick_name])
        self.take(other, names[other.pick_name])


def split_name(text: str) -> tuple[str, str]:
    """(first name, family name) of a full name as typed: words in capitals are the family
    name ("Marc DUPUIS", "DUPUIS Marc"), otherwise the first word is the first name."""
    parts = text.split()
    capitals = [p for p in parts if len(p) > 1 and p.isupper()]
    if capitals and len(capitals) < len(parts):
        return " ".join(p for p in parts if p not in capitals), " ".join(capitals)
    return (parts[0] if parts else ""), " ".join(parts[1:])


def usual_name(text: str) -> str:
    """A full name with its usual case, first name first: "marc dupuis" -> "Marc DUPUIS"."""
    given, family = split_name(text)
    if not family:
        return person_name(given, family=True)
    return f"{person_name(given, family=False)} {person_name(family, family=True)}"


# A word of a name: two letters or more, or parts joined by a hyphen or an apostrophe (N'Diaye).
_NAME_PART = re.compile(r"[^\W\d_]{2,}|[^\W\d_]+(?:[-'\u2019][^\W\d_]+)+")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|/|\bet\b)\s*", re.IGNORECASE)
MAX_NAME_WORDS = 4


def names_alone(text: str, *, announced: bool = False) -> list[list[str]]:
    """The names of a text that is people's names only (one name of two words or more, or
    several names, each of one to four words of letters; `announced`: one word will do, as
    in « il s'appelle Paul »), or none."""
    parts = [p.split() for p in _NAME_SEPARATORS.split(text.strip(" .!")) if p.strip()]
    if not parts or any(not 1 <= len(p) <= MAX_NAME_WORDS for p in parts):
        return []
    if not all(_NAME_PART.fullmatch(w) for p in parts for w in p):
        return []
    return parts if announced or len(parts) > 1 or len(parts[0]) > 1 else []


def _own_entity(question: Question) -> str | None:
    if question.entity is not None:
        return question.entity
    return next((name for name, kind in CONTACTS.items() if kind is question.kind), None)
