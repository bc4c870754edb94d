"""Reporting an unpaid rent: tenant, first unpaid month, then each month up to the current one
(due and paid), the assessment under the rule in force today, recap, Valider → stored + PDF.

The months are kept in `unpaid_lines` as [ISO month, due cents, paid cents]; `unpaid_due` and
`unpaid_paid` hold the answers for the month being asked and are emptied once it is recorded,
so the form asks them again for the next month until the current month is reached.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.base import (
    BotAction,
    BotFormValidation,
    StartFormAction,
    entities,
    send_document,
    session_user,
)
from dialogs.actions.flow_helpers import (
    CONFIRM_WORDS,
    AskTenantAction,
    TenantPicker,
    choice,
    format_day,
    option,
    parse_iso_month,
    plain,
    recap_buttons,
    scoped_card,
)
from dialogs.payloads import payload
from services.clock import format_paris
from services.errors import (
    AmountError,
    InvalidValue,
    NotAllowed,
    NotFound,
    UnpaidAlreadyReported,
    UnpaidNotConstituted,
)
from services.flows_common import month_label, month_start, months_between
from services.money import format_euros, parse_amount
from services.tenant_terms import TenantTerms, tenant_terms
from services.unpaid import Assessment, UnpaidLine, assess, report_unpaid, unpaid_history
from services.unpaid_rules import rule_on

MAX_MONTHS = 36
SAME = "same"
SAME_WORDS = ("pareil", "meme chose", "idem", "la meme", "le meme", "comme le mois")
NOTHING_WORDS = ("rien", "aucun", "zero", "0")
FIX_PREFIX = "month:"
FIX_BUTTONS_MAX = 12
EDIT_OPTIONS = {"first_month": ("premier", "debut", "depuis"), "amounts": ("montant", "somme")}
AMOUNT_REASONS = {
    "empty": "utter_unpaid_amount_invalid",
    "not_a_number": "utter_unpaid_amount_invalid",
    "not_positive": "utter_unpaid_amount_not_positive",
    "too_many_decimals": "utter_rent_amount_decimals",
    "too_large": "utter_unpaid_amount_invalid",
}
EXPLANATIONS = {
    "below_threshold": "utter_unpaid_below_threshold",
    "below_threshold_too_recent": "utter_unpaid_below_threshold_recent",
    "no_debt": "utter_unpaid_no_debt",
}

Line = tuple[date, int, int]


def _lines(tracker: Tracker) -> list[Line]:
    stored = tracker.get_slot("unpaid_lines") or []
    return [(date.fromisoformat(m), int(due), int(paid)) for m, due, paid in stored]


def _stored(lines: list[Line]) -> list[list[Any]]:
    return [[m.isoformat(), due, paid] for m, due, paid in lines]


def _months(tracker: Tracker, today: date) -> list[date]:
    first = parse_iso_month(tracker.get_slot("unpaid_first_month") or "")
    return months_between(first, month_start(today)) if first else []


def _same(value: Any) -> bool:
    text = plain(str(value or ""))
    return value == SAME or any(word in text for word in SAME_WORDS)


def _cents(tracker: Tracker, value: Any, *, zero_ok: bool) -> int:
    """An amount answer in cents; `AmountError` when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        cents = value
    else:
        found = entities(tracker, "amount")
        text = str(value or "").strip()
        if found and "cents" in found[0]:
            cents = int(found[0]["cents"])
        elif zero_ok and (plain(text) in NOTHING_WORDS or plain(text).startswith("rien")):
            cents = 0
        else:
            cents = parse_amount(text.replace("€", "").strip() or text)
    if cents < 0 or (cents == 0 and not zero_ok):
        raise AmountError("not_positive")
    return cents


def _asked_month(tracker: Tracker, today: date) -> tuple[date, int]:
    """The month whose amounts are asked now, with its rank: the one being corrected, if any,
    else the first one not answered yet."""
    months = _months(tracker, today)
    fixing = parse_iso_month(tracker.get_slot("unpaid_fix_month") or "")
    month = fixing if fixing in months else months[len(_lines(tracker))]
    return month, months.index(month) + 1


def _previous(lines: list[Line], month: date) -> Line | None:
    earlier = [line for line in lines if line[0] < month]
    return earlier[-1] if earlier else None


def _debt(lines: list[Line]) -> int:
    return sum(due - paid for _, due, paid in lines)


class UnpaidContext:
    """The figures the questions and the assessment need, read once per call."""

    def __init__(self, action: BotAction | BotFormValidation, tracker: Tracker) -> None:
        self.context = action.context
        self.tracker = tracker
        self.today = action.context.today()

    def terms(self) -> TenantTerms:
        return tenant_terms(
            self.context.uow(),
            user_id=session_user(self.tracker),
            tenant_id=int(self.tracker.get_slot("unpaid_tenant")),
            today=self.today,
        )

    def assessment(self, lines: list[Line]) -> Assessment:
        terms = self.terms()
        return assess(
            [UnpaidLine(m, due, paid) for m, due, paid in lines],
            monthly_rent=terms.monthly_rent_cents,
            charges=terms.monthly_charges_cents,
            aid=terms.monthly_aid_cents,
            aid_to_landlord=terms.aid_paid_to_landlord,
            report_date=self.today,
            first_unpaid_month=lines[0][0],
        )


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
                    "title": f"Depuis {month_label(history.first_month)} (d'après votre suivi)",
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
        months = _months(tracker, today)
        month, index = _asked_month(tracker, today)
        default = int(tracker.get_slot("unpaid_default_due") or 0)
        buttons = []
        if default:
            buttons.append(
                {
                    "title": f"{format_euros(default)} (loyer + charges, part du locataire)",
                    "payload": payload("inform", unpaid_due=default),
                }
            )
        if index > 1:
            buttons.append(
                {
                    "title": "Pareil que le mois précédent",
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
        month, index = _asked_month(tracker, self.context.today())
        buttons = [{"title": "Rien payé", "payload": payload("inform", unpaid_paid=0)}]
        if index > 1:
            buttons.append(
                {"title": "Pareil que le mois précédent", "payload": payload("choose", option=SAME)}
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
        lines = _lines(tracker)
        assessment = UnpaidContext(self, tracker).assessment(lines)
        rule = rule_on(assessment.constituted_on or self.context.today())
        rows = "\n".join(
            f"• {month_label(m)} : dû {format_euros(due)}, payé {format_euros(paid)}"
            for m, due, paid in lines
        )
        late = (
            "\nAttention : le délai de deux mois pour le signaler est dépassé ; signalez-le sans "
            "attendre."
            if assessment.late
            else ""
        )
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
            {"title": "Le premier mois impayé", "payload": payload("choose", option="first_month")},
            {"title": "Tous les montants", "payload": payload("choose", option="amounts")},
        ]
        months = _months(tracker, self.context.today())
        if len(months) <= FIX_BUTTONS_MAX:
            buttons += [
                {
                    "title": f"{month_label(month)} seulement",
                    "payload": payload("choose", option=f"{FIX_PREFIX}{month:%Y-%m}"),
                }
                for month in months
            ]
        dispatcher.utter_message(response="utter_ask_unpaid_edit", buttons=buttons)
        return []


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
        months = _months(tracker, self.context.today())
        if not months:
            return slots
        if tracker.get_slot("unpaid_fix_month") or len(_lines(tracker)) < len(months):
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
            aid_to=("vous est versée" if terms.aid_paid_to_landlord else "est versée au locataire"),
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
        if count > MAX_MONTHS:
            dispatcher.utter_message(response="utter_unpaid_month_too_old", most=MAX_MONTHS)
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
            debt=format_euros(_debt(lines)),
        )
        recorded: dict[str, Any] = {
            "unpaid_lines": _stored(lines),
            "unpaid_due": None,
            "unpaid_paid": None,
            "unpaid_fix_month": None,
        }
        if fixing or len(lines) == len(_months(tracker, self.context.today())):
            assessment = UnpaidContext(self, tracker).assessment(lines)
            if not assessment.constituted:
                explain_not_constituted(dispatcher, assessment, self.context.today())
                recorded["unpaid_confirm"] = "not_constituted"
        return recorded

    def _current_month(self, tracker: Tracker) -> date:
        return _asked_month(tracker, self.context.today())[0]

    def validate_unpaid_due(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        lines = _lines(tracker)
        month = self._current_month(tracker)
        if _same(value) or option(tracker) == SAME:
            previous = _previous(lines, month)
            if previous is None:
                dispatcher.utter_message(response="utter_unpaid_no_previous")
                return {"unpaid_due": None}
            _, due, paid = previous
            return self._record(lines, (month, due, paid), dispatcher, tracker)
        try:
            cents = _cents(tracker, value, zero_ok=False)
        except AmountError as error:
            dispatcher.utter_message(response=AMOUNT_REASONS[error.reason])
            return {"unpaid_due": None}
        return {"unpaid_due": cents}

    def validate_unpaid_paid(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        lines = _lines(tracker)
        month = self._current_month(tracker)
        due = int(tracker.get_slot("unpaid_due") or 0)
        if _same(value) or option(tracker) == SAME:
            previous = _previous(lines, month)
            if previous is None:
                dispatcher.utter_message(response="utter_unpaid_no_previous")
                return {"unpaid_paid": None}
            paid = previous[2]
        else:
            try:
                paid = _cents(tracker, value, zero_ok=True)
            except AmountError as error:
                dispatcher.utter_message(response=AMOUNT_REASONS[error.reason])
                return {"unpaid_paid": None}
        if _previous(lines, month) is None and paid >= due:
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
        return month if month in _months(tracker, self.context.today()) else None


def explain_not_constituted(
    dispatcher: CollectingDispatcher, assessment: Assessment, today: date
) -> None:
    """Says plainly that the debt is not (yet) an unpaid under today's rule: nothing is stored."""
    rule = rule_on(today)
    dispatcher.utter_message(
        response=EXPLANATIONS.get(assessment.explanation_code, "utter_unpaid_below_threshold"),
        debt=format_euros(assessment.debt_cents),
        threshold=format_euros(assessment.threshold_cents or 0),
        rule=rule.source,
    )


class ActionUnpaidDone(BotAction):
    def name(self) -> str:
        return "action_unpaid_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cleared = [SlotSet(slot, None) for slot in tracker.slots if slot.startswith("unpaid_")]
        confirm = tracker.get_slot("unpaid_confirm")
        if confirm == "quitter":
            dispatcher.utter_message(response="utter_unpaid_quit")
            return cleared
        if confirm != "valider":
            return cleared
        lines = _lines(tracker)
        try:
            done = report_unpaid(
                self.context.uow(),
                user_id=session_user(tracker),
                tenant_id=int(tracker.get_slot("unpaid_tenant")),
                first_month=lines[0][0],
                lines=[UnpaidLine(m, due, paid) for m, due, paid in lines],
                now=self.context.now(),
            )
        except UnpaidNotConstituted as refused:
            explain_not_constituted(dispatcher, refused.assessment, self.context.today())
            return cleared
        except UnpaidAlreadyReported as already:
            dispatcher.utter_message(
                response="utter_unpaid_already_open",
                tenant=tracker.get_slot("unpaid_tenant_name"),
                when=format_paris(already.transmitted_at),
                reference=already.reference,
            )
            return cleared
        except (NotFound, NotAllowed):
            dispatcher.utter_message(response="utter_flow_tenant_unknown")
            return cleared
        except InvalidValue:
            dispatcher.utter_message(response="utter_unpaid_refused")
            return cleared
        send_document(
            dispatcher,
            filename=done.pdf_filename,
            content=done.pdf,
            response="utter_unpaid_transmitted",
            tenant=done.tenant_name,
            debt=format_euros(done.assessment.debt_cents),
            reference=done.reference,
            when=format_paris(done.transmitted_at),
        )
        dispatcher.utter_message(
            response="utter_unpaid_next_steps",
            steps="\n".join(f"• {step.text}" for step in done.next_steps),
            months=done.repayment_plan_within_months,
        )
        return cleared


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
