"""The unpaid report's questions, and its months as the dialog keeps them.

Why a module of its own: a report is a list of months, not a fixed set of questions. The form
asks its two amount questions once per month: the answers for the month being asked
(`unpaid_month`) sit in `unpaid_due` / `unpaid_paid`; once both are known the month becomes a
line of `unpaid_lines` ([ISO month, due cents, paid cents]) and the next month without a line is
asked, up to the current month; then the recap. The amount due defaults to the month before's,
else to the tenant's share, so only what was paid is asked each month. At the recap the amount
questions are not asked but still read, so "payé 100 en octobre" corrects that month. Pure: no
database here (the checks are `unpaid_checks.py` and `unpaid_amounts.py`, the asking `unpaid.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogs.forms.lexicon import says_any
from dialogs.forms.lexicon import words as lexicon_words
from dialogs.forms.spec import Answers, FormSpec, Kind, Question
from dialogs.texts import words
from services.core.dates import month_start, months_between

TENANT = "unpaid_tenant"
FIRST = "unpaid_first_month"
DUE = "unpaid_due"
PAID = "unpaid_paid"
LINES = "unpaid_lines"
MONTH = "unpaid_month"
SHARE = "unpaid_share"
PREVIOUS_DUE = "unpaid_previous_due"
PREVIOUS_PAID = "unpaid_previous_paid"
CONFIRM = "unpaid_confirm"
NOT_CONSTITUTED = "not_constituted"
AMOUNTS = "amounts"  # Modifier: every month's amounts again
BACK = "back"  # Modifier: nothing after all, the recap again
ONE_MONTH = "month:"  # Modifier: "month:2026-09", that month's amounts again


EVERY_MONTH = tuple(words("every_month"))


def every_month(text: str) -> bool:
    """« 100 par mois », « tous les mois », « chaque mois »: one amount for every month."""
    return says_any(lexicon_words(text), EVERY_MONTH, prefix=len(max(EVERY_MONTH, key=len)) + 1)


def month_of(value: Any) -> date | None:
    """A month as the slots and entities keep it ("2026-09" or an ISO date), as its first day."""
    text = str(value or "")
    try:
        return date.fromisoformat(f"{text}-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        return None


@dataclass(frozen=True)
class Line:
    month: date
    due: int
    paid: int


def lines_of(answers: Answers) -> list[Line]:
    return [Line(date.fromisoformat(m), int(d), int(p)) for m, d, p in answers.get(LINES) or []]


def debt(lines: list[Line]) -> int:
    return sum(line.due - line.paid for line in lines)


def previous(lines: list[Line], month: date) -> Line | None:
    earlier = [line for line in lines if line.month < month]
    return earlier[-1] if earlier else None


def due_default(answers: Answers) -> int | None:
    """The asked month's due unless told otherwise: its own line's (Modifier on that month),
    else the month before's, else the tenant's share (rent + charges, less the aid the landlord
    receives). None at the recap, or when the share is unknown: then it is asked."""
    month = month_of(answers.get(MONTH))
    if month is None:
        return None
    lines = lines_of(answers)
    own = next((line for line in lines if line.month == month), None)
    before = previous(lines, month)
    share = answers.get(SHARE)
    if own is not None:
        return own.due
    if before is not None:
        return before.due
    return int(share) if share else None


class Report:
    """What the answers say of the report on a given day: its months, lines and asked month."""

    def __init__(self, answers: Mapping[str, Any], today: date) -> None:
        self.first = month_of(answers.get(FIRST))
        self.months = months_between(self.first, month_start(today)) if self.first else []
        self.lines = lines_of(answers)
        self.asked = month_of(answers.get(MONTH))

    def line(self, month: date) -> Line | None:
        return next((line for line in self.lines if line.month == month), None)

    def index(self, month: date) -> int:
        return self.months.index(month) + 1 if month in self.months else 0

    def with_line(self, new: Line) -> list[Line]:
        return sorted(
            [*(line for line in self.lines if line.month != new.month), new],
            key=lambda line: line.month,
        )

    def paid_from_now(self, due: int, paid: int) -> tuple[list[date], list[Line]]:
        """The months still to answer, and every line once each of them has this due and this
        payment (« il paye 100 par mois » at the asked month)."""
        months = self.missing(self.lines)
        done = [line for line in self.lines if line.month not in months]
        lines = [*done, *(Line(month, due, paid) for month in months)]
        return months, sorted(lines, key=lambda line: line.month)

    def missing(self, lines: list[Line]) -> list[date]:
        done = {line.month for line in lines}
        return [month for month in self.months if month not in done]

    @staticmethod
    def slots(lines: list[Line], month: date | None) -> dict[str, Any]:
        """The slots for these lines with `month` asked next (None: the recap)."""
        before = previous(lines, month) if month else None
        return {
            LINES: [[line.month.isoformat(), line.due, line.paid] for line in lines],
            MONTH: month.isoformat() if month else None,
            PREVIOUS_DUE: before.due if before else None,
            PREVIOUS_PAID: before.paid if before else None,
        }


def _months_known(answers: Answers) -> bool:
    return answers.get(FIRST) is not None


def _month_asked(answers: Answers) -> bool:
    return answers.get(MONTH) is not None


UNPAID = FormSpec(
    name="unpaid_form",
    questions=(
        Question(TENANT, Kind.TENANT, cues=("tenant",), editable=False),
        Question(FIRST, Kind.MONTH, cues=("first_month",), needs_cue=True),
        Question(
            DUE,
            Kind.AMOUNT,
            when=_months_known,
            ask_if=_month_asked,
            default=due_default,
            same_as=PREVIOUS_DUE,
            zero=True,
            cues=("amount_due",),
            editable=False,
            recap=False,
        ),
        Question(
            PAID,
            Kind.AMOUNT,
            when=_months_known,
            ask_if=_month_asked,
            same_as=PREVIOUS_PAID,
            zero=True,
            cues=("amount_paid",),
            editable=False,
            recap=False,
        ),
    ),
    extra_slots=(
        "unpaid_tenant_name",
        SHARE,
        LINES,
        MONTH,
        PREVIOUS_DUE,
        PREVIOUS_PAID,
    ),
    recap_amount=PAID,
)
