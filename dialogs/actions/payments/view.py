"""Consulter mes paiements: the CAF's payments month by month, filtered by tenant, month or year,
when each aid is paid, and the year's statement as a PDF or CSV document.

Not a form: the filters come from the message ("paiements de mars", "combien pour Brisson cette
année") or from a button's payload, and the services check the tenant id again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import format_day, parse_iso_month, plain
from dialogs.actions.core.base import BotAction, entities, session_user
from dialogs.actions.payments.chart import chart_asked, chart_button, send_chart
from dialogs.actions.payments.periods import period_text
from dialogs.actions.payments.upcoming import asks_upcoming, send_upcoming
from dialogs.payloads import payload
from dialogs.texts import text, words
from dialogs.wording import count
from services.core.errors import DateError, InvalidValue, NotAllowed, NotFound
from services.core.money import format_euros
from services.documents.texts import month_label
from services.payments.statements import payments_statement
from services.payments.views import (
    PaymentLine,
    PaymentsView,
    payment_day_explanation,
    payments_view,
)
from services.tenants.models import AidType

_YEAR = re.compile(r"\b(20\d{2})\b")
SHOWN_TENANT = "payments_shown_tenant"
SHOWN_MONTH = "payments_shown_month"
MIME_TYPES = {"pdf": "application/pdf", "csv": "text/csv"}


def _filters(tracker: Tracker, today: date) -> tuple[int | None, int | None, int | None]:
    """(tenant id, month, year) asked for in the message or the button."""
    values = {e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities", [])}
    tenant: int | None = None
    if values.get("payments_tenant") is not None:
        tenant = int(values["payments_tenant"])
    else:
        names = entities(tracker, "tenant_name")
        if names and names[0].get("tenant_id") is not None:
            tenant = int(names[0]["tenant_id"])
    month: int | None = None
    year: int | None = None
    if values.get("payments_year") is not None:
        year = int(values["payments_year"])
    found = entities(tracker, "month") or entities(tracker, "date")  # « fin mars » is a date
    if found and (start := parse_iso_month(found[0]["value"])) is not None:
        month, year = start.month, start.year
    text = plain(str(tracker.latest_message.get("text") or ""))
    if not text.startswith("/"):
        if year is None and (match := _YEAR.search(text)):
            year = int(match.group(1))
        if year is None and any(word in text for word in words("this_year")):
            year = today.year
        if year is None and any(word in text for word in words("last_year")):
            year = today.year - 1
    return tenant, month, year


def send_statement(
    dispatcher: CollectingDispatcher,
    filename: str,
    content: bytes,
    fmt: str,
    year: int,
    one_tenant: bool = False,
) -> None:
    """A statement file; the MIME type lets a channel label a CSV as a spreadsheet file."""
    dispatcher.utter_message(
        response="utter_payments_tenant_statement" if one_tenant else "utter_payments_statement",
        year=year,
        kind=text(f"utter_payments_kind_{fmt}"),
        json_message={
            "document": {"filename": filename, "content": content, "mime_type": MIME_TYPES[fmt]}
        },
    )


DETAIL_LINES = 20


def _view_text(view: PaymentsView, tenant_name: str | None) -> str:
    """Month by month: one tenant's payment on its month's line; one month's payments listed,
    at most `DETAIL_LINES` of them; over several months, each month's total and count only (an
    organisation's year would be thousands of lines on a phone)."""
    blocks = []
    for month in view.months:
        label, total = month_label(month.month), format_euros(month.total_cents)
        if tenant_name is not None and len(month.lines) == 1:
            line = month.lines[0]
            blocks.append(
                text(
                    "utter_payments_tenant_month",
                    month=label,
                    amount=total,
                    aid=line.aid_type.value,
                    day=format_day(line.paid_on),
                )
            )
        elif tenant_name is None and len(view.months) > 1:
            payments = count(len(month.lines), "payment")
            blocks.append(
                text("utter_payments_month_count", month=label, total=total, payments=payments)
            )
        else:
            blocks.append(_month_detail(label, total, month.lines))
    return "\n".join(blocks)


def _month_detail(label: str, total: str, lines: Sequence[PaymentLine]) -> str:
    shown = [
        text(
            "utter_payments_line",
            tenant=line.tenant_name,
            aid=line.aid_type.value,
            amount=format_euros(line.amount_cents),
            day=format_day(line.paid_on),
        )
        for line in lines[:DETAIL_LINES]
    ]
    if (more := len(lines) - DETAIL_LINES) > 0:
        shown.append(text("utter_payments_more_lines", payments=count(more, "payment")))
    return "\n".join([text("utter_payments_month", month=label, total=total), *shown])


def _detail_hint(view: PaymentsView, tenant: int | None) -> str:
    """How to see the payments behind a total, when only totals were shown."""
    if tenant is not None or len(view.months) < 2 or not view.tenant_totals:
        return ""
    example = view.tenant_totals[0][1].split()[0].lower()
    return text("utter_payments_detail_hint", example=example)


class ActionViewPayments(BotAction):
    requires_login = True

    def name(self) -> str:
        return "action_view_payments"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        today = self.context.today()
        user_id = session_user(tracker)
        values = {
            e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities", [])
        }
        fmt = values.get("payments_statement")
        try:
            if fmt in MIME_TYPES:
                statement_year = int(values.get("payments_year") or today.year)
                kind: Literal["pdf", "csv"] = "pdf" if fmt == "pdf" else "csv"
                covered = values.get("payments_tenant")
                filename, content = payments_statement(
                    self.context.uow(),
                    user_id=user_id,
                    today=today,
                    year=statement_year,
                    fmt=kind,
                    tenant_id=int(covered) if covered is not None else None,
                )
                send_statement(
                    dispatcher, filename, content, kind, statement_year, covered is not None
                )
                return []
            tenant, month, year = _filters(tracker, today)
            typed = str(tracker.latest_message.get("text") or "")
            now = (month, year) in ((None, None), (today.month, today.year))
            if tenant is None and now and asks_upcoming(typed):
                send_upcoming(self.context, dispatcher, user_id=user_id)
                return []
            if chart_asked(tracker):
                send_chart(self.context, dispatcher, user_id=user_id, tenant_id=tenant)
                return []
            view = payments_view(
                self.context.uow(),
                user_id=user_id,
                today=today,
                tenant_id=tenant,
                month=month,
                year=year,
            )
        except (NotFound, NotAllowed, ValueError, TypeError):
            dispatcher.utter_message(response="utter_flow_tenant_unknown")
            return []
        except (DateError, InvalidValue):
            dispatcher.utter_message(response="utter_payments_period_invalid")
            return []
        self._show(dispatcher, view, tenant, today)
        # the tenant, or the one month, this view is about, for a follow-up that names only the
        # other (« et en mars ? », « et pour brisson ? »)
        shown = {
            SHOWN_TENANT: tenant
            if any(tid == tenant for tid, _, _ in view.tenant_totals)
            else None,
            SHOWN_MONTH: (
                view.first_month.isoformat()[:7]
                if month is not None and view.first_month == view.last_month
                else None
            ),
        }
        return [
            SlotSet(slot, value) for slot, value in shown.items() if tracker.get_slot(slot) != value
        ]

    def _show(
        self, dispatcher: CollectingDispatcher, view: PaymentsView, tenant: int | None, today: date
    ) -> None:
        name = next((n for tid, n, _ in view.tenant_totals if tid == tenant), None)
        period = period_text(view.first_month, view.last_month)
        who = text("utter_payments_for", name=name) if name else ""
        year = view.last_month.year
        covered = {"payments_tenant": tenant} if name is not None else {}
        whose = "tenant_" if covered else ""
        buttons = [
            {
                "title": text(f"utter_button_payments_{whose}statement_{fmt}", year=year),
                "payload": payload(
                    "view_payments", payments_statement=fmt, payments_year=year, **covered
                ),
            }
            for fmt in MIME_TYPES
        ]
        buttons.insert(0, chart_button(tenant))
        if not view.months:
            dispatcher.utter_message(
                response="utter_payments_none", period=period, who=who, buttons=buttons
            )
            return
        aid_types = {line.aid_type for month in view.months for line in month.lines}
        days = " ; ".join(
            text(f"utter_payments_day_{payment_day_explanation(kind).code}")
            for kind in (AidType.APL, AidType.AL)
            if kind in aid_types
        )
        dispatcher.utter_message(
            response="utter_payments_view",
            period=period,
            who=who,
            months=_view_text(view, name),
            total=format_euros(view.total_cents),
            days=days,
            hint=_detail_hint(view, tenant if name is not None else None),
            buttons=buttons,
        )


ACTIONS = (ActionViewPayments,)
