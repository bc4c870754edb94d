"""The business rules table (`rules.yml`): every limit the services apply, by the date it is in
force, so that a limit changes in data, on a date, and never in code.

A topic is a list of dated entries; `rules_on(topic, day)` gives the entry in force on `day`.
The typed views below name the fields of the simple topics; the unpaid rules, which carry
thresholds and next steps, are read by `services.declarations.unpaid_rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from services.core.yaml_files import read_yaml


@cache
def _table() -> dict[str, tuple[dict[str, Any], ...]]:
    data: dict[str, list[dict[str, Any]]] = read_yaml("services.core", "rules.yml")
    return {topic: tuple(entries) for topic, entries in data.items()}


def topics() -> tuple[str, ...]:
    return tuple(_table())


def entries(topic: str) -> tuple[Mapping[str, Any], ...]:
    """Every entry of a topic, in the table's order."""
    return _table()[topic]


def in_force(entry: Mapping[str, Any], day: date) -> bool:
    start, end = entry.get("valid_from"), entry.get("valid_until")
    return (start is None or start <= day) and (end is None or day <= end)


def rules_on(topic: str, day: date) -> Mapping[str, Any]:
    """The entry of `topic` in force on `day`."""
    for entry in entries(topic):
        if in_force(entry, day):
            return entry
    raise LookupError(f"no {topic} rule in force on {day}")


@dataclass(frozen=True)
class RentCampaignRules:
    opens_month: int
    unusual_change_ratio: float
    unusual_amount_cents: int
    max_amount_cents: int

    def too_large(self, cents: int) -> bool:
        """A monthly rent no landlord means: refused, not confirmed."""
        return cents > self.max_amount_cents

    def is_unusual(self, cents: int, last_cents: int | None) -> bool:
        """Above the usual ceiling, or far from last year's amount."""
        return cents > self.unusual_amount_cents or self.far_from(cents, last_cents)

    def far_from(self, cents: int, last_cents: int | None) -> bool:
        return bool(last_cents) and abs(cents - int(last_cents or 0)) > (
            self.unusual_change_ratio * int(last_cents or 0)
        )


@dataclass(frozen=True)
class ChangeRules:
    future_tolerance_days: int
    departure_report_within_months: int
    max_cotenants: int

    @property
    def future_tolerance(self) -> timedelta:
        return timedelta(days=self.future_tolerance_days)


@dataclass(frozen=True)
class RecoveryLimit:
    count: int
    window: timedelta


@dataclass(frozen=True)
class AccountRules:
    login_free_failures: int
    login_first_wait: timedelta
    login_max_wait: timedelta
    login_failures_window: timedelta
    emailed_password_validity: timedelta
    letter_password_validity: timedelta
    min_password_length: int
    recovery_limits: Mapping[str, RecoveryLimit]
    max_users_per_email: int
    password_proof_validity: timedelta


def rent_campaign_rules(day: date) -> RentCampaignRules:
    entry = rules_on("rent_campaign", day)
    return RentCampaignRules(
        opens_month=entry["opens_month"],
        unusual_change_ratio=entry["unusual_change_ratio"],
        unusual_amount_cents=entry["unusual_amount_cents"],
        max_amount_cents=entry["max_amount_cents"],
    )


@dataclass(frozen=True)
class ReminderRules:
    from_month: int
    from_day: int
    until_month: int
    until_day: int
    send_hour: int

    def window(self, year: int) -> tuple[date, date]:
        """The first and last days the campaign of July `year` is reminded."""
        return (
            date(year, self.from_month, self.from_day),
            date(year + 1, self.until_month, self.until_day),
        )


def reminder_rules(day: date) -> ReminderRules:
    entry = rules_on("reminders", day)
    return ReminderRules(
        from_month=entry["from_month"],
        from_day=entry["from_day"],
        until_month=entry["until_month"],
        until_day=entry["until_day"],
        send_hour=entry["send_hour"],
    )


def change_rules(day: date) -> ChangeRules:
    entry = rules_on("changes", day)
    return ChangeRules(
        future_tolerance_days=entry["future_tolerance_days"],
        departure_report_within_months=entry["departure_report_within_months"],
        max_cotenants=entry["max_cotenants"],
    )


def unpaid_report_max_months(day: date) -> int:
    return int(rules_on("unpaid_reports", day)["max_months"])


def account_rules(day: date) -> AccountRules:
    entry = rules_on("accounts", day)
    return AccountRules(
        login_free_failures=entry["login_free_failures"],
        login_first_wait=timedelta(seconds=entry["login_first_wait_seconds"]),
        login_max_wait=timedelta(minutes=entry["login_max_wait_minutes"]),
        login_failures_window=timedelta(hours=entry["login_failures_window_hours"]),
        emailed_password_validity=timedelta(hours=entry["emailed_password_hours"]),
        letter_password_validity=timedelta(days=entry["letter_password_days"]),
        min_password_length=entry["min_password_length"],
        recovery_limits={
            name: RecoveryLimit(limit["count"], timedelta(hours=limit["window_hours"]))
            for name, limit in entry["recovery_limits"].items()
        },
        max_users_per_email=entry["max_users_per_email"],
        password_proof_validity=timedelta(minutes=entry["password_proof_minutes"]),
    )
