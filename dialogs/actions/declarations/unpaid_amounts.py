"""The amounts of an unpaid report, month by month, checked as they come.

Why apart from the tenant and first-month checks (`unpaid_checks.py`): this is where the months
are kept up to date. An amount goes to the month the message names ("en août il avait payé
120"), else to the month being asked; at the recap, a due without a month applies to every
month, a payment without one is asked back. Once both amounts of the asked month are known it
becomes a line and the next month is asked. Once every month is known, the debt is assessed
under the rule in force (`services.unpaid_rules`): when it is not an unpaid yet, the user is
told why and the form ends with nothing stored.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.declarations import unpaid_months as m
from dialogs.actions.declarations.unpaid_months import UNPAID, Line, Report, month_of
from dialogs.actions.payments.periods import period_text
from dialogs.forms.message import find_numbers
from dialogs.forms.validation import OWN_EXTRACTOR, SHORT_RECAP, SpecFormValidation, session_user
from dialogs.nlu.entities import extract
from dialogs.nlu.normalise import fold
from dialogs.wording import count
from services.core.errors import AmountError, UnpaidFigures
from services.core.money import format_euros, parse_amount
from services.declarations.unpaid_rules import Assessment, UnpaidLine, assess, rule_on
from services.documents.texts import month_label
from services.tenants.views import TenantTerms, tenant_terms

AMOUNT_REASONS = {
    (m.DUE, "not_positive"): "utter_unpaid_amount_not_positive",
    (m.PAID, "not_positive"): "utter_unpaid_paid_negative",
    (m.DUE, "too_many_decimals"): "utter_rent_amount_decimals",
    (m.PAID, "too_many_decimals"): "utter_rent_amount_decimals",
}
EXPLANATIONS = {
    "below_threshold": "utter_unpaid_below_threshold",
    "below_threshold_too_recent": "utter_unpaid_below_threshold_recent",
    "no_debt": "utter_unpaid_no_debt",
}
REFUSED = date.min  # the month an amount is for could not be used (the user was told why)


def explain_not_constituted(
    dispatcher: CollectingDispatcher, assessment: UnpaidFigures, today: date
) -> None:
    """Says plainly that the debt is not (yet) an unpaid under today's rule: nothing is stored."""
    dispatcher.utter_message(
        response=EXPLANATIONS.get(assessment.explanation_code, "utter_unpaid_below_threshold"),
        debt=format_euros(assessment.debt_cents),
        threshold=format_euros(assessment.threshold_cents or 0),
        rule=rule_on(today).source,
    )


def terms_of(context: Any, tracker: Tracker, tenant_id: Any = None) -> TenantTerms:
    return tenant_terms(
        context.uow(),
        user_id=session_user(tracker),
        tenant_id=int(tenant_id if tenant_id is not None else tracker.get_slot(m.TENANT)),
        today=context.today(),
    )


def assessment_of(context: Any, tracker: Tracker, lines: list[Line]) -> Assessment:
    terms = terms_of(context, tracker)
    return assess(
        [UnpaidLine(line.month, line.due, line.paid) for line in lines],
        monthly_rent=terms.monthly_rent_cents,
        charges=terms.monthly_charges_cents,
        aid=terms.monthly_aid_cents,
        aid_to_landlord=terms.aid_paid_to_landlord,
        report_date=context.today(),
        first_unpaid_month=lines[0].month,
    )


class MonthAmounts(SpecFormValidation):
    """The checks of the amount questions, and the months they keep."""

    spec = UNPAID

    def report(self, tracker: Tracker) -> Report:
        return Report(tracker.slots, self.context.today())

    def validate_unpaid_due(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        due = self._cents(value, m.DUE, dispatcher)
        if due is None:
            return {m.DUE: None}
        report = self.report(tracker)
        month = self._month_meant(report, tracker, dispatcher)
        if month == REFUSED:
            return {m.DUE: None}
        if month is None:  # at the recap, no month named: the monthly due of every month
            lines = [replace(line, due=due) for line in report.lines]
            if self._first_paid(lines[0], dispatcher):
                return {m.DUE: None}
            dispatcher.utter_message(
                response="utter_unpaid_due_every_month",
                due=format_euros(due),
                count=len(lines),
                debt=format_euros(m.debt(lines)),
            )
            return {**self._changed(report, lines, dispatcher, tracker), m.DUE: None}
        if month == report.asked:
            paid = tracker.get_slot(m.PAID)
            if paid is None:
                return {m.DUE: due}
            return self._record(report, Line(month, due, int(paid)), dispatcher, tracker)
        line = report.line(month)
        assert line is not None  # _month_meant only gives a month with a line
        return self._correct(report, replace(line, due=due), m.DUE, dispatcher, tracker)

    def validate_unpaid_paid(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        paid = self._cents(value, m.PAID, dispatcher)
        if paid is None:
            return {m.PAID: None}
        report = self.report(tracker)
        month = self._month_meant(report, tracker, dispatcher)
        if month == REFUSED:
            return {m.PAID: None}
        if month is None and len(report.lines) == 1:
            month = report.lines[0].month
        if month is None:
            month = self._month_corrected(report, tracker)
        if month is None:  # at the recap, several months and none named
            dispatcher.utter_message(response="utter_unpaid_which_month", paid=format_euros(paid))
            return {m.PAID: None, SHORT_RECAP: True}
        if month == report.asked:
            due = tracker.get_slot(m.DUE)
            if due is None:
                due = m.due_default(tracker.slots)
            if due is None:
                return {m.PAID: paid}  # the due is asked next
            if m.every_month(
                str((tracker.latest_message or {}).get("text") or "")
            ):  # « il paye 100 par mois »: this month and the ones after
                return self._record_every(report, int(due), paid, dispatcher, tracker)
            return self._record(report, Line(month, int(due), paid), dispatcher, tracker)
        line = report.line(month)
        assert line is not None
        return self._correct(report, replace(line, paid=paid), m.PAID, dispatcher, tracker)

    @staticmethod
    def _cents(value: Any, slot: str, dispatcher: CollectingDispatcher) -> int | None:
        """Cents of an amount answer (nothing paid is 0); otherwise says why and gives None."""
        try:
            cents = value if isinstance(value, int) else parse_amount(str(value))
            if isinstance(cents, bool) or cents < 0 or (cents == 0 and slot == m.DUE):
                raise AmountError("not_positive")
        except AmountError as error:
            reason = AMOUNT_REASONS.get((slot, error.reason), "utter_form_expect_amount")
            dispatcher.utter_message(response=reason)
            return None
        return int(cents)

    def _month_meant(
        self, report: Report, tracker: Tracker, dispatcher: CollectingDispatcher
    ) -> date | None:
        """The month the message's amounts are for: the one it names, else the asked one
        (None at the recap). A month outside the report, or not reached yet, is refused."""
        named = self._named_months(tracker)
        if len(named) != 1:
            return report.asked
        month = named.pop()
        if month not in report.months:
            dispatcher.utter_message(
                response="utter_unpaid_month_outside",
                month=month_label(month),
                first=month_label(report.months[0]),
            )
            return REFUSED
        if month != report.asked and report.line(month) is None:
            dispatcher.utter_message(
                response="utter_unpaid_month_later",
                month=month_label(month),
                asked=month_label(report.asked or month),
            )
            return REFUSED
        return month

    @staticmethod
    def _month_corrected(report: Report, tracker: Tracker) -> date | None:
        """« non pas 50, 60 »: the one month whose payment was the amount said not to be."""
        text = str((tracker.latest_message or {}).get("text") or "")
        wrong = {n.cents for n in find_numbers(fold(text), []) if n.negated}
        months = [line.month for line in report.lines if line.paid in wrong]
        return months[0] if len(months) == 1 else None

    def _named_months(self, tracker: Tracker) -> set[date]:
        latest = tracker.latest_message or {}
        entities = list(latest.get("entities") or [])
        if not any(e.get("extractor") == OWN_EXTRACTOR for e in entities):
            entities = extract(str(latest.get("text") or ""), today=self.context.today())
        months = {
            month_of(e.get("value")) for e in entities if e.get("entity") in ("month", "date")
        }
        return {month for month in months if month is not None}

    def _first_paid(self, line: Line, dispatcher: CollectingDispatcher) -> bool:
        """The first unpaid month cannot have been paid in full: says so."""
        if line.paid < line.due:
            return False
        dispatcher.utter_message(
            response="utter_unpaid_first_month_paid", due=format_euros(line.due)
        )
        return True

    def _record(
        self, report: Report, line: Line, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """The asked month is known: it becomes a line and the next month is asked."""
        if line.month == report.first and self._first_paid(line, dispatcher):
            return {m.PAID: None}
        lines = report.with_line(line)
        self._said(line, lines, dispatcher)
        missing = report.missing(lines)
        recorded = report.slots(lines, missing[0] if missing else None)
        if not missing:
            recorded.update(self._assessed(lines, dispatcher, tracker))
        return {**recorded, m.DUE: None, m.PAID: None}

    def _record_every(
        self,
        report: Report,
        due: int,
        paid: int,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        """The same payment for the asked month and every month after it still to answer."""
        months, lines = report.paid_from_now(due, paid)
        if report.first in months and self._first_paid(lines[0], dispatcher):
            return {m.PAID: None}
        dispatcher.utter_message(
            response="utter_unpaid_paid_every_month",
            paid=format_euros(paid),
            due=format_euros(due),
            period=period_text(months[0], months[-1]),
            count=count(len(months), "month"),
            debt=format_euros(m.debt(lines)),
        )
        recorded = report.slots(lines, None)
        recorded.update(self._assessed(lines, dispatcher, tracker))
        return {**recorded, m.DUE: None, m.PAID: None}

    def _correct(
        self,
        report: Report,
        line: Line,
        slot: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        """Another month than the asked one is corrected; the asked one stays asked."""
        if line.month == report.first and self._first_paid(line, dispatcher):
            return {slot: None}
        lines = report.with_line(line)
        self._said(line, lines, dispatcher)
        return {**self._changed(report, lines, dispatcher, tracker), slot: None}

    def _changed(
        self, report: Report, lines: list[Line], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        changed = report.slots(lines, report.asked)
        if report.asked is None:
            changed.update(self._assessed(lines, dispatcher, tracker))
        return changed

    @staticmethod
    def _said(line: Line, lines: list[Line], dispatcher: CollectingDispatcher) -> None:
        dispatcher.utter_message(
            response="utter_unpaid_month_recorded",
            month=month_label(line.month),
            due=format_euros(line.due),
            paid=format_euros(line.paid),
            debt=format_euros(m.debt(lines)),
        )

    def _assessed(
        self, lines: list[Line], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Every month is known: when the debt is not an unpaid yet, say why and end."""
        assessment = assessment_of(self.context, tracker, lines)
        if assessment.constituted:
            return {}
        explain_not_constituted(dispatcher, assessment, self.context.today())
        return {m.CONFIRM: m.NOT_CONSTITUTED}
