"""When an unpaid rent is constituted: the dated rules (topic `unpaid` of the rules table,
`services/core/rules.yml`) and `assess`.

Pure code (no database): the rules are data, `assess` is a function of the months given.

Conventions (documented because the texts leave them open):
- rent is due on the first day of its month, and a month's payments count for that month, so the
  debt "on" the first day of month M is the sum of (due − paid) of every month up to M included;
- the rule applied on a day is the one in force that day, so a debt that builds up across
  1 January 2027 is judged by the old rule for the months of 2026 and the new one afterwards;
- `constituted_on` is the first month start on which the rule in force is met; the report is due
  within `report_within_months` of it;
- a debt fully paid off on the report date is not an unpaid any more (nothing to report).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from pydantic import Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from services.core.dates import add_months, month_start, months_between
from services.core.money import MAX_CENTS
from services.core.rules import entries


@pydantic_dataclass(frozen=True)
class UnpaidLine:
    """One month of an unpaid: rent + charges due, and what the tenant paid of it."""

    month: date
    due_cents: int = Field(gt=0, le=MAX_CENTS)
    paid_cents: int = Field(ge=0, le=MAX_CENTS)


@dataclass(frozen=True)
class NextStep:
    code: str
    text: str


@dataclass(frozen=True)
class UnpaidRule:
    id: str
    valid_from: date | None
    valid_until: date | None
    source: str
    monthly_multiple: int | None
    fixed_cents: int | None
    strictly_more: bool
    months_unregularised: int | None
    report_within_months: int
    repayment_plan_within_months: int
    next_steps: tuple[NextStep, ...]

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def threshold(self, *, monthly_rent: int, charges: int, aid: int, aid_to_landlord: bool) -> int:
        if self.fixed_cents is not None:
            return self.fixed_cents
        net = monthly_rent + charges - (aid if aid_to_landlord else 0)
        return (self.monthly_multiple or 0) * net

    def amount_met(self, debt: int, threshold: int) -> bool:
        if debt <= 0:
            return False
        return debt > threshold if self.strictly_more else debt >= threshold


@dataclass(frozen=True)
class Assessment:
    """Whether the months given make an unpaid, by which rule, and by when to report it."""

    constituted: bool
    rule_id: str
    threshold_cents: int | None
    debt_cents: int
    constituted_on: date | None
    explanation_code: str
    report_by: date | None = None
    late: bool = False


def _rule(spec: dict[str, Any]) -> UnpaidRule:
    threshold = spec["debt_threshold"]
    return UnpaidRule(
        id=spec["id"],
        valid_from=spec.get("valid_from"),
        valid_until=spec.get("valid_until"),
        source=spec["source"],
        monthly_multiple=threshold.get("monthly_multiple"),
        fixed_cents=threshold.get("fixed_cents"),
        strictly_more=threshold["comparison"] == "more_than",
        months_unregularised=spec.get("months_unregularised"),
        report_within_months=spec["report_within_months"],
        repayment_plan_within_months=spec["repayment_plan_within_months"],
        next_steps=tuple(
            NextStep(step["code"], " ".join(step["text"].split())) for step in spec["next_steps"]
        ),
    )


@cache
def unpaid_rules() -> tuple[UnpaidRule, ...]:
    return tuple(_rule(dict(spec)) for spec in entries("unpaid"))


def rule_on(day: date) -> UnpaidRule:
    """The rule in force on `day`; the table must cover every day (a test checks it)."""
    for rule in unpaid_rules():
        if rule.in_force(day):
            return rule
    raise LookupError(f"no unpaid rule in force on {day}")


def _debt_on(lines: Sequence[UnpaidLine], day: date) -> int:
    return sum(line.due_cents - line.paid_cents for line in lines if month_start(line.month) <= day)


def assess(
    lines: Sequence[UnpaidLine],
    *,
    monthly_rent: int,
    charges: int,
    aid: int,
    aid_to_landlord: bool,
    report_date: date,
    first_unpaid_month: date,
) -> Assessment:
    """Apply the rule in force on each month start from the first unpaid month to the report date.

    Amounts are cents; `lines` are the months from the first unpaid one, in any order.
    """
    first = month_start(first_unpaid_month)
    debt = _debt_on(lines, report_date)

    def threshold_of(rule: UnpaidRule) -> int:
        return rule.threshold(
            monthly_rent=monthly_rent, charges=charges, aid=aid, aid_to_landlord=aid_to_landlord
        )

    if debt > 0:
        for day in months_between(first, report_date):
            rule = rule_on(day)
            debt_then = _debt_on(lines, day)
            threshold = threshold_of(rule)
            by_amount = rule.amount_met(debt_then, threshold)
            months = rule.months_unregularised
            by_time = months is not None and debt_then > 0 and day >= add_months(first, months)
            if by_amount or by_time:
                report_by = add_months(day, rule.report_within_months)
                return Assessment(
                    constituted=True,
                    rule_id=rule.id,
                    threshold_cents=threshold,
                    debt_cents=debt,
                    constituted_on=day,
                    explanation_code="debt_reached_threshold"
                    if by_amount
                    else "unregularised_for_months",
                    report_by=report_by,
                    late=report_date > report_by,
                )
    rule = rule_on(report_date)
    if debt <= 0:
        code = "no_debt"
    elif rule.months_unregularised is None:
        code = "below_threshold"
    else:
        code = "below_threshold_too_recent"
    return Assessment(
        constituted=False,
        rule_id=rule.id,
        threshold_cents=threshold_of(rule),
        debt_cents=debt,
        constituted_on=None,
        explanation_code=code,
    )
