"""The unpaid form's validator: the tenant, the first month, each month's amounts ("pareil",
"rien" understood), the assessment once every month is known, and the recap's choices."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import (
    CONFIRM_WORDS,
    choice,
    format_day,
    option,
    parse_iso_month,
)
from dialogs.actions.core.base import (
    BotFormValidation,
    entities,
    session_user,
)
from dialogs.actions.declarations.unpaid_months import (
    FIX_PREFIX,
    SAME,
    Line,
    UnpaidContext,
    amount_cents,
    asked_month,
    debt_of,
    explain_not_constituted,
    means_same,
    previous_line,
    recorded_lines,
    report_months,
    stored_lines,
)
from dialogs.actions.tenants.picker import TenantPicker, scoped_card
from dialogs.texts import text, word_groups
from services.core.dates import month_start, months_between
from services.core.errors import (
    AmountError,
)
from services.core.money import format_euros
from services.core.rules import unpaid_report_max_months
from services.documents.texts import format_paris, month_label
from services.tenants.views import tenant_terms

EDIT_OPTIONS = word_groups("unpaid_edit_choices")

AMOUNT_REASONS = {
    "empty": "utter_unpaid_amount_invalid",
    "not_a_number": "utter_unpaid_amount_invalid",
    "not_positive": "utter_unpaid_amount_not_positive",
    "too_many_decimals": "utter_rent_amount_decimals",
    "too_large": "utter_unpaid_amount_invalid",
}


class ValidateUnpaidForm(BotFormValidation):
    def name(self) -> str:
        return "validate_unpaid_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = ["unpaid_tenant", "unpaid_first_month"]
        months = report_months(tracker, self.context.today())
        if not months:
            return slots
        if tracker.get_slot("unpaid_fix_month") or len(recorded_lines(tracker)) < len(months):
            return [*slots, "unpaid_due", "unpaid_paid"]
        slots.append("unpaid_confirm")
        if tracker.get_slot("unpaid_confirm") == "modifier":
            slots.append("unpaid_edit")
        return slots

    # ----- tenant and first month ----------------------------------------------------------
    def extract_unpaid_tenant(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        picker = TenantPicker(
            self.context,
            "unpaid_tenant",
            "utter_flow_tenant_unknown",
            "utter_flow_tenant_ambiguous",
        )
        return picker.extract(dispatcher, tracker, self.requested(tracker))

    def validate_unpaid_tenant(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        card = scoped_card(self, tracker, value)
        if card is None:
            dispatcher.utter_message(response="utter_flow_tenant_unknown")
            return {"unpaid_tenant": None}
        name = f"{card.last_name} {card.first_name}"
        if card.open_unpaid:
            report = card.open_unpaid[0]
            dispatcher.utter_message(
                response="utter_unpaid_already_open",
                tenant=name,
                when=format_paris(report.transmitted_at),
                reference=report.reference,
            )
            return {"unpaid_tenant": None}
        terms = tenant_terms(
            self.context.uow(),
            user_id=session_user(tracker),
            tenant_id=card.tenant_id,
            today=self.context.today(),
        )
        dispatcher.utter_message(
            response="utter_unpaid_tenant_facts",
            tenant=name,
            allocataire=card.allocataire_number,
            rent=format_euros(terms.monthly_rent_cents),
            charges=format_euros(terms.monthly_charges_cents),
            aid=format_euros(terms.monthly_aid_cents),
            aid_to=text(
                "utter_unpaid_aid_to_landlord"
                if terms.aid_paid_to_landlord
                else "utter_unpaid_aid_to_tenant"
            ),
            share=format_euros(terms.tenant_share_cents),
        )
        return {
            "unpaid_tenant": card.tenant_id,
            "unpaid_tenant_name": name,
            "unpaid_default_due": terms.tenant_share_cents,
            "unpaid_lines": [],
        }

    def extract_unpaid_first_month(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "Couture paye plus depuis août" names the first unpaid month with the report itself,
        so it answers that question before it is asked (one month only, and the tenant known)."""
        if self.requested(tracker) is not None or tracker.get_slot("unpaid_first_month"):
            return {}
        intent = tracker.latest_message.get("intent", {}).get("name")
        months = entities(tracker, "month")
        if intent != "report_unpaid" or len(months) != 1 or not tracker.get_slot("unpaid_tenant"):
            return {}
        return {"unpaid_first_month": months[0].get("value")}

    def validate_unpaid_first_month(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("unpaid_tenant") is None:
            return {"unpaid_first_month": None}  # asked again once the tenant is known
        month = parse_iso_month(value or "")
        if month is None:
            dispatcher.utter_message(response="utter_unpaid_month_invalid")
            return {"unpaid_first_month": None}
        today = self.context.today()
        terms = UnpaidContext(self, tracker).terms()
        if month > month_start(today):
            dispatcher.utter_message(response="utter_unpaid_month_future", month=month_label(month))
            return {"unpaid_first_month": None}
        if month < month_start(terms.since):
            dispatcher.utter_message(
                response="utter_unpaid_month_before_move_in",
                month=month_label(month),
                since=format_day(terms.since),
            )
            return {"unpaid_first_month": None}
        count = len(months_between(month, month_start(today)))
        most = unpaid_report_max_months(today)
        if count > most:
            dispatcher.utter_message(response="utter_unpaid_month_too_old", most=most)
            return {"unpaid_first_month": None}
        dispatcher.utter_message(
            response="utter_unpaid_months_intro", first=month_label(month), count=count
        )
        return {"unpaid_first_month": month.strftime("%Y-%m"), "unpaid_lines": []}

    # ----- month by month ------------------------------------------------------------------
    def _record(
        self, lines: list[Line], line: Line, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        fixing = tracker.get_slot("unpaid_fix_month") is not None
        lines = sorted([*(kept for kept in lines if kept[0] != line[0]), line])
        dispatcher.utter_message(
            response="utter_unpaid_month_recorded",
            month=month_label(line[0]),
            due=format_euros(line[1]),
            paid=format_euros(line[2]),
            debt=format_euros(debt_of(lines)),
        )
        recorded: dict[str, Any] = {
            "unpaid_lines": stored_lines(lines),
            "unpaid_due": None,
            "unpaid_paid": None,
            "unpaid_fix_month": None,
        }
        if fixing or len(lines) == len(report_months(tracker, self.context.today())):
            assessment = UnpaidContext(self, tracker).assessment(lines)
            if not assessment.constituted:
                explain_not_constituted(dispatcher, assessment, self.context.today())
                recorded["unpaid_confirm"] = "not_constituted"
        return recorded

    def _current_month(self, tracker: Tracker) -> date:
        return asked_month(tracker, self.context.today())[0]

    def validate_unpaid_due(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        lines = recorded_lines(tracker)
        month = self._current_month(tracker)
        if means_same(value) or option(tracker) == SAME:
            previous = previous_line(lines, month)
            if previous is None:
                dispatcher.utter_message(response="utter_unpaid_no_previous")
                return {"unpaid_due": None}
            _, due, paid = previous
            return self._record(lines, (month, due, paid), dispatcher, tracker)
        try:
            cents = amount_cents(tracker, value, zero_ok=False)
        except AmountError as error:
            dispatcher.utter_message(response=AMOUNT_REASONS[error.reason])
            return {"unpaid_due": None}
        return {"unpaid_due": cents}

    def validate_unpaid_paid(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        lines = recorded_lines(tracker)
        month = self._current_month(tracker)
        due = int(tracker.get_slot("unpaid_due") or 0)
        if means_same(value) or option(tracker) == SAME:
            previous = previous_line(lines, month)
            if previous is None:
                dispatcher.utter_message(response="utter_unpaid_no_previous")
                return {"unpaid_paid": None}
            paid = previous[2]
        else:
            try:
                paid = amount_cents(tracker, value, zero_ok=True)
            except AmountError as error:
                dispatcher.utter_message(response=AMOUNT_REASONS[error.reason])
                return {"unpaid_paid": None}
        if previous_line(lines, month) is None and paid >= due:
            dispatcher.utter_message(
                response="utter_unpaid_first_month_paid", due=format_euros(due)
            )
            return {"unpaid_paid": None}
        return self._record(lines, (month, due, paid), dispatcher, tracker)

    # ----- recap ---------------------------------------------------------------------------
    def validate_unpaid_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        picked = choice(tracker, value, CONFIRM_WORDS)
        if picked is None:
            dispatcher.utter_message(response="utter_flow_confirm_unclear")
        return {"unpaid_confirm": picked}

    def validate_unpaid_edit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        month = self._month_to_fix(tracker)
        if month is not None:
            return {
                "unpaid_edit": None,
                "unpaid_confirm": None,
                "unpaid_fix_month": month.strftime("%Y-%m"),
                "unpaid_due": None,
                "unpaid_paid": None,
            }
        picked = choice(tracker, value, EDIT_OPTIONS)
        if picked is None:
            dispatcher.utter_message(response="utter_flow_edit_unclear")
            return {"unpaid_edit": None}
        reset: dict[str, Any] = {
            "unpaid_edit": None,
            "unpaid_confirm": None,
            "unpaid_lines": [],
            "unpaid_due": None,
            "unpaid_paid": None,
        }
        if picked == "first_month":
            reset["unpaid_first_month"] = None
        return reset

    def _month_to_fix(self, tracker: Tracker) -> date | None:
        """One month of the report named by its button or in the text ("mars", "03/2026")."""
        pressed = option(tracker) or ""
        named = entities(tracker, "month")
        value = pressed.removeprefix(FIX_PREFIX) if pressed.startswith(FIX_PREFIX) else None
        if value is None and named:
            value = str(named[0].get("value"))
        month = parse_iso_month(value) if value else None
        return month if month in report_months(tracker, self.context.today()) else None


ACTIONS = (ValidateUnpaidForm,)
