"""The dates a declaration may name: it states facts, so a date may be only a few days ahead (a
move planned for next week, see the rules table) and never before the tenant moved in."""

from __future__ import annotations

from datetime import date

from services.core.errors import DateError
from services.core.rules import change_rules


def check_fact_date(day: date, *, today: date, not_before: date | None, field: str) -> None:
    """Refuse a date further ahead than the rules' tolerance, or before `not_before` (a move-in)."""
    if day > today + change_rules(today).future_tolerance:
        raise DateError(f"{field}_too_far_ahead")
    if not_before is not None and day < not_before:
        raise DateError(f"{field}_before_move_in")
