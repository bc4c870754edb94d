"""Reporting an unpaid rent: the questions (tenant, first unpaid month, then each month's due
and paid amounts up to the current one), the recap under the rule in force today, and which
answer to change."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import (
    format_day,
    recap_buttons,
)
from dialogs.actions.core.base import (
    BotAction,
    StartFormAction,
    session_user,
)
from dialogs.actions.declarations.unpaid_months import (
    FIX_PREFIX,
    SAME,
    UnpaidContext,
    asked_month,
    recorded_lines,
    report_months,
)
from dialogs.actions.tenants.picker import AskTenantAction
from dialogs.payloads import payload
from dialogs.texts import text
from services.core.money import format_euros
from services.declarations.unpaid_rules import rule_on
from services.declarations.views import unpaid_history
from services.documents.texts import month_label

FIX_BUTTONS_MAX = 12


class ActionStartUnpaid(StartFormAction):
    form = "unpaid_form"
    starts_forms = ("unpaid_form",)


class ActionAskUnpaidTenant(AskTenantAction):
    slot = "unpaid_tenant"


class ActionAskUnpaidFirstMonth(BotAction):
    """Asks the first unpaid month; the landlord's ledger may suggest one."""

    def name(self) -> str:
        return "action_ask_unpaid_first_month"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        history = unpaid_history(
            self.context.uow(),
            user_id=session_user(tracker),
            tenant_id=int(tracker.get_slot("unpaid_tenant")),
            today=self.context.today(),
        )
        buttons = []
        if history.first_month is not None:
            buttons.append(
                {
                    "title": text(
                        "utter_button_unpaid_since_ledger", month=month_label(history.first_month)
                    ),
                    "payload": payload("inform", month=history.first_month.strftime("%Y-%m")),
                }
            )
        dispatcher.utter_message(response="utter_ask_unpaid_first_month", buttons=buttons)
        return []


class ActionAskUnpaidDue(BotAction):
    def name(self) -> str:
        return "action_ask_unpaid_due"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        today = self.context.today()
        months = report_months(tracker, today)
        month, index = asked_month(tracker, today)
        default = int(tracker.get_slot("unpaid_default_due") or 0)
        buttons = []
        if default:
            buttons.append(
                {
                    "title": text("utter_button_unpaid_tenant_share", amount=format_euros(default)),
                    "payload": payload("inform", unpaid_due=default),
                }
            )
        if index > 1:
            buttons.append(
                {
                    "title": text("utter_button_unpaid_same_as_previous"),
                    "payload": payload("choose", option=SAME),
                }
            )
        dispatcher.utter_message(
            response="utter_ask_unpaid_due",
            month=month_label(month),
            index=index,
            count=len(months),
            buttons=buttons,
        )
        return []


class ActionAskUnpaidPaid(BotAction):
    def name(self) -> str:
        return "action_ask_unpaid_paid"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        month, index = asked_month(tracker, self.context.today())
        buttons = [
            {
                "title": text("utter_button_unpaid_nothing_paid"),
                "payload": payload("inform", unpaid_paid=0),
            }
        ]
        if index > 1:
            buttons.append(
                {
                    "title": text("utter_button_unpaid_same_as_previous"),
                    "payload": payload("choose", option=SAME),
                }
            )
        dispatcher.utter_message(
            response="utter_ask_unpaid_paid",
            month=month_label(month),
            due=format_euros(int(tracker.get_slot("unpaid_due") or 0)),
            buttons=buttons,
        )
        return []


class ActionAskUnpaidConfirm(BotAction):
    """The recap with the debt and the assessment; Valider / Modifier / Quitter."""

    def name(self) -> str:
        return "action_ask_unpaid_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lines = recorded_lines(tracker)
        assessment = UnpaidContext(self, tracker).assessment(lines)
        rule = rule_on(assessment.constituted_on or self.context.today())
        rows = "\n".join(
            text(
                "utter_unpaid_row_month",
                month=month_label(m),
                due=format_euros(due),
                paid=format_euros(paid),
            )
            for m, due, paid in lines
        )
        late = text("utter_unpaid_late_warning") if assessment.late else ""
        dispatcher.utter_message(
            response="utter_unpaid_recap",
            tenant=tracker.get_slot("unpaid_tenant_name"),
            first=month_label(lines[0][0]),
            rows=rows,
            debt=format_euros(assessment.debt_cents),
            constituted_on=format_day(assessment.constituted_on)
            if assessment.constituted_on
            else "",
            report_by=format_day(assessment.report_by) if assessment.report_by else "",
            rule=rule.source,
            late=late,
            buttons=recap_buttons(),
        )
        return []


class ActionAskUnpaidEdit(BotAction):
    def name(self) -> str:
        return "action_ask_unpaid_edit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        buttons = [
            {
                "title": text(f"utter_button_unpaid_edit_{option}"),
                "payload": payload("choose", option=option),
            }
            for option in ("first_month", "amounts")
        ]
        months = report_months(tracker, self.context.today())
        if len(months) <= FIX_BUTTONS_MAX:
            buttons += [
                {
                    "title": text("utter_button_unpaid_edit_month", month=month_label(month)),
                    "payload": payload("choose", option=f"{FIX_PREFIX}{month:%Y-%m}"),
                }
                for month in months
            ]
        dispatcher.utter_message(response="utter_ask_unpaid_edit", buttons=buttons)
        return []


ACTIONS = (
    ActionStartUnpaid,
    ActionAskUnpaidTenant,
    ActionAskUnpaidFirstMonth,
    ActionAskUnpaidDue,
    ActionAskUnpaidPaid,
    ActionAskUnpaidConfirm,
    ActionAskUnpaidEdit,
)
