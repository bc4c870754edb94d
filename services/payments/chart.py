"""The CAF's payments of the last 12 months as a chart: the months of the payments view, empty
months included, for the whole scope or one tenant of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.accounts.credentials import slug
from services.core.dates import add_months
from services.core.db import UnitOfWork
from services.documents.charts import ChartBar, render_payments_chart
from services.documents.texts import month_label, text
from services.payments.views import payments_view

MONTHS = 12


@dataclass(frozen=True)
class PaymentsChart:
    filename: str
    png: bytes
    first_month: date
    last_month: date
    tenant_name: str | None
    total_cents: int


def payments_chart(
    uow: UnitOfWork, *, user_id: int | None, today: date, tenant_id: int | None = None
) -> PaymentsChart:
    """The chart of the 12 months ending with the latest month paid, in the user's scope or for
    one tenant of it (`NotFound` outside)."""
    view = payments_view(uow, user_id=user_id, today=today, tenant_id=tenant_id)
    totals = {month.month: month.total_cents for month in view.months}
    months = [add_months(view.last_month, offset) for offset in range(1 - MONTHS, 1)]
    bars = [ChartBar(month, totals.get(month, 0)) for month in months]
    name = next((n for tid, n, _ in view.tenant_totals if tid == tenant_id), None)
    first, last = month_label(months[0]), month_label(months[-1])
    title = (
        text("payments_chart.title_for", name=name, first=first, last=last)
        if name
        else text("payments_chart.title", first=first, last=last)
    )
    suffix = f"-{slug(name)}" if name else ""
    return PaymentsChart(
        filename=f"paiements-caf-{months[-1]:%Y-%m}{suffix}.png",
        png=render_payments_chart(bars, title=title),
        first_month=months[0],
        last_month=months[-1],
        tenant_name=name,
        total_cents=sum(bar.cents for bar in bars),
    )
