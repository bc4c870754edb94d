"""Answers read from their words rather than a typed value: a free answer named in the message
("nouvelle adresse : 3 rue ..."), an answer carried by its own entity, a choice named by its
words, a yes/no question named by its cues ("pas de coloc"), "rien payé", and the answer to the
pending question read in context ("pareil", "jsp", a label typed without accents).
"""

from __future__ import annotations

import dataclasses
import re

from dialogs.forms import values
from dialogs.forms.free import FreeAnswer, names_alone
from dialogs.forms.lexicon import words
from dialogs.forms.message import Clause
from dialogs.forms.reader_base import ReaderBase
from dialogs.forms.spec import Kind, Question
from dialogs.nlu.normalise import fold

_ANNOUNCED = re.compile(r"\s*(?::|=|c'est\b|est\b)", re.IGNORECASE)
# A number right after one word also starts its value (« habite 12 rue de la Paix »).
_NUMBERED = re.compile(r"\s*\d")
_LEADING = re.compile(r"^\s*(?:[:=,-]|\bc'est\b|\best\b|\bsera\b|\b:)*\s*", re.IGNORECASE)


def _phrase_pattern(said: tuple[str, ...]) -> str:
    """A cue's words in a folded text, an elision written with or without spaces
    (« s'appellent »)."""
    return r"(?<!\w)" + r"\s*".join(re.escape(w) for w in said) + r"(?!\w)"


class ContextAnswers(ReaderBase):
    """Answers recognised by their words, and the pending question's own answer."""

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
                    found = re.search(_phrase_pattern(phrase.words), folded)
                    if found is None:
                        continue
                    after = self.message.text[found.end() :]
                    alone = announced or len(phrase.words) < 2
                    rest = ""
                    if alone and not (_ANNOUNCED.match(after) or _NUMBERED.match(after)):
                        # one word alone is not yet the answer, unless it is the answer's own
                        # first word, said first (« agence Dupont à Caen »)
                        if announced or not self._names_itself(phrase.words, folded, found):
                            continue
                        rest = self._without_when(self.message.text[found.start() :].strip())
                    else:
                        rest = self._without_when(_LEADING.sub("", after).strip())
                    if question.names and not names_alone(rest, announced=True):
                        continue  # « les colocataires sont 3 »: a count, not names
                    if rest:
                        self.take(question, rest)
                        start = self._clause_start(found.start())
                        first = start if first is None else min(first, start)
                        break
                if self._taken(question.slot):
                    break
        return first

    def _without_when(self, value: str) -> str:
        """« … à Caen maintenant »: a trailing word of time (`when_words`) is not the value."""
        kept = value.split()
        while kept and self.lexicon.has("when_words", words(kept[-1]), exact=True):
            kept.pop()
        return " ".join(kept).strip(" ,.!")

    def _clause_start(self, position: int) -> int:
        """Where the clause holding `position` starts (the position itself in the first)."""
        for clause in self.message.clauses:
            if clause.start <= position < clause.end:
                return clause.start if clause.start > 0 else position
        return position

    def _named_entities(self) -> None:
        """Answers carried by their own entity ("connexion jean.martin": the identifier)."""
        for question in self._questions():
            if question.entity is None or question.kind is Kind.CHOICE:
                continue
            found = self.message.entity(question.entity)
            if found and not self._taken(question.slot) and question.again_of is None:
                self.take(question, found[0].get("value"))

    def _choices(self, clause: Clause) -> bool:
        """Choices named by an entity or their own words ("partie" -> a departure), again once
        a choice asks new questions (« vendu » is an end of management, then its reason)."""
        used = False
        asked: set[str] = set()
        while True:
            new = [q for q in self._questions() if q.kind is Kind.CHOICE and q.slot not in asked]
            if not new:
                return used
            for question in new:
                asked.add(question.slot)
                if not self._taken(question.slot):
                    picked = self._entity_choice(question, clause)
                    if picked is not None:
                        self.take(question, picked)
                        used = True

    def _cued_answers(self, clause: Clause, typed: bool = False) -> bool:
        """Yes/no questions named by their own words ("pas de coloc"). In a clause that gave
        a value (`typed`), a leading « non » corrects that value: « non c'est 3 colocataires »
        says nothing against the flat-share."""
        used = False
        said = self._without_leading_no(clause) if typed else clause
        for question in self.cued(clause):
            if self._taken(question.slot):
                continue
            if question.kind is Kind.YES_NO:
                if self.lexicon.has("modify", clause.words):
                    continue  # "modifier la coloc" names what to change, it does not answer
                answer = values.yes_no(said, self.lexicon, self._cue_group(question, clause))
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

    def _without_leading_no(self, clause: Clause) -> Clause:
        hits = self.lexicon.find("refuse", clause.words)
        if not hits or hits[0].start != 0:
            return clause
        return dataclasses.replace(clause, words=clause.words[hits[0].end :])

    def _opening_same(self, clause: Clause) -> bool:
        """« lebrun pareil que l'an dernier » opening a form: « the same » answers the one amount
        that has an earlier value to repeat, no cue needed."""
        if not self.context.opening or not values.same(clause, self.lexicon):
            return False
        open_ = [
            q
            for q in self._questions()
            if q.kind is Kind.AMOUNT
            and q.same_as
            and self.answers.get(q.slot) is None
            and not self._taken(q.slot)
        ]
        if len(open_) != 1:
            return False
        self.take(open_[0], values.SAME)
        return True

    def _cued_nothing(self, clause: Clause) -> bool:
        """ "rien payé": nothing, for the amount named nearest the word that says so."""
        hits = self.lexicon.find("nothing", clause.words)
        zero = [q for q in self.cued(clause, (Kind.AMOUNT,)) if q.zero and not self._taken(q.slot)]
        if not hits or not zero:
            return False
        self.take(self._nearest(clause, zero, hits[0].start), 0)
        return True

    def _names_itself(self, cue: tuple[str, ...], folded: str, found: re.Match[str]) -> bool:
        """« agence Dupont à Caen »: a cue that is the first word of the name it introduces,
        at the start of the message (after « c'est », « l' »...) and followed by more words."""
        return (
            self.lexicon.has("cue_in_answer", list(cue))
            and self.lexicon.covers(words(folded[: found.start()]), ("before_name",))
            and bool(folded[found.end() :].strip())
        )

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
            if self.message.request is None or clause.entity("allocataire_number"):
                self.take(pending, {"text": clause.text})
        elif pending.kind is Kind.AMOUNT:
            nothing = pending.zero and values.nothing(clause, lexicon)
            self.take(pending, 0 if nothing else values.amount(clause))
        elif pending.kind is Kind.COUNT:
            self.take(pending, values.count(clause))
        elif pending.kind is Kind.DATE:
            self.take(
                pending,
                values.day(
                    clause, lexicon, self.context.today, self._anchor(pending), pending.ahead
                ),
            )
        elif pending.kind is Kind.MONTH:
            self.take(pending, values.month(clause, self.context.today))

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
