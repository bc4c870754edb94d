"""Reporting an unpaid rent: checks, the dated rule (see `unpaid_rules`), the stored report with
its monthly lines, and the receipt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.accounts.actor import active_user
from services.core.clock import paris_today
from services.core.dates import add_months, format_date, month_start, months_between
from services.core.db import UnitOfWork
from services.core.errors import (
    DateError,
    InvalidValue,
    NotFound,
    UnpaidAlreadyReported,
    UnpaidNotConstituted,
)
from services.core.money import format_euros
from services.core.rules import unpaid_report_max_months
from services.core.validation import validated
from services.declarations.models import UnpaidReport, UnpaidReportLine
from services.declarations.references import new_reference
from services.declarations.unpaid_rules import Assessment, NextStep, UnpaidLine, rule_on
from services.declarations.views import assess_for_tenant, open_unpaid_report
from services.documents.receipts import Receipt, render_receipt, row, value
from services.documents.texts import month_label, text
from services.tenants.models import Tenant
from services.tenants.scope import tenant_in_scope


class UnpaidAnswers(BaseModel):
    tenant_id: int = Field(gt=0)
    first_month: date
    lines: list[UnpaidLine] = Field(min_length=1)


@dataclass(frozen=True)
class ReportedUnpaid:
    """The transmitted report, with what happens next and the receipt."""

    reference: str
    tenant_id: int
    tenant_name: str
    first_month: date
    lines: tuple[UnpaidLine, ...]
    assessment: Assessment
    next_steps: tuple[NextStep, ...]
    repayment_plan_within_months: int
    transmitted_at: datetime
    transmitted_by: str
    receipt: Receipt
    pdf_filename: str

    @property
    def pdf(self) -> bytes:
        """The receipt drawn now (a turn sends `receipt`, drawn after its commit)."""
        return render_receipt(self.receipt)


def _checked_lines(answers: UnpaidAnswers, tenant: Tenant, today: date) -> tuple[UnpaidLine, ...]:
    """Months must run without gap from the first unpaid month to this month (or the last one)."""
    first = month_start(answers.first_month)
    lines = tuple(
        sorted(
            (UnpaidLine(month_start(x.month), x.due_cents, x.paid_cents) for x in answers.lines),
            key=lambda line: line.month,
        )
    )
    current = month_start(today)
    if first > current:
        raise DateError("first_month_in_future")
    if first < month_start(tenant.since):
        raise DateError("first_month_before_move_in")
    if lines[0].month != first:
        raise InvalidValue("lines_must_start_at_first_month")
    if [line.month for line in lines] != months_between(first, lines[-1].month):
        raise InvalidValue("lines_not_contiguous")
    if lines[-1].month > current:
        raise DateError("month_in_future")
    if lines[-1].month < add_months(current, -1):
        raise InvalidValue("lines_must_reach_current_month")
    if lines[0].paid_cents >= lines[0].due_cents:
        raise InvalidValue("first_month_fully_paid")
    return lines


def unpaid_receipt(report: UnpaidReport, tenant: Tenant) -> Receipt:
    """The report's receipt, drawn from what the report keeps: at its transmission and when it
    is asked for again."""
    rule = rule_on(report.constituted_on)
    rows: list[tuple[str, str]] = [
        (row("tenant"), tenant.display_name),
        (row("allocataire_number"), tenant.allocataire_number),
        (row("address"), tenant.dwelling.full_address),
        (row("unpaid_start"), month_label(report.first_month)),
    ]
    rows += [
        (
            month_label(line.month),
            value(
                "unpaid_month", due=format_euros(line.due_cents), paid=format_euros(line.paid_cents)
            ),
        )
        for line in report.lines
    ]
    rows += [
        (row("debt"), format_euros(report.debt_cents)),
        (row("constituted_on"), format_date(report.constituted_on)),
        (row("report_by"), format_date(report.report_by)),
        (row("rule"), rule.source),
    ]
    if report.threshold_cents is not None:
        rows.append((row("threshold"), format_euros(report.threshold_cents)))
    rows.append((row("transmitted_by"), report.transmitted_by.display_name))
    return Receipt(
        title=text("receipt.titles.unpaid"),
        organisation=tenant.dwelling.organisation.name,
        reference=report.reference,
        issued_at=report.transmitted_at,
        rows=tuple(rows),
        notes=tuple(step.text for step in rule.next_steps),
    )


def report_unpaid(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    tenant_id: int,
    first_month: date,
    lines: Sequence[UnpaidLine],
    now: datetime,
) -> ReportedUnpaid:
    """Store the report if the unpaid is constituted under the rule in force.

    Raises `UnpaidNotConstituted` (nothing stored) when it is not, `UnpaidAlreadyReported` when a
    report is open for the tenant, `InvalidValue`/`DateError` for months that do not fit, and
    `NotFound` outside the user's scope.
    """
    today = paris_today(now)
    answers = validated(UnpaidAnswers, tenant_id=tenant_id, first_month=first_month, lines=lines)
    if len(answers.lines) > unpaid_report_max_months(today):
        raise InvalidValue("invalid_lines")
    try:
        with uow:
            session = uow.session
            user = active_user(session, user_id, today)
            tenant = tenant_in_scope(session, user, answers.tenant_id)
            checked = _checked_lines(answers, tenant, today)
            existing = open_unpaid_report(session, tenant.id)
            if existing is not None:
                raise UnpaidAlreadyReported(existing.transmitted_at, existing.reference)
            assessment = assess_for_tenant(tenant, checked, checked[0].month, today)
            if not assessment.constituted or assessment.constituted_on is None:
                raise UnpaidNotConstituted(assessment)
            report = UnpaidReport(
                tenant_id=tenant.id,
                first_month=checked[0].month,
                rule_id=assessment.rule_id,
                threshold_cents=assessment.threshold_cents,
                debt_cents=assessment.debt_cents,
                constituted_on=assessment.constituted_on,
                report_by=assessment.report_by or assessment.constituted_on,
                monthly_rent_cents=tenant.monthly_rent_cents,
                monthly_charges_cents=tenant.monthly_charges_cents,
                monthly_aid_cents=tenant.monthly_aid_cents,
                aid_paid_to_landlord=tenant.aid_paid_to_landlord,
                reference=new_reference("IMP", today.year),
                transmitted_at=now,
                transmitted_by_id=user.id,
                lines=[
                    UnpaidReportLine(month=x.month, due_cents=x.due_cents, paid_cents=x.paid_cents)
                    for x in checked
                ],
            )
            session.add(report)
            uow.flush()
            receipt = unpaid_receipt(report, tenant)
            uow.commit()
            rule = rule_on(assessment.constituted_on)
            return ReportedUnpaid(
                reference=report.reference,
                tenant_id=tenant.id,
                tenant_name=tenant.display_name,
                first_month=report.first_month,
                lines=checked,
                assessment=assessment,
                next_steps=rule.next_steps,
                repayment_plan_within_months=rule.repayment_plan_within_months,
                transmitted_at=now,
                transmitted_by=user.display_name,
                receipt=receipt,
                pdf_filename=f"impaye-{report.reference}.pdf",
            )
    except IntegrityError:
        # A colleague reported the same unpaid at the same moment (another worker): the loser
        # is told it is already reported, as for a report made earlier.
        with uow:
            existing = open_unpaid_report(uow.session, answers.tenant_id)
            if existing is not None:
                raise UnpaidAlreadyReported(existing.transmitted_at, existing.reference) from None
        raise


@dataclass(frozen=True)
class TransmittedUnpaid:
    """A stored unpaid report with its receipt, as it was transmitted."""

    reference: str
    tenant_name: str
    debt_cents: int
    transmitted_at: datetime
    receipt: Receipt
    pdf_filename: str


def transmitted_unpaid(
    uow: UnitOfWork, *, user_id: int | None, tenant_id: int, today: date
) -> TransmittedUnpaid:
    """The latest unpaid report of a tenant of the user's scope, its receipt drawn again from
    what the report keeps. `NotFound` outside the scope or when there is none."""
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, tenant_id)
        report = session.scalars(
            select(UnpaidReport)
            .where(UnpaidReport.tenant_id == tenant.id)
            .order_by(UnpaidReport.id.desc())
            .limit(1)
        ).first()
        if report is None:
            raise NotFound("unpaid_report")
        return TransmittedUnpaid(
            reference=report.reference,
            tenant_name=tenant.display_name,
            debt_cents=report.debt_cents,
            transmitted_at=report.transmitted_at,
            receipt=unpaid_receipt(report, tenant),
            pdf_filename=f"impaye-{report.reference}.pdf",
        )
