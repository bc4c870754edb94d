"""The dates of the change form: the one given with the change in the opening message ("Mme
Brisson est partie le 15 octobre") answers its question, said back since it was never asked; each
date is checked with the services' own rule (`check_fact_date`) so a wrong one is asked again at
once, the departure's lateness is told, and a lease cannot end before the departure."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import (
    format_day,
    parse_iso_date,
)
from dialogs.actions.core.base import (
    BotFormValidation,
    entities,
)
from dialogs.actions.declarations.change_questions import (
    edit_label,
)
from services.core.dates import add_months
from services.core.errors import (
    DateError,
)
from services.core.rules import change_rules
from services.declarations.fact_dates import check_fact_date

DATE_FIELDS = {
    "change_end_date": "ended_on",
    "change_departure_date": "departed_on",
    "change_lease_end_date": "lease_ended_on",
    "change_from_date": "from_date",
}


class ChangeDateAnswers(BotFormValidation):
    """The date slots' extraction and validation, shared into the change form's validator."""

    def _opening_date(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        """The date given with the change in the message that opens the form.

        "Mme Brisson est partie le 15 octobre" names the change and its date together, so that
        date answers the question before it is asked; with two dates the message is ambiguous
        and each date is asked for.
        """
        if self.requested(tracker) is not None or tracker.get_slot(slot) is not None:
            return {}
        if not entities(tracker, "change_type"):
            return {}
        dates = entities(tracker, "date")
        return {slot: dates[0].get("value")} if len(dates) == 1 else {}

    def _noted(
        self, slot: str, day: date | None, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> None:
        """A date taken from the opening message is said back, since it was never asked."""
        if day is not None and self.requested(tracker) != slot:
            dispatcher.utter_message(
                response="utter_change_date_noted", label=edit_label(slot), day=format_day(day)
            )

    def extract_change_end_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._opening_date("change_end_date", tracker)

    def extract_change_departure_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._opening_date("change_departure_date", tracker)

    def extract_change_from_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._opening_date("change_from_date", tracker)

    def _date(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> date | None:
        """The date of the answer if it may be declared; otherwise say why and return None."""
        day = parse_iso_date(value)
        if day is None:
            dispatcher.utter_message(response="utter_change_date_invalid")
            return None
        today = self.context.today()
        since = parse_iso_date(tracker.get_slot("change_tenant_since"))
        not_before = None if slot == "change_lease_end_date" else since
        try:
            check_fact_date(day, today=today, not_before=not_before, field=DATE_FIELDS[slot])
        except DateError as error:
            if error.reason.endswith("too_far_ahead"):
                dispatcher.utter_message(
                    response="utter_change_date_future",
                    day=format_day(day),
                    limit=format_day(today + change_rules(today).future_tolerance),
                )
            else:
                dispatcher.utter_message(
                    response="utter_change_date_before_move_in",
                    day=format_day(day),
                    since=format_day(since or day),
                )
            return None
        return day

    def validate_change_end_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_end_date", value, dispatcher, tracker)
        self._noted("change_end_date", day, dispatcher, tracker)
        return {"change_end_date": day.isoformat() if day else None}

    def validate_change_departure_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_departure_date", value, dispatcher, tracker)
        if day is None:
            return {"change_departure_date": None}
        today = self.context.today()
        report_by = add_months(day, change_rules(today).departure_report_within_months)
        if today > report_by:
            dispatcher.utter_message(
                response="utter_change_departure_late",
                day=format_day(day),
                by=format_day(report_by),
            )
        if self.requested(tracker) != "change_departure_date":
            dispatcher.utter_message(response="utter_change_departure_noted", day=format_day(day))
        lease = parse_iso_date(tracker.get_slot("change_lease_end_date"))
        reset = {"change_lease_end_date": None} if lease is not None and lease < day else {}
        return {"change_departure_date": day.isoformat(), **reset}

    def validate_change_lease_end_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_lease_end_date", value, dispatcher, tracker)
        if day is None:
            return {"change_lease_end_date": None}
        departed = parse_iso_date(tracker.get_slot("change_departure_date"))
        if departed is not None and day < departed:
            dispatcher.utter_message(
                response="utter_change_lease_before_departure", departed=format_day(departed)
            )
            return {"change_lease_end_date": None}
        return {"change_lease_end_date": day.isoformat()}

    def validate_change_from_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_from_date", value, dispatcher, tracker)
        self._noted("change_from_date", day, dispatcher, tracker)
        return {"change_from_date": day.isoformat() if day else None}
