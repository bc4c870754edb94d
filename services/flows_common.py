"""Small helpers shared by the change, unpaid, tenant and payment services: months, receipt
references, the date window a declaration may name, and input validation at the boundary."""

from __future__ import annotations

import calendar
import secrets
from datetime import date, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.errors import DateError, InvalidValue

FUTURE_TOLERANCE = timedelta(days=7)
"""A declaration states facts: a date may be at most a week ahead (a move planned for next week)."""

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

Model = TypeVar("Model", bound=BaseModel)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the end of a shorter month (31 Jan + 1 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from `first` to `last`, both included."""
    months: list[date] = []
    current = month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def month_label(month: date) -> str:
    """How the French receipts and statements name a month: "novembre 2026"."""
    return f"{MONTHS_FR[month.month - 1]} {month.year}"


def format_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def new_reference(prefix: str, year: int) -> str:
    """A receipt reference such as "DEP-2026-1A2B3C4D"; the column is unique, so a (rare)
    collision fails the transaction instead of giving two declarations one reference."""
    return f"{prefix}-{year}-{secrets.token_hex(4).upper()}"


def check_fact_date(day: date, *, today: date, not_before: date | None, field: str) -> None:
    """Refuse a date more than `FUTURE_TOLERANCE` ahead, or before `not_before` (a move-in)."""
    if day > today + FUTURE_TOLERANCE:
        raise DateError(f"{field}_too_far_ahead")
    if not_before is not None and day < not_before:
        raise DateError(f"{field}_before_move_in")


def validated(model: type[Model], **values: Any) -> Model:
    """Build the boundary model; a refusal becomes `InvalidValue("invalid_<field>")` so the dialog
    can say which answer to correct."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        location = exc.errors()[0]["loc"]
        field = str(location[0]) if location else "input"
        raise InvalidValue(f"invalid_{field}") from exc
