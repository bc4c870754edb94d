"""Typed values found in a clause (an amount, a date, a month, a tenant, an email, a phone, a
bare number) and the question each goes to: the one the clause names by its words, the pending
one when it takes that kind, or the only unanswered question of that kind. A bare number is an
answer only where a number is expected (see `_target`).
"""

from __future__ import annotations

from typing import Any

from dialogs.forms import amounts, values
from dialogs.forms.lexicon import words
from dialogs.forms.message import Clause
from dialogs.forms.reader_base import ReaderBase
from dialogs.forms.spec import Kind, Question
from dialogs.nlu import dates
from dialogs.nlu.normalise import fold

# Which questions take a typed value found in a clause.
TAKES = {
    "amount": (Kind.AMOUNT,),
    "date": (Kind.DATE, Kind.MONTH),
    "month": (Kind.MONTH,),
    "since": (Kind.MONTH, Kind.DATE),  # « depuis mai »: the month, or at a date its first day
    "tenant": (Kind.TENANT,),
    "email": (Kind.EMAIL,),
    "phone": (Kind.PHONE,),
    "number": (Kind.AMOUNT, Kind.COUNT),
}


class TypedValues(ReaderBase):
    """Typed values of a clause, each given to the question that takes it."""

    def _signals(self, clause: Clause) -> list[tuple[str, Any]]:
        signals: list[tuple[str, Any]] = []
        if (cents := values.amount_entity(clause)) is not None:
            signals.append(("amount", cents))
        for entity in clause.entity("date"):
            signals.append(("date", entity))
        for _ in clause.entity("month"):
            since = not clause.entity("date") and values.since_month(
                clause, self.lexicon, self.context.today
            )
            signals.append(
                ("since" if since else "month", values.month(clause, self.context.today))
            )
        dated = clause.entity("month") or clause.entity("date")
        if not dated and (back := dates.months_back(fold(clause.text), self.context.today)):
            signals.append(("month", back))  # « depuis 3 mois »
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
                if not corrections_only:
                    self._unplaced(clause, kind, raw)
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
        if (confirmed := self._confirmed(accepted)) is not None:
            return confirmed  # « 330 » at « Le montant de 3 300 € … Le confirmez-vous ? »
        if kind in ("amount", "number") and id(clause) in self.in_order:
            return self.in_order[id(clause)]
        if kind in ("amount", "number") and (recap := self._recap_amount()) is not None:
            return recap
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
            # "non c'est 385", or "non pas ça, 385": the correction may be said in another clause.
            corrects = self.lexicon.has("correction", clause.words) or self.lexicon.has(
                "correction", self.message.words
            )
            if corrects and self.answers.get(numeric[0].slot):
                return numeric[0]
            return None
        if pending is not None and pending.kind in accepted and not self._taken(pending.slot):
            return pending
        corrects = self.lexicon.has("correction", self.message.words)
        candidates = [
            q
            for q in self._questions()
            if q.kind in accepted
            and not self._taken(q.slot)
            and q.again_of is None
            and not (self._needs_cue(q, corrects) and self.answers.get(q.slot) is not None)
        ]
        empty = [q for q in candidates if self.answers.get(q.slot) is None]
        if len(empty) == 1:
            return empty[0]
        if not empty and len(candidates) == 1:
            return candidates[0]
        return None

    def _confirmed(self, accepted: tuple[Kind, ...]) -> Question | None:
        """The answer the pending yes/no confirms, when a value of its kind was typed."""
        pending = self.pending
        if pending is None or pending.confirms is None:
            return None
        confirmed = self.spec.question(pending.confirms)
        return confirmed if confirmed is not None and confirmed.kind in accepted else None

    def _recap_amount(self) -> Question | None:
        """« non pas 50, 60 » at the recap of a form with several amounts: the one the form
        sorts out itself (`FormSpec.recap_amount`)."""
        spec = self.spec
        if (
            spec.recap_amount is None
            or self.requested != spec.confirm_slot
            or not self.lexicon.has("correction", self.message.words)
        ):
            return None
        question = spec.question(spec.recap_amount)
        return None if question is None or self._taken(question.slot) else question

    def _unplaced(self, clause: Clause, kind: str, raw: Any) -> None:
        """At the recap, a value that could correct several answers (« non le 26 juin » with a
        departure and a lease end): each answer it could correct, with the value, so that the
        form asks which one instead of guessing or ignoring it."""
        if (
            self.requested != self.spec.confirm_slot
            or kind not in ("amount", "date", "month", "since")
            or self.reading.unplaced
        ):
            return
        options: dict[str, Any] = {}
        for question in self._questions():
            if (
                question.kind in TAKES[kind]
                and question.editable
                and question.again_of is None
                and not question.needs_cue
                and not self._taken(question.slot)
                and self.answers.get(question.slot) not in (None, "")
            ):
                value = self._value(question, clause, kind, raw)
                if value is not None and value != self.answers.get(question.slot):
                    options[question.slot] = value
        if len(options) > 1:
            self.reading.unplaced = options

    def about_another_tenant(self, clause: Clause) -> bool:
        """A clause naming a tenant other than the one the form is about, without a correction
        word, says nothing about this one: « loyer couture 390 » while Murot's rent is asked is
        another declaration, never 390 € for Murot. A correction word (« non c'est couture »)
        replaces the tenant, unless the message names two others or more (« en fait couture 390
        et milome 352 »: the rents of both, never one kept and the other lost)."""
        named = values.tenant(clause)
        chosen = next(
            (
                self.answers.get(q.slot)
                for q in self._questions()
                if q.kind is Kind.TENANT and self.answers.get(q.slot) not in (None, "")
            ),
            None,
        )
        if named is None or chosen is None:
            return False
        others = {
            str(e.get("tenant_id"))
            for e in self.message.entities
            if e.get("entity") == "tenant_name" and e.get("tenant_id") is not None
        } - {str(chosen)}
        # a correction replaces the tenant; naming several others is another request
        if self.lexicon.has("correction", self.message.words) and len(others) < 2:
            return False
        if "id" in named:
            return str(named["id"]) != str(chosen)
        if "candidates" in named:
            return str(chosen) not in {str(c) for c in named["candidates"]}
        return False

    @staticmethod
    def _needs_cue(question: Question, corrects: bool) -> bool:
        """A tenant once chosen is who the declaration is about: a name alone (« infos sur
        brisson ») is another request, not a change of tenant, unless said as a correction."""
        return question.needs_cue or (question.kind is Kind.TENANT and not corrects)

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
            return values.day(
                clause, self.lexicon, self.context.today, self._anchor(question), question.ahead
            )
        if question.kind is Kind.MONTH:
            return values.month(clause, self.context.today)
        return raw

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
