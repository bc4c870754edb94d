"""Reporting an unpaid rent on the form loop: the questions as asked, the recap, the transmission.

"Couture paye plus depuis août" names the tenant and the first unpaid month at once; then each
month up to the current one is asked, the amount due given (the tenant's share, or the month
before's) so only what was paid is asked: "100", "rien", "pareil", or both amounts ("dû 450,
payé 200"). The recap shows the months, the debt and the assessment under the rule in force;
Modifier changes the first month, every amount or one month. The questions, checks and months
are `unpaid_months.py` and `unpaid_checks.py`; every text is in `dialogs/domain/declarations.yml`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import StartFormAction, send_receipt
from dialogs.actions.declarations import unpaid_months as m
from dialogs.actions.declarations.rent_first import rent_given_first
from dialogs.actions.declarations.unpaid_amounts import assessment_of, explain_not_constituted
from dialogs.actions.declarations.unpaid_checks import ValidateUnpaidForm
from dialogs.actions.declarations.unpaid_months import UNPAID, Line, Report, lines_of
from dialogs.context import ActionContext
from dialogs.forms.asking import AskEdit, AskQuestion, AskRecap
from dialogs.forms.completion import FormDone
from dialogs.forms.spec import Question
from dialogs.forms.tenants import TenantChooser
from dialogs.forms.validation import session_user
from dialogs.payloads import payload
from services.core.errors import (
    InvalidValue,
    NotAllowed,
    NotFound,
    UnpaidAlreadyReported,
    UnpaidNotConstituted,
)
from services.core.money import format_euros
from services.declarations.unpaid import report_unpaid
from services.declarations.unpaid_rules import UnpaidLine, rule_on
from services.declarations.views import unpaid_history
from services.documents.texts import format_paris, month_label

TENANT_BUTTONS = 8
MONTH_BUTTONS_MAX = 12


def _question(slot: str) -> Question:
    question = UNPAID.question(slot)
    assert question is not None
    return question


class ActionStartUnpaid(StartFormAction):
    """Opens the report; what the opening message says is read by the form itself."""

    form = "unpaid_form"
    starts_forms = ("unpaid_form", "rent_form")

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        latest = tracker.latest_message or {}
        if rent_given_first(str(latest.get("text") or ""), latest.get("entities") or []):
            return [ActiveLoop("rent_form")]
        return [ActiveLoop(self.form)]


class ActionAskUnpaidTenant(AskQuestion):
    """Which tenant, with the user's own tenants as choices."""

    def __init__(self, context: ActionContext) -> None:
        super().__init__(context, UNPAID, _question(m.TENANT))

    def buttons(self, tracker: Tracker) -> list[dict[str, Any]]:
        chooser = TenantChooser(self.context, session_user(tracker), m.TENANT)
        tenants = sorted(chooser.candidates(), key=lambda c: (c.last_name, c.first_name))
        return [
            {
                "title": f"{c.last_name} {c.first_name}",
                "payload": payload("inform", **{m.TENANT: c.id}),
            }
            for c in tenants[:TENANT_BUTTONS]
        ]


class ActionAskUnpaidFirstMonth(AskQuestion):
    """The first unpaid month; the landlord's ledger may suggest one."""

    def __init__(self, context: ActionContext) -> None:
        super().__init__(context, UNPAID, _question(m.FIRST))

    def buttons(self, tracker: Tracker) -> list[dict[str, Any]]:
        history = unpaid_history(
            self.context.uow(),
            user_id=session_user(tracker),
            tenant_id=int(tracker.get_slot(m.TENANT)),
            today=self.context.today(),
        )
        if history.first_month is None:
            return []
        title = self.text(
            "utter_option_unpaid_first_month_ledger", month=month_label(history.first_month)
        )
        value = history.first_month.strftime("%Y-%m")
        return [{"title": title, "payload": payload("inform", **{m.FIRST: value})}]


class _AskMonthAmount(AskQuestion):
    """An amount of the month being asked, with its rank among the report's months."""

    def month_values(self, tracker: Tracker) -> dict[str, Any]:
        report = Report(tracker.slots, self.context.today())
        month = report.asked or report.months[0]
        return {
            "month": month_label(month),
            "index": report.index(month),
            "count": len(report.months),
        }

    def same_button(self, tracker: Tracker) -> list[dict[str, Any]]:
        """ "The same as the month before": its due and its payment."""
        due, paid = tracker.get_slot(m.PREVIOUS_DUE), tracker.get_slot(m.PREVIOUS_PAID)
        if due is None or paid is None:
            return []
        title = self.text("utter_option_unpaid_same_month", paid=format_euros(int(paid)))
        return [{"title": title, "payload": payload("inform", **{m.DUE: due, m.PAID: paid})}]


class ActionAskUnpaidDue(_AskMonthAmount):
    """Asked only when no due is known for the month (no share, no month before)."""

    def __init__(self, context: ActionContext) -> None:
        super().__init__(context, UNPAID, _question(m.DUE))

    def values(self, tracker: Tracker) -> dict[str, Any]:
        return self.month_values(tracker)

    def buttons(self, tracker: Tracker) -> list[dict[str, Any]]:
        return self.same_button(tracker)


class ActionAskUnpaidPaid(_AskMonthAmount):
    """What was paid of the month's due; the due can be changed in the same answer."""

    def __init__(self, context: ActionContext) -> None:
        super().__init__(context, UNPAID, _question(m.PAID))

    def values(self, tracker: Tracker) -> dict[str, Any]:
        shown = self.month_values(tracker)
        first = shown["index"] == 1 and not lines_of(tracker.slots)
        hint = self.text("utter_unpaid_paid_hint") if first else ""
        return {**shown, "due": format_euros(int(tracker.get_slot(m.DUE) or 0)), "hint": hint}

    def buttons(self, tracker: Tracker) -> list[dict[str, Any]]:
        nothing = self.text("utter_option_unpaid_paid_nothing")
        buttons = [{"title": nothing, "payload": payload("inform", **{m.PAID: 0})}]
        buttons += self.same_button(tracker)
        due = tracker.get_slot(m.DUE)
        if due and self.month_values(tracker)["index"] > 1:
            title = self.text("utter_option_unpaid_paid_all", due=format_euros(int(due)))
            buttons.append({"title": title, "payload": payload("inform", **{m.PAID: due})})
        return buttons


class ActionAskUnpaidConfirm(AskRecap):
    """The recap: tenant, first month, every month, the debt and the assessment."""

    def __init__(self, context: ActionContext) -> None:
        super().__init__(context, UNPAID)

    def values(self, tracker: Tracker) -> dict[str, Any]:
        lines = lines_of(tracker.slots)
        assessment = assessment_of(self.context, tracker, lines)
        rule = rule_on(assessment.constituted_on or self.context.today())
        months = "\n".join(self._row(line) for line in lines)
        late = self.text("utter_unpaid_late_warning") if assessment.late else ""
        constituted, report_by = assessment.constituted_on, assessment.report_by
        return {
            "months": months,
            "debt": format_euros(assessment.debt_cents),
            "constituted_on": constituted.strftime("%d/%m/%Y") if constituted else "",
            "report_by": report_by.strftime("%d/%m/%Y") if report_by else "",
            "rule": rule.source,
            "late": late,
        }

    def _row(self, line: Line) -> str:
        return self.text(
            "utter_unpaid_recap_month",
            month=month_label(line.month),
            due=format_euros(line.due),
            paid=format_euros(line.paid),
        )


class ActionAskUnpaidEdit(AskEdit):
    """Modifier: the first month, every amount, one month (a choice per month), or nothing."""

    def __init__(self, context: ActionContext) -> None:
        super().__init__(context, UNPAID)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        options = [
            (self.text("utter_option_unpaid_edit_first_month"), m.FIRST),
            (self.text("utter_option_unpaid_edit_amounts"), m.AMOUNTS),
        ]
        months = Report(tracker.slots, self.context.today()).months
        if len(months) <= MONTH_BUTTONS_MAX:
            options += [
                (
                    self.text("utter_option_unpaid_edit_month", month=month_label(month)),
                    f"{m.ONE_MONTH}{month:%Y-%m}",
                )
                for month in months
            ]
        options.append((self.text("utter_option_unpaid_edit_back"), m.BACK))
        buttons = [
            {"title": title, "payload": payload("choose", option=key)} for title, key in options
        ]
        dispatcher.utter_message(response="utter_ask_unpaid_edit", buttons=buttons)
        return []


class ActionUnpaidDone(FormDone):
    """Transmits on Valider: the stored report, its PDF and what happens next."""

    spec = UNPAID

    async def transmit(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lines = lines_of(tracker.slots)
        try:
            done = report_unpaid(
                self.context.uow(),
                user_id=session_user(tracker),
                tenant_id=int(tracker.get_slot(m.TENANT)),
                first_month=lines[0].month,
                lines=[UnpaidLine(line.month, line.due, line.paid) for line in lines],
                now=self.context.now(),
            )
        except UnpaidNotConstituted as refused:
            explain_not_constituted(dispatcher, refused.assessment, self.context.today())
            return []
        except UnpaidAlreadyReported as already:
            dispatcher.utter_message(
                response="utter_unpaid_already_open",
                tenant=tracker.get_slot("unpaid_tenant_name"),
                when=format_paris(already.transmitted_at),
                reference=already.reference,
            )
            return []
        except (NotFound, NotAllowed):
            dispatcher.utter_message(response="utter_form_tenant_unknown")
            return []
        except InvalidValue:
            dispatcher.utter_message(response="utter_unpaid_refused")
            return []
        send_receipt(
            dispatcher,
            filename=done.pdf_filename,
            receipt=done.receipt,
            response="utter_unpaid_transmitted",
            tenant=done.tenant_name,
            debt=format_euros(done.assessment.debt_cents),
            reference=done.reference,
            when=format_paris(done.transmitted_at),
        )
        text = self.context.domain.render
        steps = [text("utter_unpaid_step", step=step.text).text for step in done.next_steps]
        dispatcher.utter_message(
            response="utter_unpaid_next_steps",
            steps="\n".join(steps),
            months=done.repayment_plan_within_months,
        )
        return []


ACTIONS = (
    ActionStartUnpaid,
    ActionAskUnpaidTenant,
    ActionAskUnpaidFirstMonth,
    ActionAskUnpaidDue,
    ActionAskUnpaidPaid,
    ActionAskUnpaidConfirm,
    ActionAskUnpaidEdit,
    ValidateUnpaidForm,
    ActionUnpaidDone,
)
FORMS = (ValidateUnpaidForm,)
