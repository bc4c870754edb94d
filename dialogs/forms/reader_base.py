"""What reading a message against a form records, and the bookkeeping every reader shares.

`Taken` and `Reading` are what `reading.read` returns; `Context` is what it needs besides the
message. `ReaderBase` holds the answers as they stand while the message is read, records each
value taken (as the pending answer, an unanswered question filled, or a correction) and finds
the questions a clause names by their cue words. The readers built on it: `typed.py` (amounts,
dates, months, tenants, contacts found in a clause), `context_answers.py` (choices, yes/no named
by their words, the pending question's answer) and `reading.py` (the message, the recap).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from dialogs.forms.lexicon import Lexicon
from dialogs.forms.message import Clause, Message
from dialogs.forms.spec import Answers, FormSpec, Kind, Question

How = Literal["answer", "fill", "correction"]
RecapChoice = Literal["valider", "modifier", "quitter"]
OPTION_ENTITY = "option"


@dataclass(frozen=True)
class Taken:
    """A value the message gives for a slot, and how: the pending question's answer, another
    unanswered question filled on the way, or an earlier answer corrected."""

    slot: str
    value: Any
    how: How


@dataclass
class Reading:
    taken: list[Taken] = field(default_factory=list)
    recap: RecapChoice | None = None
    edit: str | None = None
    close_options: list[str] = field(default_factory=list)
    # A clause was about another tenant than the form's (`TypedValues.about_another_tenant`).
    other_subject: bool = False
    # At the recap, a value several answers could take: slot -> the value each would take.
    unplaced: dict[str, Any] = field(default_factory=dict)

    def value(self, slot: str) -> Any:
        return next((t.value for t in self.taken if t.slot == slot), None)

    @property
    def understood(self) -> bool:
        return (
            bool(self.taken)
            or self.recap is not None
            or self.edit is not None
            or bool(self.unplaced)
        )


@dataclass
class Context:
    """What reading needs besides the message: today, the words, the option labels (folded
    variants per option key) and the recap labels per slot."""

    today: date
    lexicon: Lexicon
    option_labels: Mapping[str, dict[str, list[str]]] = field(default_factory=dict)
    slot_labels: Mapping[str, str] = field(default_factory=dict)
    opening: bool = False


class ReaderBase:
    """The form, the answers as the message is read, the pending question, what was taken."""

    def __init__(
        self,
        spec: FormSpec,
        answers: Answers,
        requested: str | None,
        message: Message,
        context: Context,
    ) -> None:
        self.spec = spec
        self.answers = dict(answers)
        self.pending = spec.question(requested) if requested else None
        self.requested = requested
        self.message = message
        self.context = context
        self.lexicon = context.lexicon
        self.reading = Reading()
        self.in_order: dict[int, Question] = {}
        self._asked: list[Question] | None = None

    def _questions(self) -> list[Question]:
        """The questions asked with the answers as they stand (found again after each `take`;
        the list is never changed, only replaced)."""
        if self._asked is None:
            self._asked = [q for q in self.spec.questions if q.asked(self.answers)]
        return self._asked

    def _taken(self, slot: str) -> bool:
        return any(t.slot == slot for t in self.reading.taken)

    def take(self, question: Question, value: Any) -> None:
        if value is None or self._taken(question.slot):
            return
        current = self.answers.get(question.slot)
        defaulted = question.slot in (self.answers.get(self.spec.defaulted_slot) or ())
        if question is self.pending:
            how: How = "answer"
        elif current is None or defaulted:
            how = "fill"  # a default the message states explicitly is now the user's answer
        elif current == value:
            return  # said again, nothing changes
        else:
            how = "correction"
        self.reading.taken.append(Taken(question.slot, value, how))
        self.answers[question.slot] = value
        self._asked = None

    def cued(self, clause: Clause, kinds: tuple[Kind, ...] | None = None) -> list[Question]:
        """Questions named in the clause, most specific cue first; the pending one first when
        two are named alike ("payé 100 du loyer" at the question of what was paid)."""
        found: list[tuple[int, Question]] = []
        for question in self._questions():
            if kinds is not None and question.kind not in kinds:
                continue
            for rank, group in enumerate(question.cues):
                if self.lexicon.has(f"cues.{group}", clause.words):
                    found.append((rank, question))
                    break
        return [
            q for _, q in sorted(found, key=lambda item: (item[0], item[1] is not self.pending))
        ]

    def _nearest(self, clause: Clause, questions: list[Question], at: int | None) -> Question:
        """Of the questions a clause names, the one named nearest the value at word `at`, words
        before the value first ("dû 300 rien payé": 300 is due, nothing was paid)."""
        if at is None or len(questions) == 1:
            return questions[0]
        far = (len(clause.words) + 1, True, len(questions))

        def closeness(question: Question) -> tuple[int, bool, int]:
            best = far
            for rank, group in enumerate(question.cues):
                for hit in self.lexicon.find(f"cues.{group}", clause.words):
                    before = hit.end <= at
                    distance = at - hit.end if before else hit.start - at
                    best = min(best, (distance, not before, rank))
            return best

        return min(questions, key=closeness)

    def _anchor(self, question: Question) -> date | None:
        related = self.answers.get(question.same_as or "")
        try:
            return date.fromisoformat(str(related)) if related else None
        except ValueError:
            return None

    def _cue_group(self, question: Question, clause: Clause) -> str | None:
        for group in question.cues:
            if self.lexicon.has(f"cues.{group}", clause.words):
                return group
        return None
