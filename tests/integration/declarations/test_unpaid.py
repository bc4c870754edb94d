from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from services.core.errors import (
    DateError,
    InvalidValue,
    NotFound,
    UnpaidAlreadyReported,
    UnpaidNotConstituted,
)
from services.declarations.models import UnpaidReport, UnpaidReportLine
from services.declarations.unpaid import report_unpaid
from services.declarations.unpaid_rules import UnpaidLine
from services.declarations.views import unpaid_history
from services.tenants.views import tenant_card
from tests.integration.conftest import pdf_text

TODAY = date(2026, 11, 23)
COUTURE_DUE = 38990 + 5200 - 15500  # rent + charges − aid paid to the landlord


def _stored_reports(uow_factory) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(UnpaidReport.id))) or 0


def test_the_ledger_proposes_the_months_since_the_debt_started(uow_factory, oliviers, tenant_id):
    history = unpaid_history(
        uow_factory(), user_id=oliviers, tenant_id=tenant_id("COUTURE"), today=TODAY
    )
    assert history.first_month == date(2026, 8, 1)
    assert [(x.month.month, x.due_cents, x.paid_cents) for x in history.lines] == [
        (8, COUTURE_DUE, 10000),
        (9, COUTURE_DUE, 8000),
        (10, COUTURE_DUE, 10000),
        (11, COUTURE_DUE, 0),
    ]
    assert history.assessment is not None
    assert history.assessment.constituted is True
    assert history.assessment.threshold_cents == 2 * COUTURE_DUE
    assert history.open_report_reference is None


def test_a_tenant_who_pays_has_no_history_to_propose(uow_factory, oliviers, tenant_id):
    history = unpaid_history(
        uow_factory(), user_id=oliviers, tenant_id=tenant_id("BRISSON"), today=TODAY
    )
    assert (history.first_month, history.lines, history.assessment) == (None, (), None)


def test_a_constituted_unpaid_is_stored_with_its_months_and_a_receipt(
    uow_factory, oliviers, tenant_id, now
):
    couture = tenant_id("COUTURE")
    history = unpaid_history(uow_factory(), user_id=oliviers, tenant_id=couture, today=TODAY)
    done = report_unpaid(
        uow_factory(),
        user_id=oliviers,
        tenant_id=couture,
        first_month=date(2026, 8, 1),
        lines=history.lines,
        now=now,
    )
    debt = 4 * COUTURE_DUE - 28000
    assert done.reference.startswith("IMP-2026-")
    assert done.assessment.debt_cents == debt
    assert done.assessment.constituted_on == date(2026, 10, 1)
    assert [step.code for step in done.next_steps][:2] == ["ccapex_informed", "repayment_plan"]
    assert done.repayment_plan_within_months == 6
    text = pdf_text(done.pdf)
    for expected in (
        done.reference,
        "COUTURE Anthony",
        "580592",
        "août 2026",
        "novembre 2026",
        "dû 286,90 € ; payé 100,00 €",
        "867,60 €",
        "01/10/2026",
        "01/12/2026",
        "CCAPEX",
        "plan d'apurement",
        "Claire LEROUX",
    ):
        assert expected in text
    with uow_factory() as uow:
        lines = uow.session.scalars(select(UnpaidReportLine).order_by(UnpaidReportLine.month)).all()
        assert [(x.month, x.paid_cents) for x in lines] == [
            (date(2026, 8, 1), 10000),
            (date(2026, 9, 1), 8000),
            (date(2026, 10, 1), 10000),
            (date(2026, 11, 1), 0),
        ]
    card = tenant_card(uow_factory(), user_id=oliviers, tenant_id=couture, today=TODAY)
    assert [(u.reference, u.debt_cents) for u in card.open_unpaid] == [(done.reference, debt)]


def test_one_open_report_per_tenant(uow_factory, oliviers, tenant_id, now):
    couture = tenant_id("COUTURE")
    lines = unpaid_history(uow_factory(), user_id=oliviers, tenant_id=couture, today=TODAY).lines
    first = report_unpaid(
        uow_factory(),
        user_id=oliviers,
        tenant_id=couture,
        first_month=date(2026, 8, 1),
        lines=lines,
        now=now,
    )
    with pytest.raises(UnpaidAlreadyReported) as refused:
        report_unpaid(
            uow_factory(),
            user_id=oliviers,
            tenant_id=couture,
            first_month=date(2026, 8, 1),
            lines=lines,
            now=now,
        )
    assert refused.value.reference == first.reference
    assert _stored_reports(uow_factory) == 1


def test_a_debt_below_the_threshold_is_refused_with_the_assessment(
    uow_factory, oliviers, tenant_id, now
):
    lines = [UnpaidLine(date(2026, 10, 1), 20000, 0), UnpaidLine(date(2026, 11, 1), 20000, 0)]
    with pytest.raises(UnpaidNotConstituted) as refused:
        report_unpaid(
            uow_factory(),
            user_id=oliviers,
            tenant_id=tenant_id("BEAUVOIS"),
            first_month=date(2026, 10, 1),
            lines=lines,
            now=now,
        )
    assessment = refused.value.assessment
    assert (assessment.debt_cents, assessment.threshold_cents) == (
        40000,
        2 * (41200 + 6000 - 21000),
    )
    assert assessment.explanation_code == "below_threshold"
    assert _stored_reports(uow_factory) == 0


def test_after_1_january_2027_the_same_debt_is_an_unpaid(uow_factory, oliviers, tenant_id):
    # BEAUVOIS' old threshold is 524 €; 460 € owed over December and January passes 450 €.
    lines = [UnpaidLine(date(2026, 12, 1), 26200, 3200), UnpaidLine(date(2027, 1, 1), 26200, 3200)]
    beauvois = tenant_id("BEAUVOIS")
    with pytest.raises(UnpaidNotConstituted):
        report_unpaid(
            uow_factory(),
            user_id=oliviers,
            tenant_id=beauvois,
            first_month=date(2026, 11, 1),
            lines=[UnpaidLine(date(2026, 11, 1), 26200, 3200), lines[0]],
            now=datetime(2026, 12, 20, 9, 0, tzinfo=UTC),
        )
    done = report_unpaid(
        uow_factory(),
        user_id=oliviers,
        tenant_id=beauvois,
        first_month=date(2026, 12, 1),
        lines=lines,
        now=datetime(2027, 1, 12, 9, 0, tzinfo=UTC),
    )
    assert done.assessment.rule_id == "decret-2026-83"
    assert done.assessment.constituted_on == date(2027, 1, 1)
    assert [step.code for step in done.next_steps][-1] == "ccapex_decides_aid"
    assert "Décrets n° 2026-83" in pdf_text(done.pdf)


def _line(month: int, due: int = 30000, paid: int = 0, year: int = 2026) -> UnpaidLine:
    return UnpaidLine(date(year, month, 1), due, paid)


@pytest.mark.parametrize(
    ("first_month", "lines", "error", "code"),
    [
        (date(2026, 9, 1), [], InvalidValue, "invalid_lines"),
        (date(2026, 9, 1), [_line(10), _line(11)], InvalidValue, "lines_must_start_at_first_month"),
        (date(2026, 9, 1), [_line(9), _line(11)], InvalidValue, "lines_not_contiguous"),
        (date(2026, 9, 1), [_line(9), _line(9), _line(10)], InvalidValue, "lines_not_contiguous"),
        (date(2026, 11, 1), [_line(11), _line(12)], DateError, "month_in_future"),
        (date(2026, 12, 1), [_line(12)], DateError, "first_month_in_future"),
        (
            date(2026, 7, 1),
            [_line(7), _line(8), _line(9)],
            InvalidValue,
            "lines_must_reach_current_month",
        ),
        (
            date(2026, 10, 1),
            [_line(10, paid=30000), _line(11)],
            InvalidValue,
            "first_month_fully_paid",
        ),
        (date(2021, 8, 1), [_line(8, year=2021)], DateError, "first_month_before_move_in"),
    ],
)
def test_months_that_do_not_fit_are_refused(
    uow_factory, oliviers, tenant_id, now, first_month, lines, error, code
):
    with pytest.raises(error) as refused:
        report_unpaid(
            uow_factory(),
            user_id=oliviers,
            tenant_id=tenant_id("COUTURE"),
            first_month=first_month,
            lines=lines,
            now=now,
        )
    assert refused.value.reason == code
    assert _stored_reports(uow_factory) == 0


def test_another_organisations_tenant_is_not_found(uow_factory, martin, tenant_id, now):
    couture = tenant_id("COUTURE")
    with pytest.raises(NotFound):
        unpaid_history(uow_factory(), user_id=martin, tenant_id=couture, today=TODAY)
    with pytest.raises(NotFound):
        report_unpaid(
            uow_factory(),
            user_id=martin,
            tenant_id=couture,
            first_month=date(2026, 10, 1),
            lines=[_line(10), _line(11)],
            now=now,
        )
    assert _stored_reports(uow_factory) == 0
