"""Reading one message against a whole form: every answer it carries, every correction.

The pending question gives the expected kind of answer, so "oui", "330", "pareil" or a bare name
are read as its answer first. But a clause that names another question ("le loyer c 385") or
carries a value only another question takes (a date while an amount is asked) goes to that
question: it fills it if unanswered, corrects it otherwise, and never answers the pending one.
At the recap, a message is read as a whole: a correction is applied and the recap shown again;
"Valider" needs a clear yes with no negation anywhere; anything unclear is asked again.
A free answer (a name, an email) is read by `free.py`; a password is only ever the password.
The parts: `reader_base.py` (what is taken, bookkeeping), `typed.py` (typed values),
`context_answers.py` (answers read from their words); this module reads the message as a whole.
"""

from __future__ import annotations

from dialogs.forms import amounts, values
from dialogs.forms.context_answers import ContextAnswers
from dialogs.forms.free import names_alone
from dialogs.forms.lexicon import words
from dialogs.forms.message import Message
from dialogs.forms.opening_names import opening_name
from dialogs.forms.reader_base import (
    OPTION_ENTITY,
    Context,
    How,
    Reading,
    RecapChoice,
    Taken,
)
from dialogs.forms.spec import FREE_KINDS, Answers, FormSpec, Kind, Question
from dialogs.forms.typed import TAKES, TypedValues

__all__ = ["OPTION_ENTITY", "TAKES", "Context", "How", "Reading", "RecapChoice", "Taken", "read"]


class _Reader(TypedValues, ContextAnswers):
    """Reads one message: a pressed button, a password, the recap, Modifier, or clause by
    clause."""

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
            if not any(t.how == "correction" for t in self.reading.taken) and not self._a_request(
                pending
            ):
                self._free_answer(pending, cue)
            return self.reading
        self._clauses(corrections_only=False)
        if self.context.opening:
            opening_name(self.spec, self.message, self.lexicon, self._open_name, self.take)
        return self.reading

    def _a_request(self, pending: Question) -> bool:
        """« mes paiements » at « Quel est son nom ? »: a name, an email or a phone never reads
        as a request the NLU is sure of (a free text, a reason say, may)."""
        if pending.kind not in (Kind.NAME, Kind.EMAIL, Kind.PHONE) or self.message.request is None:
            return False
        return not self.message.entity(pending.kind.value)

    def _open_name(self, question: Question) -> bool:
        return self.answers.get(question.slot) is None and not self._taken(question.slot)

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

    def _clauses(self, *, corrections_only: bool) -> None:
        clauses = [
            piece
            for clause in self.message.clauses
            for piece in amounts.pieces(clause, self.message.text, self.cued)
        ]
        texts_from: int | None = None
        asked = {q.slot for q in self._questions()}
        if not corrections_only:
            texts_from = self._cued_texts()
            self.in_order = self._amounts_in_order(clauses)
            self._named_entities()
        for clause in clauses:
            # a name inside a free answer (« agence Dupont ») is that answer's, not a tenant
            in_text = texts_from is not None and clause.start >= texts_from
            if not in_text and self.about_another_tenant(clause):
                self.reading.other_subject = True
                continue
            used = False
            if not corrections_only:
                used = self._choices(clause)
            typed = self._typed(clause, corrections_only)
            used = typed or used
            if not corrections_only:
                used = self._cued_answers(clause, typed) or used
                used = self._opening_same(clause) or used
            if not used and not corrections_only and self.pending is not None:
                self._pending_answer(clause)
        if not corrections_only and {q.slot for q in self._questions()} - asked:
            # « murot a déménagé, nouvelle adresse 12 rue ... »: the address is a question only
            # once the message chose the departure; its words are read again for it
            self._cued_texts()

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
        if self._names_alone():
            return
        if lexicon.has("negation", words) or lexicon.has("refuse", words):
            return
        agrees = lexicon.has("confirm", words) or lexicon.has("agree", words)
        if agrees and lexicon.covers(words, ("confirm", "agree", "filler")):
            self.reading.recap = "valider"

    def _names_alone(self) -> bool:
        """« non c'est Paul Durand et Marie Lefèvre » at the recap: names typed alone (after a
        correction's words), none a word the forms know, correct the one list of names the
        form has (`Question.names`)."""
        lists = [q for q in self.spec.in_effect(self.answers) if q.names and q.editable]
        if len(lists) != 1 or self.message.request is not None:
            return False
        text = self.message.text.split()
        while text and self.lexicon.covers(words(text[0]), _BEFORE_NAMES):
            text.pop(0)
        names = " ".join(text)
        said = [w for name in names_alone(names) for w in words(" ".join(name)) if len(w) > 1]
        known = self.lexicon.groups
        if not said or any(self.lexicon.has(g, [w], exact=True) for w in said for g in known):
            return False
        self.take(lists[0], names)
        return True

    def _edit_target(self) -> None:
        """The answer the message names, by its words or its recap label."""
        editable = [q for q in self.spec.in_effect(self.answers) if q.editable]
        for clause in self.message.clauses:
            named = [q for q in self.cued(clause) if q in editable]
            if len(named) == 1:
                self.reading.edit = named[0].slot
                return
            if named:  # "locataire toujours là": its recap label tells which, or ask
                self._edit_by_label(named, fallback=[q.slot for q in named])
                return
        self._edit_by_label(editable, fallback=[])

    def _edit_by_label(self, questions: list[Question], fallback: list[str]) -> None:
        labels = {
            q.slot: [self.context.slot_labels[q.slot]]
            for q in questions
            if q.slot in self.context.slot_labels
        }
        picked, close = values.choice(self.message.text, labels, self.lexicon, "edit")
        if picked is not None:
            self.reading.edit = picked
        elif close or fallback:
            self.reading.close_options = close or fallback


_RECAP_OPTIONS = ("valider", "modifier", "quitter")
_BEFORE_NAMES = ("refuse", "correction", "before_name")


def read(
    spec: FormSpec,
    answers: Answers,
    requested: str | None,
    message: Message,
    context: Context,
) -> Reading:
    """Everything one message says to a form."""
    return _Reader(spec, answers, requested, message, context).read()
