"""How reminders read: the campaign's reminded period in words, and the reminder message itself
with its buttons, shared by the /rappels action, the login and the senders."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.payloads import payload
from dialogs.texts import text
from dialogs.wording import count
from services.core.clock import campaign_year
from services.core.rules import reminder_rules
from services.documents.texts import texts
from services.reminders.weekly import Reminder


def _day(value: date) -> str:
    month = texts("months")[value.month - 1]
    if value.day == 1:
        return text("utter_reminders_first_day", month=month)
    return text("utter_reminders_day", day=value.day, month=month)


def reminded_period(today: date) -> dict[str, Any]:
    """{first, last}: "1er juillet", "15 janvier", for the campaign of `today`."""
    first, last = reminder_rules(today).window(campaign_year(today))
    return {"first": _day(first), "last": _day(last)}


def reminder_values(reminder: Reminder) -> dict[str, Any]:
    return {
        "remaining": count(reminder.remaining, "rent"),
        "total": reminder.total,
        "year": reminder.year,
    }


def reminder_buttons() -> list[dict[str, str]]:
    """Start declaring, or stop the reminders, in one press."""
    return [
        {"title": text("utter_button_reminder_start"), "payload": payload("declare_rent")},
        {
            "title": text("utter_button_reminders_off"),
            "payload": payload("manage_reminders", reminders_enabled=False),
        },
    ]
