"""The dates a declaration may name: it states facts, so a date may be at most a week ahead (a
move planned for next week) and never before the tenant moved in."""

from __future__ import annotations

from datetime import date, timedelta

from services.core.errors import DateError

FUTURE_TOLERANCE = timedelta(days=7)
"""A declaration states facts: a date may be at most a week ahead (a move planned for next week)."""


def check_fact_date(day: date, *, today: date, not_before: date | None, field: str) -> None:
    """Refuse a date more than `FUTURE_TOLERANCE` ahead, or before `not_before` (a move-in)."""
    if day > today + FUTURE_TOLERANCE:
        raise DateError(f"{field}_too_far_ahead")
    if not_before is not None and day < not_before:
        raise DateError(f"{field}_before_move_in")
