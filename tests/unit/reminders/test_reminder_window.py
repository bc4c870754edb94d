"""When the rent campaign is reminded: from 1 July to 15 January of the next year (rules table)."""

from __future__ import annotations

from datetime import date

import pytest

from services.reminders.weekly import in_reminder_window


@pytest.mark.parametrize(
    ("day", "reminded"),
    [
        (date(2026, 6, 30), False),
        (date(2026, 7, 1), True),
        (date(2026, 11, 23), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 15), True),
        (date(2027, 1, 16), False),
        (date(2027, 3, 1), False),
    ],
)
def test_the_campaign_is_reminded_from_july_to_mid_january(day: date, reminded: bool) -> None:
    assert in_reminder_window(day) is reminded
