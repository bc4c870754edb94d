"""The business rules table: every topic has exactly one rule in force on any day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.core.rules import entries, in_force, topics


def _edges(topic: str) -> set[date]:
    days = {date(2000, 1, 1), date(2026, 11, 23), date(2099, 12, 31)}
    for entry in entries(topic):
        for edge in (entry.get("valid_from"), entry.get("valid_until")):
            if edge is not None:
                days |= {edge - timedelta(days=1), edge, edge + timedelta(days=1)}
    return days


@pytest.mark.parametrize("topic", topics())
def test_every_day_has_exactly_one_rule_in_force(topic: str) -> None:
    for day in sorted(_edges(topic)):
        in_force_that_day = [entry for entry in entries(topic) if in_force(entry, day)]
        assert len(in_force_that_day) == 1, (topic, day)


def test_the_table_holds_the_limits_the_services_apply() -> None:
    assert set(topics()) == {
        "rent_campaign",
        "reminders",
        "changes",
        "unpaid_reports",
        "unpaid",
        "accounts",
        "spreadsheets",
    }
