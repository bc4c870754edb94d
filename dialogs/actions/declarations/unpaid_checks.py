"""The unpaid report's checks of the tenant and the first month, and its Modifier targets.

Each answer is checked with the reason said in French when it is refused: a tenant of the user's
scope with no report open, a first month between the move-in and this month (36 months at
most). Another tenant keeps the first month if it fits them and asks the amounts again (they
were the other tenant's); another first month keeps the months that still fall in the report.
Modifier reaches the first month (a question), every amount, or one month. The amounts are
checked in `unpaid_amounts.py`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.declarations import unpaid_months as m
from dialogs.actions.declarations.unpaid_amounts import MonthAmounts, terms_of
from dialogs.actions.declarations.unpaid_months import Report, month_of
from dialogs.forms.lexicon import lexicon
from dialogs.forms.message import Message
from dialogs.forms.spec import Answers
from dialogs.forms.validation import session_user
from services.core.dates import month_start, months_between
from services.core.errors import NotAllowed, NotFound
from services.core.money import format_euros
from services.documents.texts import format_paris, month_label
from services.tenants.views import TenantTerms, tenant_card

MAX_MONTHS = 36


class ValidateUnpaidForm(MonthAmounts):
    """The unpaid report's own checks; the loop does the reading, asking and recap."""

    def text(self, name: str, **values: Any) -> str:
        return self.context.domain.render(name, **values).text

    # ----- tenant and first month ----------------------------------------------------------
    def validate_unpaid_tenant(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            card = tenant_card(
                self.context.uow(),
                user_id=session_user(tracker),
                tenant_id=int(value),
                today=self.context.today(),
            )
        except (NotFound, NotAllowed, ValueError, TypeError):
            dispatcher.utter_message(response="utter_form_tenant_unknown")
            return {m.TENANT: None}
        name = f"{card.last_name} {card.first_name}"
        if card.open_unpaid:
            report = card.open_unpaid[0]
            dispatcher.utter_message(
                response="utter_unpaid_already_open",
                tenant=name,
                when=format_paris(report.transmitted_at),
                reference=report.reference,
            )
            return {m.TENANT: None}
        terms = terms_of(self.context, tracker, card.tenant_id)
        aid_to = (
            "utter_unpaid_aid_to_landlord"
            if terms.aid_paid_to_landlord
            else "utter_unpaid_aid_to_tenant"
        )
        dispatcher.utter_message(
            response="utter_unpaid_tenant_facts",
            tenant=name,
            allocataire=card.allocataire_number,
            rent=format_euros(terms.monthly_rent_cents),
            charges=format_euros(terms.monthly_charges_cents),
            aid=format_euros(terms.monthly_aid_cents),
            aid_to=self.text(aid_to),
            share=format_euros(terms.tenant_share_cents),
        )
        chosen = {
            m.TENANT: card.tenant_id,
            "unpaid_tenant_name": name,
            m.SHARE: terms.tenant_share_cents,
        }
        before = tracker.get_slot(m.TENANT)
        if before is None or before == card.tenant_id:
            return chosen
        # Another tenant: the amounts were theirs; the first month is kept if it fits this one.
        first = month_of(tracker.get_slot(m.FIRST))
        restart: dict[str, Any] = {
            m.FIRST: None,
            **Report.slots([], None),
            m.DUE: None,
            m.PAID: None,
        }
        if first is not None and self._fits(first, terms, dispatcher):
            months = months_between(first, month_start(self.context.today()))
            self._intro(first, len(months), dispatcher)
            restart.update({m.FIRST: first.strftime("%Y-%m"), **Report.slots([], first)})
        return {**chosen, **restart}

    def _fits(self, month: date, terms: TenantTerms, dispatcher: CollectingDispatcher) -> bool:
        """True when the report may start this month; otherwise says why."""
        today = self.context.today()
        if month > month_start(today):
            dispatcher.utter_message(response="utter_unpaid_month_future", month=month_label(month))
            return False
        if month < month_start(terms.since):
            dispatcher.utter_message(
                response="utter_unpaid_month_before_move_in",
                month=month_label(month),
                since=terms.since.strftime("%d/%m/%Y"),
            )
            return False
        if len(months_between(month, month_start(today))) > MAX_MONTHS:
            dispatcher.utter_message(response="utter_unpaid_month_too_old", most=MAX_MONTHS)
            return False
        return True

    @staticmethod
    def _intro(first: date, count: int, dispatcher: CollectingDispatcher) -> None:
        dispatcher.utter_message(
            response="utter_unpaid_months_intro", first=month_label(first), count=count
        )

    def validate_unpaid_first_month(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot(m.TENANT) is None:
            return {m.FIRST: None}  # asked again once the tenant is known
        month = month_of(value)
        if month is None:
            dispatcher.utter_message(response="utter_form_expect_month")
            return {m.FIRST: None}
        if not self._fits(month, terms_of(self.context, tracker), dispatcher):
            return {m.FIRST: None}
        report = Report({**tracker.slots, m.FIRST: month.strftime("%Y-%m")}, self.context.today())
        kept = [line for line in report.lines if line.month in report.months]
        if not kept:
            self._intro(month, len(report.months), dispatcher)
        missing = report.missing(kept)
        asked = missing[0] if missing else None
        checked = {m.FIRST: month.strftime("%Y-%m"), **report.slots(kept, asked)}
        if asked is None:
            checked.update(self._assessed(kept, dispatcher, tracker))
        return {**checked, m.DUE: None, m.PAID: None}

    # ----- Modifier ------------------------------------------------------------------------
    def edit_target(self, message: Message, answers: Answers) -> str | None:
        """ "octobre" (one month), "tous les montants", or "rien" (back to the recap); the first
        month is a question of the spec."""
        report = Report(answers, self.context.today())
        named = {
            month_of(e.get("value")) for e in [*message.entity("month"), *message.entity("date")]
        }
        inside = [month for month in named if month in report.months]
        if len(inside) == 1 and inside[0] is not None:
            return f"{m.ONE_MONTH}{inside[0]:%Y-%m}"
        for target in (m.AMOUNTS, m.BACK):
            if lexicon().has(f"options.unpaid_edit.{target}", message.words):
                return target
        return None

    def reopen(self, target: str, answers: dict[str, Any]) -> bool:
        if target == m.BACK:
            return True  # nothing reopened: the recap is shown again
        report = Report(answers, self.context.today())
        if target == m.AMOUNTS and report.months:
            answers.update({**Report.slots([], report.months[0]), m.DUE: None, m.PAID: None})
            return True
        month = (
            month_of(target.removeprefix(m.ONE_MONTH)) if target.startswith(m.ONE_MONTH) else None
        )
        if month is None or month not in report.months:
            return False
        answers.update({**Report.slots(report.lines, month), m.DUE: None, m.PAID: None})
        return True
