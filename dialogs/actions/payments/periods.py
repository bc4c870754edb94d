"""A period of months as the payments texts say it, shared by the list and the chart."""

from __future__ import annotations

from datetime import date

from dialogs.texts import text
from dialogs.wording import elides
from services.documents.texts import month_label


def period_text(first: date, last: date) -> str:
    """ "de mai 2026", "d'août 2026", or "d'avril 2026 à octobre 2026" (elided before a
    vowel)."""
    if first == last:
        one = month_label(first)
        response = "utter_payments_period_month"
        return text(f"{response}_elided" if elides(one) else response, month=one)
    elided = elides(month_label(first))
    return text(
        "utter_payments_period_range_elided" if elided else "utter_payments_period_range",
        first=month_label(first),
        last=month_label(last),
    )
