"""The months of an unpaid report as the form keeps them: `unpaid_lines` holds [ISO month, due
cents, paid cents]; `unpaid_due` and `unpaid_paid` the answers for the month being asked, emptied
once it is recorded, so the form asks them again until the current month is reached."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from dialogs.actions.core.answers import (
    parse_iso_month,
    plain,
)
from dialogs.actions.core.base import (
    BotAction,
    BotFormValidation,
    entities,
    session_user,
)
from dialogs.texts import words
from services.core.dates import month_start, months_between
from services.core.errors import (
    AmountError,
    UnpaidFigures,
)
from services.core.money import format_euros, parse_amount
from services.declarations.unpaid_rules import Assessment, UnpaidLine, assess, rule_on
from services.tenants.views import TenantTerms, tenant_terms

SAME = "same"

SAME_WORDS = words("same_as_previous")

NOTHING_WORDS = words("nothing_paid")

FIX_PREFIX = "month:"

EXPLANATIONS = {
    "below_threshold": "utter_unpaid_below_threshold",
    "below_threshold_too_recent": "utter_unpaid_below_threshold_recent",
    "no_debt": "utter_unpaid_no_debt",
}

Line = tuple[date, int, int]


def recorded_lines(tracker: Tracker) -> list[Line]:
    stored = tracker.get_slot("unpaid_lines") or []
    return [(date.fromisoformat(m), int(due), int(paid)) for m, due, paid in stored]


def stored_lines(lines: list[Line]) -> list[list[Any]]:
    return [[m.isoformat(), due, paid] for m, due, paid in lines]


def report_months(tracker: Tracker, today: date) -> list[date]:
    first = parse_iso_month(tracker.get_slot("unpaid_first_month") or "")
    return months_between(first, month_start(today)) if first else []


def means_same(value: Any) -> bool:
    text = plain(str(value or ""))
    return value == SAME or any(word in text for word in SAME_WORDS)


def amount_cents(tracker: Tracker, value: Any, *, zero_ok: bool) -> int:
    """An amount answer in cents; `AmountError` when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        cents = value
    else:
        found = entities(tracker, "amount")
        text = str(value or "").strip()
        if found and "cents" in found[0]:
            cents = int(found[0]["cents"])
        elif zero_ok and (
            plain(text) in NOTHING_WORDS or plain(text).startswith(words("nothing_paid_starts"))
        ):
            cents = 0
        else:
            cents = parse_amount(text.replace("€", "").strip() or text)
    if cents < 0 or (cents == 0 and not zero_ok):
        raise AmountError("not_positive")
    return cents


def asked_month(tracker: Tracker, today: date) -> tuple[date, int]:
    """The month whose amounts are asked now, with its rank: the one being corrected, if any,
    else the first one not answered yet."""
    months = report_months(tracker, today)
    fixing = parse_iso_month(tracker.get_slot("unpaid_fix_month") or "")
    month = fixing if fixing in months else months[len(recorded_lines(tracker))]
    return month, months.index(month) + 1


def previous_line(lines: list[Line], month: date) -> Line | None:
    earlier = [line for line in lines if line[0] < month]
    return earlier[-1] if earlier else None


def debt_of(lines: list[Line]) -> int:
    return sum(due - paid for _, due, paid in lines)


class UnpaidContext:
    """The figures the questions and the assessment need, read once per call."""

    def __init__(self, action: BotAction | BotFormValidation, tracker: Tracker) -> None:
        self.context = action.context
        self.tracker = tracker
        self.today = action.context.today()

    def terms(self) -> TenantTerms:
        return tenant_terms(
            self.context.uow(),
            user_id=session_user(self.tracker),
            tenant_id=int(self.tracker.get_slot("unpaid_tenant")),
            today=self.today,
        )

    def assessment(self, lines: list[Line]) -> Assessment:
        terms = self.terms()
        return assess(
            [UnpaidLine(m, due, paid) for m, due, paid in lines],
            monthly_rent=terms.monthly_rent_cents,
            charges=terms.monthly_charges_cents,
            aid=terms.monthly_aid_cents,
            aid_to_landlord=terms.aid_paid_to_landlord,
            report_date=self.today,
            first_unpaid_month=lines[0][0],
        )


def explain_not_constituted(
    dispatcher: CollectingDispatcher, assessment: UnpaidFigures, today: date
) -> None:
    """Says plainly that the debt is not (yet) an unpaid under today's rule: nothing is stored."""
    rule = rule_on(today)
    dispatcher.utter_message(
        response=EXPLANATIONS.get(assessment.explanation_code, "utter_unpaid_below_threshold"),
        debt=format_euros(assessment.debt_cents),
        threshold=format_euros(assessment.threshold_cents or 0),
        rule=rule.source,
    )
