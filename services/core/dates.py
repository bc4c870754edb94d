"""Calendar arithmetic on months and the French way of writing a day or a month, shared by every
capability that counts months (unpaid reports, payments, demo data)."""

from __future__ import annotations

import calendar
from datetime import date

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


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
