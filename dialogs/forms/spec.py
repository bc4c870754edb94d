"""What a form is: a declarative description that one loop runs.

A form lists its questions in the order they are asked. Each question names its slot, the kind of
answer it takes, when it is asked (a condition on earlier answers), its default from the last
known information, the slot whose value "pareil" copies, whether its recap row can be changed
with Modifier, and the lexicon group of words that name it in a message ("coloc", "loyer").
A question may repeat another (`again_of`: an email, a phone or a new password typed twice); a
secret answer (a password) is never kept: its form's `validate_<slot>` uses it in the same turn,
and a secret typed twice is checked against a hash of its first typing (`typed_once_slot`).
Texts are not here: the question is `utter_ask_<slot>` (or `action_ask_<slot>`), the recap label
`utter_label_<slot>` and a choice's label `utter_option_<slot>_<key>`, all in the domain YAML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Answers = Mapping[str, Any]
Condition = Callable[[Answers], bool]


class Kind(StrEnum):
    """The kind of answer a question takes; it decides how a message is read for it."""

    YES_NO = "yes_no"
    AMOUNT = "amount"
    DATE = "date"
    MONTH = "month"
    TENANT = "tenant"
    CHOICE = "choice"
    COUNT = "count"
    TEXT = "text"
    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"
    SECRET = "secret"


FREE_KINDS = frozenset({Kind.TEXT, Kind.NAME, Kind.EMAIL, Kind.PHONE, Kind.SECRET})


def always(_answers: Answers) -> bool:
    return True


@dataclass(frozen=True)
class Question:
    """One question of a form.

    Attributes:
        slot: where the answer is kept.
        kind: what the answer is.
        when: asked only when this holds for the answers so far.
        default: the value from the last known information (None: no default); a defaulted
            answer is not asked, it is shown as such in the recap and Modifier can change it.
        same_as: the slot whose value "pareil" / "le même" gives.
        options: the choices of a `CHOICE` question (stored keys).
        optional: "je ne sais pas" is an answer (stored as "").
        editable: Modifier offers it.
        recap: it has a row in the recap.
        cues: the lexicon groups of words that name this question in a message, most
            specific first.
        entity: an NLU entity that carries this answer (e.g. `change_type`).
        last: when this returns True for the answer, no question after it is asked.
        pick_name: for a `NAME`, how it is written back ("first" -> Marc, "last" -> DUPUIS).
        zero: for an `AMOUNT`, "rien", "aucun" or "0" is read as 0 (the validation decides
            whether nothing is an acceptable answer).
        needs_cue: once answered, a value of its kind alone does not correct it; the clause
            must name it ("depuis septembre", not "septembre", which may name another month).
        ask_if: asked only when this holds too; while `when` holds and this does not, the
            question is not asked but a message can still give or correct it (an unpaid
            month's amounts, read at the recap).
        again_of: the slot this answer must repeat (typed twice); asked only as itself, never
            filled from another answer, with no recap row and not changed with Modifier: a
            mismatch asks both again, and a new first answer asks this one again.
        ahead: for a `DATE` of the future (an access's opening), a day written without its
            year, or a day of the week, is the next one rather than the last one.
        confirms: for a `YES_NO` that confirms another answer (an unusual amount), that
            answer's slot: a value of its kind typed instead of yes or no replaces it.
        names: for a `TEXT`, a list of people's names (co-tenants): at the recap, names
            typed alone (« Paul Durand et Marie Lefèvre ») correct it.
    """

    slot: str
    kind: Kind
    when: Condition = always
    default: Callable[[Answers], Any] | None = None
    same_as: str | None = None
    options: tuple[str, ...] = ()
    optional: bool = False
    editable: bool = True
    recap: bool = True
    cues: tuple[str, ...] = ()
    entity: str | None = None
    last: Callable[[Any], bool] | None = None
    pick_name: str = ""
    zero: bool = False
    needs_cue: bool = False
    ask_if: Condition = always
    again_of: str | None = None
    ahead: bool = False
    confirms: str | None = None
    names: bool = False

    def __post_init__(self) -> None:
        if self.again_of is not None or self.kind is Kind.SECRET:
            object.__setattr__(self, "recap", False)  # a repeat or a secret is never shown
        if self.again_of is not None:
            object.__setattr__(self, "editable", False)

    def asked(self, answers: Answers) -> bool:
        return self.when(answers)


@dataclass(frozen=True)
class FormSpec:
    """A form: its questions, and whether it ends with a recap (Valider / Modifier / Quitter).

    `confirm_slot` and `edit_slot` hold the recap choice and the answer Modifier changes;
    `defaulted_slot` lists the answers filled from defaults (shown as such in the recap).
    `disposable`: nothing typed in it is worth a confirmation before a command leaves it (the
    login keeps only an identifier).
    `recap_amount`: the question a bare amount said as a correction at the recap goes to, where
    the form has several (« non pas 50, 60 » in an unpaid report: a payment, whose month the
    form finds).
    """

    name: str
    questions: tuple[Question, ...]
    recap: bool = True
    extra_slots: tuple[str, ...] = field(default_factory=tuple)
    disposable: bool = False
    recap_amount: str | None = None

    @property
    def prefix(self) -> str:
        return self.name.removesuffix("_form")

    @property
    def confirm_slot(self) -> str:
        return f"{self.prefix}_confirm"

    @property
    def edit_slot(self) -> str:
        return f"{self.prefix}_edit"

    @property
    def defaulted_slot(self) -> str:
        return f"{self.prefix}_defaulted"

    @property
    def typed_once_slot(self) -> str:
        """A hash of a secret's first typing, while its second is awaited (never the secret)."""
        return f"{self.prefix}_typed_once"

    def question(self, slot: str) -> Question | None:
        return next((q for q in self.questions if q.slot == slot), None)

    def repeats(self, slot: str) -> list[Question]:
        """The questions that repeat `slot` (typed twice)."""
        return [q for q in self.questions if q.again_of == slot]

    def typed_once(self, question: Question, answers: Answers) -> bool:
        """A secret whose first typing was taken: only its repeat is asked now."""
        return (
            question.kind is Kind.SECRET
            and bool(self.repeats(question.slot))
            and bool(answers.get(self.typed_once_slot))
        )

    def in_effect(self, answers: Answers) -> list[Question]:
        """The questions that apply to these answers, stopping after one that ends the form."""
        out: list[Question] = []
        for question in self.questions:
            if not question.asked(answers):
                continue
            out.append(question)
            value = answers.get(question.slot)
            if question.last is not None and value is not None and question.last(value):
                break
        return out

    def stopped_early(self, answers: Answers) -> bool:
        """True when an answer made the rest of the form moot (e.g. "no longer the manager")."""
        for question in self.in_effect(answers):
            value = answers.get(question.slot)
            if question.last is not None and value is not None and question.last(value):
                return True
        return False

    def required_slots(self, answers: Answers) -> list[str]:
        """The slots the form needs, in order: its questions in effect, then the recap choice
        (and the answer to change after Modifier)."""
        slots = [
            q.slot
            for q in self.in_effect(answers)
            if q.ask_if(answers) and not self.typed_once(q, answers)
        ]
        if self.recap and not self.stopped_early(answers):
            slots.append(self.confirm_slot)
            if answers.get(self.confirm_slot) == "modifier":
                slots.append(self.edit_slot)
        return slots

    def slots(self) -> list[str]:
        """Every slot the form owns (cleared when it ends)."""
        own = [q.slot for q in self.questions]
        own += [self.confirm_slot, self.edit_slot, self.defaulted_slot, self.typed_once_slot]
        own += self.extra_slots
        return own
