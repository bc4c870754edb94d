from datetime import date

import pytest
from pydantic import ValidationError

from services.declarations.unpaid_rules import UnpaidLine, assess, rule_on, unpaid_rules

CAF = {"monthly_rent": 28000, "charges": 2000, "aid": 5000}


def _months(*spec):
    return [UnpaidLine(date(y, m, 1), due, paid) for y, m, due, paid in spec]


def test_caf_example_threshold_is_500_euros_when_the_aid_goes_to_the_landlord():
    lines = _months((2026, 9, 25000, 0), (2026, 10, 25000, 0))
    result = assess(
        lines,
        **CAF,
        aid_to_landlord=True,
        report_date=date(2026, 11, 23),
        first_unpaid_month=date(2026, 9, 1),
    )
    assert result.threshold_cents == 50000
    assert result.constituted is True
    assert result.rule_id == "cch-r824-1-2026"
    assert result.constituted_on == date(2026, 10, 1)
    assert result.report_by == date(2026, 12, 1)
    assert result.explanation_code == "debt_reached_threshold"
    assert result.late is False


def test_caf_example_threshold_is_600_euros_when_the_aid_goes_to_the_tenant():
    lines = _months((2026, 9, 30000, 5000), (2026, 10, 30000, 0))
    result = assess(
        lines,
        **CAF,
        aid_to_landlord=False,
        report_date=date(2026, 11, 23),
        first_unpaid_month=date(2026, 9, 1),
    )
    assert result.threshold_cents == 60000
    assert result.debt_cents == 55000
    assert result.constituted is False
    assert result.constituted_on is None
    assert result.explanation_code == "below_threshold"


def test_until_2026_one_cent_below_twice_the_net_rent_is_not_an_unpaid():
    lines = _months((2026, 10, 25000, 0), (2026, 11, 25000, 1))
    result = assess(
        lines,
        **CAF,
        aid_to_landlord=True,
        report_date=date(2026, 11, 30),
        first_unpaid_month=date(2026, 10, 1),
    )
    assert (result.constituted, result.debt_cents) == (False, 49999)


def test_from_2027_a_debt_of_exactly_450_euros_is_not_enough():
    lines = _months((2027, 1, 22500, 0), (2027, 2, 22500, 0))
    result = assess(
        lines,
        **CAF,
        aid_to_landlord=True,
        report_date=date(2027, 2, 20),
        first_unpaid_month=date(2027, 1, 1),
    )
    assert result.constituted is False
    assert result.rule_id == "decret-2026-83"
    assert result.threshold_cents == 45000
    assert result.explanation_code == "below_threshold_too_recent"


def test_from_2027_a_debt_over_450_euros_is_an_unpaid_at_once():
    lines = _months((2027, 1, 22500, 0), (2027, 2, 22501, 0))
    result = assess(
        lines,
        **CAF,
        aid_to_landlord=True,
        report_date=date(2027, 2, 20),
        first_unpaid_month=date(2027, 1, 1),
    )
    assert result.constituted is True
    assert result.constituted_on == date(2027, 2, 1)
    assert result.explanation_code == "debt_reached_threshold"


def test_from_2027_three_months_without_regularisation_make_an_unpaid_whatever_the_amount():
    lines = _months(
        (2027, 1, 25000, 20000),
        (2027, 2, 25000, 25000),
        (2027, 3, 25000, 25000),
        (2027, 4, 25000, 25000),
    )
    before = assess(
        lines[:3],
        **CAF,
        aid_to_landlord=True,
        report_date=date(2027, 3, 31),
        first_unpaid_month=date(2027, 1, 1),
    )
    after = assess(
        lines,
        **CAF,
        aid_to_landlord=True,
        report_date=date(2027, 4, 10),
        first_unpaid_month=date(2027, 1, 1),
    )
    assert (before.constituted, before.debt_cents) == (False, 5000)
    assert after.constituted is True
    assert after.constituted_on == date(2027, 4, 1)
    assert after.report_by == date(2027, 6, 1)
    assert after.explanation_code == "unregularised_for_months"


def test_the_same_debt_is_judged_by_the_rule_in_force_on_each_side_of_1_january_2027():
    # 460 € owed, aid paid to the tenant: below 2 × 300 € in 2026, above 450 € in 2027.
    lines = _months((2026, 12, 30000, 7000), (2027, 1, 30000, 7000))
    in_2026 = assess(
        lines[:1] + _months((2026, 11, 30000, 7000)),
        **CAF,
        aid_to_landlord=False,
        report_date=date(2026, 12, 31),
        first_unpaid_month=date(2026, 11, 1),
    )
    in_2027 = assess(
        lines,
        **CAF,
        aid_to_landlord=False,
        report_date=date(2027, 1, 2),
        first_unpaid_month=date(2026, 12, 1),
    )
    assert (in_2026.constituted, in_2026.rule_id, in_2026.debt_cents) == (
        False,
        "cch-r824-1-2026",
        46000,
    )
    assert (in_2027.constituted, in_2027.rule_id, in_2027.constituted_on) == (
        True,
        "decret-2026-83",
        date(2027, 1, 1),
    )


def test_a_debt_paid_off_is_not_an_unpaid_any_more():
    lines = _months((2026, 8, 25000, 0), (2026, 9, 25000, 0), (2026, 10, 25000, 75000))
    result = assess(
        lines,
        **CAF,
        aid_to_landlord=True,
        report_date=date(2026, 10, 20),
        first_unpaid_month=date(2026, 8, 1),
    )
    assert (result.constituted, result.explanation_code) == (False, "no_debt")


def test_a_report_after_the_two_months_is_late():
    lines = _months(
        (2026, 8, 25000, 0),
        (2026, 9, 25000, 0),
        (2026, 10, 25000, 0),
        (2026, 11, 25000, 0),
        (2026, 12, 25000, 0),
    )
    result = assess(
        lines,
        **CAF,
        aid_to_landlord=True,
        report_date=date(2026, 12, 15),
        first_unpaid_month=date(2026, 8, 1),
    )
    assert (result.constituted_on, result.report_by, result.late) == (
        date(2026, 9, 1),
        date(2026, 11, 1),
        True,
    )


@pytest.mark.parametrize(
    ("day", "rule_id"),
    [
        (date(1990, 1, 1), "cch-r824-1-2026"),
        (date(2026, 12, 31), "cch-r824-1-2026"),
        (date(2027, 1, 1), "decret-2026-83"),
        (date(2100, 1, 1), "decret-2026-83"),
    ],
)
def test_exactly_one_rule_is_in_force_on_every_day(day, rule_id):
    assert [r.id for r in unpaid_rules() if r.in_force(day)] == [rule_id]
    assert rule_on(day).id == rule_id


def test_every_rule_says_what_happens_next_in_french():
    for rule in unpaid_rules():
        codes = [step.code for step in rule.next_steps]
        assert codes[:2] == ["ccapex_informed", "repayment_plan"]
        assert "CCAPEX" in rule.next_steps[0].text
        assert rule.repayment_plan_within_months == 6
        assert rule.report_within_months == 2


@pytest.mark.parametrize(("due", "paid"), [(0, 0), (-100, 0), (100, -1)])
def test_a_line_needs_a_positive_due_and_a_non_negative_payment(due, paid):
    with pytest.raises(ValidationError):
        UnpaidLine(date(2026, 10, 1), due, paid)
