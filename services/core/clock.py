"""Time as an injectable dependency, and the calendar facts derived from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from services.core.rules import rent_campaign_rules

Clock = Callable[[], datetime]
PARIS = ZoneInfo("Europe/Paris")


def system_clock() -> datetime:
    return datetime.now(UTC)


def paris_today(now: datetime) -> date:
    return now.astimezone(PARIS).date()


def campaign_year(today: date) -> int:
    """The July rent asked for is the most recent July: this year's from 1 July, else last year's
    (the month the campaign opens is in the rules table)."""
    opens = rent_campaign_rules(today).opens_month
    return today.year if today.month >= opens else today.year - 1
