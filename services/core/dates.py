"""Calendar arithmetic on months and the numeric way of writing a day, shared by every capability
that counts months (unpaid reports, payments, demo data). Month names are texts: see
`services.documents.texts.month_label`."""

from __future__ import annotations

import calendar
from datetime import date


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


def format_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")
