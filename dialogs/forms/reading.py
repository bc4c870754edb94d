"""Reading one message against a whole form: every answer it carries, every correction.

The pending question gives the expected kind of answer, so "oui", "330", "pareil" or a bare name
are read as its answer first. But a clause that names another question ("le loyer c 385") or
carries a value only another question takes (a date while an amount is asked) goes to that
question: it fills it if unanswered, corrects it otherwise, and never answers the pending one.
At the recap, a message is read as a whole: a correction is applied and the recap shown again;
"Valider" needs a clear yes with no negation anywhere; anything unclear is asked again.
A free answer (a name, an email) is read by `free.py`; a password is only ever the password.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from dialogs.forms import amounts, values
from dialogs.forms.free import FreeAnswer
from dialogs.forms.lexicon import Lexicon, words
from dialogs.forms.message import Clause, Message
from dialogs.forms.spec import FREE_KINDS, Answers, FormSpec, Kind, Question
from dialogs.nlu.normalise import fold

How = Literal["answer", "fill", "correction"]
RecapChoice = Literal["valider", "modifier", "quitter"]
OPTION_ENTITY = "option"
_ANNOUNCED = re.compile(r"\s*(?::|=|c'est\b|est\b)", re.IGNORECASE)
_LEADING = re.compile(r"^\s*(?:[:=,-]|\bc'est\b|\best\b|\bsera\b|\b:)*\s*", re.IGNORECASE)
# Which questions take a typed value found in a clause.
TAKES = {
    "amount": (Kind.AMOUNT,),
    "date": (Kind.DATE, Kind.MONTH),
    "month": (Kind.MONTH,),
    "tenant": (Kind.TENANT,),
    "email": (Kind.EMAIL,),
    "phone": (Kind.PHONE,),
    "number": (Kind.AMOUNT, Kind.COUNT),
}


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

    def value(self, slot: str) -> Any:
        return next((t.value for t in self.taken if t.slot == slot), None)

    @property
    def understood(self) -> bool:
        return bool(self.taken) or self.recap is not None or self.edit is not None


@dataclass
class Context:
    """What reading needs besides the message: today, the words, the option labels (folded
    variants per option key) and the recap labels per slot."""

    today: date
    lexicon: Lexicon
    option_labels: Mapping[str, dict[str, list[str]]] = field(default_factory=dict)
    slot_labels: Mapping[str, str] = field(default_factory=dict)
    opening: bool = False


class _Reader:
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

    # ----- bookkeeping -----------------------------------------------------------------------
    def _questions(self) -> list[Question]:
        return [q for q in self.spec.questions if q.asked(self.answers)]

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

    # ----- the message -------------------------------------------------------------------------
    def read(self) -> Reading:
        if self._structured():
            return self.reading
        pending = self.pending
        if pending is not None and pending.kind is Kind.SECRET:
            if self.message.text:
                self.take(pending, self.message.text)
            return self.reading
        if self.requested == self.spec.confirm_slot:
            self._recap()
            return self.reading
        if self.requested == self.spec.edit_slot:
            self._edit_target()
            if self.reading.edit is None:
                self._clauses(corrections_only=True)
            return self.reading
        if pending is not None and pending.kind in FREE_KINDS:
            self._clauses(corrections_only=True)
            if self.reading.taken:
                return self.reading  # a correction, not the answer
            cue = self._cued_texts(announced=True)
            if not any(t.how == "correction" for t in self.reading.taken):
                self._free_answer(pending, cue)
            return self.reading
        self._clauses(corrections_only=False)
        return self.reading

    def _structured(self) -> bool:
        """A pressed button: its payload names the slot (or the option) directly."""
        slots = set(self.spec.slots())
        entities = self.message.entities
        if not self.message.pressed or not entities:
            return False
        for entity in entities:
            name = entity.get("entity")
            if name == OPTION_ENTITY:
                option = str(entity.get("value"))
                if self.requested == self.spec.confirm_slot and option in _RECAP_OPTIONS:
                    self.reading.recap = option  # type: ignore[assignment]
                elif self.requested == self.spec.edit_slot:
                    self.reading.edit = option
                elif self.pending is not None:
                    self.take(self.pending, option)
            elif name in slots:
                question = self.spec.question(str(name))
                if question is not None:
                    self.take(question, entity.get("value"))
        return self.reading.understood

    # ----- clause by clause ------------------------------------------------------------------
    def _clauses(self, *, corrections_only: bool) -> None:
        clauses = [
            piece
            for clause in self.message.clauses
            for piece in amounts.pieces(clause, self.message.text, self.cued)
        ]
        if not corrections_only:
            self._cued_texts()
            self.in_order = self._amounts_in_order(clauses)
            self._named_entities()
        for clause in clauses:
            used = False
            if not corrections_only:
                used = self._choices(clause)
            used = self._typed(clause, corrections_only) or used
            if not corrections_only:
                used = self._cued_answers(clause) or used
            if not used and not corrections_only and self.pending is not None:
                self._pending_answer(clause)

    def _cued_texts(self, announced: bool = False) -> int | None:
        """A free answer named in the message ("nouvelle adresse : 3 rue ..."): the rest of
        the message after the words that name it. `announced`: only when "c'est" or ":"
        follows them. Returns where the first such answer's words start."""
        folded = fold(self.message.text)
        first: int | None = None
        for question in self._questions():
            if question.kind not in (Kind.TEXT, Kind.NAME) or self._taken(question.slot):
                continue
            if question is self.pending:
                continue
            for group in question.cues:
                for phrase in self.lexicon.phrases(f"cues.{group}"):
                    if phrase.negative:
                        continue
                    found = re.search(rf"(?<!\w){re.escape(' '.join(phrase.words))}(?!\w)", folded)
                    if found is None:
                        continue
                    after = self.message.text[found.end() :]
                    if (announced or len(phrase.words) < 2) and not _ANNOUNCED.match(after):
                        continue  # one word alone ("agence") is not yet the answer
                    rest = _LEADING.sub("", after).strip()
                    if rest:
                        self.take(question, rest)
                        start = self._clause_start(found.start())
                        first = start if first is None else min(first, start)
                        break
                if self._taken(question.slot):
                    break
        return first

    def _clause_start(self, position: int) -> int:
        """Where the clause holding `position` starts (the position itself in the first)."""
        for clause in self.message.clauses:
            if clause.start <= position < clause.end:
                return clause.start if clause.start > 0 else position
        return position

    def _signals(self, clause: Clause) -> list[tuple[str, Any]]:
        signals: list[tuple[str, Any]] = []
        if (cents := values.amount_entity(clause)) is not None:
            signals.append(("amount", cents))
        for entity in clause.entity("date"):
            signals.append(("date", entity))
        for _ in clause.entity("month"):
            signals.append(("month", values.month(clause)))
        if (named := values.tenant(clause)) is not None:
            signals.append(("tenant", named))
        for entity in clause.entity("email"):
            signals.append(("email", entity.get("value")))
        for entity in clause.entity("phone"):
            signals.append(("phone", entity.get("value")))
        if not any(kind == "amount" for kind, _ in signals) and any(
            not n.negated for n in clause.numbers
        ):
            signals.append(("number", None))
        return signals

    def _typed(self, clause: Clause, corrections_only: bool) -> bool:
        used = False
        for kind, raw in self._signals(clause):
            question = self._target(clause, kind, corrections_only)
            if question is None:
                continue
            value = self._value(question, clause, kind, raw)
            if value is not None:
                self.take(question, value)
                used = True
        return used

    def _target(self, clause: Clause, kind: str, corrections_only: bool) -> Question | None:
        accepted = TAKES[kind]
        cued = [q for q in self.cued(clause, accepted) if not self._taken(q.slot)]
        if corrections_only:
            # While a free answer is pending, only a clearly named other question is corrected.
            marked = self.lexicon.has("correction", clause.words)
            named = [q for q in cued if q is not self.pending]
            return named[0] if named and marked else None
        if cued:
            return self._nearest(clause, cued, self._position(clause, kind))
        if kind in ("amount", "number") and id(clause) in self.in_order:
            return self.in_order[id(clause)]
        pending = self.pending
        if kind == "number":
            # A bare number is an answer only where a number is expected: the question asked,
            # the message that opens the form ("brisson 330"), or a correction ("non c'est 385").
            if pending is not None and pending.kind in accepted:
                return pending
            numeric = [q for q in self._questions() if q.kind is Kind.AMOUNT]
            if len(numeric) != 1 or self._taken(numeric[0].slot):
                return None
            if self.context.opening:
                return numeric[0]
            if self.lexicon.has("correction", clause.words) and self.answers.get(numeric[0].slot):
                return numeric[0]
            return None
        if pending is not None and pending.kind in accepted and not self._taken(pending.slot):
            return pending
        candidates = [
            q
            for q in self._questions()
            if q.kind in accepted
            and not self._taken(q.slot)
            and q.again_of is None
            and not (q.needs_cue and self.answers.get(q.slot) is not None)
        ]
        empty = [q for q in candidates if self.answers.get(q.slot) is None]
        if len(empty) == 1:
            return empty[0]
        if not empty and len(candidates) == 1:
            return candidates[0]
        return None

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

    def _position(self, clause: Clause, kind: str) -> int | None:
        """The word index, in the clause, of the value of this kind."""
        if kind == "amount":
            starts = [
                e["start"] for e in clause.entity("amount") if isinstance(e.get("start"), int)
            ]
        elif kind == "number":
            starts = [n.start for n in clause.numbers if not n.negated]
        else:
            return None
        if not starts:
            return None
        return len(words(self.message.text[clause.start : min(starts)]))

    def _value(self, question: Question, clause: Clause, kind: str, raw: Any) -> Any:
        if question.kind is Kind.AMOUNT:
            if values.same(clause, self.lexicon) and question.same_as:
                return values.SAME
            found = values.amount(clause)
            if (
                question.zero
                and not isinstance(found, int)
                and values.nothing(clause, self.lexicon)
            ):
                return 0  # "0", "0 €": nothing, which the money rules alone would refuse
            return found
        if question.kind is Kind.COUNT:
            return values.count(clause)
        if question.kind is Kind.DATE:
            return values.day(clause, self.lexicon, self.context.today, self._anchor(question))
        if question.kind is Kind.MONTH:
            return values.month(clause)
        return raw

    def _anchor(self, question: Question) -> date | None:
        related = self.answers.get(question.same_as or "")
        try:
            return date.fromisoformat(str(related)) if related else None
        except ValueError:
            return None

    def _named_entities(self) -> None:
        """Answers carried by their own entity ("connexion jean.martin": the identifier)."""
        for question in self._questions():
            if question.entity is None or question.kind is Kind.CHOICE:
                continue
            found = self.message.entity(question.entity)
            if found and not self._taken(question.slot) and question.again_of is None:
                self.take(question, found[0].get("value"))

    def _choices(self, clause: Clause) -> bool:
        """Choices named by an entity or their own words ("partie" -> a departure)."""
        used = False
        for question in self._questions():
            if question.kind is Kind.CHOICE and not self._taken(question.slot):
                picked = self._entity_choice(question, clause)
                if picked is not None:
                    self.take(question, picked)
                    used = True
        return used

    def _cued_answers(self, clause: Clause) -> bool:
        """Yes/no questions named by their own words ("pas de coloc")."""
        used = False
        for question in self.cued(clause):
            if self._taken(question.slot):
                continue
            if question.kind is Kind.YES_NO:
                if self.lexicon.has("modify", clause.words):
                    continue  # "modifier la coloc" names what to change, it does not answer
                answer = values.yes_no(clause, self.lexicon, self._cue_group(question, clause))
                if answer is not None:
                    self.take(question, answer)
                    used = True
            elif (
                question.kind in (Kind.AMOUNT, Kind.DATE)
                and question.same_as
                and values.same(clause, self.lexicon)
            ):
                self.take(question, values.SAME)
                used = True
        used = self._cued_nothing(clause) or used
        return used

    def _cued_nothing(self, clause: Clause) -> bool:
        """ "rien payé": nothing, for the amount named nearest the word that says so."""
        hits = self.lexicon.find("nothing", clause.words)
        zero = [q for q in self.cued(clause, (Kind.AMOUNT,)) if q.zero and not self._taken(q.slot)]
        if not hits or not zero:
            return False
        self.take(self._nearest(clause, zero, hits[0].start), 0)
        return True

    def _cue_group(self, question: Question, clause: Clause) -> str | None:
        for group in question.cues:
            if self.lexicon.has(f"cues.{group}", clause.words):
                return group
        return None

    def _entity_choice(self, question: Question, clause: Clause) -> str | None:
        if question.entity:
            for entity in clause.entity(question.entity):
                value = str(entity.get("value"))
                if value in question.options:
                    return value
        named = values.named_options(
            self.lexicon, f"options.{question.slot}", question.options, clause.words
        )
        return named[0] if len(named) == 1 else None

    def _amounts_in_order(self, clauses: list[Clause]) -> dict[int, Question]:
        pending = self.pending
        if pending is None or pending.kind is not Kind.AMOUNT:
            return {}
        defaulted = self.answers.get(self.spec.defaulted_slot) or ()
        open_ = [
            q
            for q in self._questions()
            if q.kind is Kind.AMOUNT
            and (q is pending or self.answers.get(q.slot) is None or q.slot in defaulted)
        ]
        return amounts.in_order(clauses, open_, self.cued)

    # ----- the pending question ----------------------------------------------------------------
    def _pending_answer(self, clause: Clause) -> None:
        pending = self.pending
        if pending is None or self._taken(pending.slot):
            return
        lexicon = self.lexicon
        if pending.optional and values.unknown(clause, lexicon):
            self.take(pending, values.UNKNOWN)
            return
        if pending.same_as and values.same(clause, lexicon):
            self.take(pending, values.SAME)
            return
        if pending.kind is Kind.YES_NO:
            self.take(pending, values.yes_no(clause, lexicon))
        elif pending.kind is Kind.CHOICE:
            self._choice_answer(pending, clause.text)
        elif pending.kind is Kind.TENANT:
            self.take(pending, {"text": clause.text})
        elif pending.kind is Kind.AMOUNT:
            nothing = pending.zero and values.nothing(clause, lexicon)
            self.take(pending, 0 if nothing else values.amount(clause))
        elif pending.kind is Kind.COUNT:
            self.take(pending, values.count(clause))
        elif pending.kind is Kind.DATE:
            self.take(
                pending, values.day(clause, lexicon, self.context.today, self._anchor(pending))
            )
        elif pending.kind is Kind.MONTH:
            self.take(pending, values.month(clause))

    def _choice_answer(self, question: Question, text: str) -> None:
        options = self.context.option_labels.get(question.slot, {})
        picked, close = values.choice(text, options, self.lexicon, f"options.{question.slot}")
        if picked is not None:
            self.take(question, picked)
        elif close:
            self.reading.close_options = close

    def _free_answer(self, pending: Question, upto: int | None = None) -> None:
        reader = FreeAnswer(
            self._questions(), self.answers, self.message, self.lexicon, self._taken, self.take
        )
        reader.read(pending, upto)

    # ----- the recap -------------------------------------------------------------------------
    def _recap(self) -> None:
        self._clauses(corrections_only=False)
        if self.reading.taken:
            return  # a correction at the recap: applied, then the recap is shown again
        words = self.message.words
        lexicon = self.lexicon
        modify = lexicon.has("modify", words)
        leave = lexicon.has("leave", words)
        if modify and not leave:
            self.reading.recap = "modifier"
            self._edit_target()
            return
        if leave and not modify:
            self.reading.recap = "quitter"
            return
        if modify or leave:
            return
        if lexicon.has("negation", words) or lexicon.has("refuse", words):
            return
        agrees = lexicon.has("confirm", words) or lexicon.has("agree", words)
        if agrees and lexicon.covers(words, ("confirm", "agree", "filler")):
            self.reading.recap = "valider"

    def _edit_target(self) -> None:
        """The answer the message names, by its words or its recap label."""
        editable = [q for q in self.spec.in_effect(self.answers) if q.editable]
        for clause in self.message.clauses:
            named = [q for q in self.cued(clause) if q in editable]
            if named:
                self.reading.edit = named[0].slot
                return
        labels = {
            q.slot: [self.context.slot_labels[q.slot]]
            for q in editable
            if q.slot in self.context.slot_labels
        }
        picked, close = values.choice(self.message.text, labels, self.lexicon, "edit")
        if picked is not None:
            self.reading.edit = picked
        elif close:
            self.reading.close_options = close


_RECAP_OPTIONS = ("valider", "modifier", "quitter")


def read(
    spec: FormSpec,
    answers: Answers,
    requested: str | None,
    message: Message,
    context: Context,
) -> Reading:
    """Everything one message says to a form."""
    return _Reader(spec, answers, requested, message, context).read()
