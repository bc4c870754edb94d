"""The year's payments as a file the landlord keeps: a PDF, or a CSV for a spreadsheet."""

from __future__ import annotations

from datetime import date
from typing import Literal

from services.accounts.actor import active_user
from services.core.db import UnitOfWork
from services.core.errors import InvalidValue
from services.documents.statements import (
    StatementLine,
    render_statement_csv,
    render_statement_pdf,
)
from services.payments.views import PaymentsView, payments_view


def statement_lines(view: PaymentsView) -> list[StatementLine]:
    """The view's payments, oldest month first, as the documents list them."""
    return [
        StatementLine(
            month=month.month,
            tenant=line.tenant_name,
            allocataire_number=line.allocataire_number,
            aid=line.aid_type.value,
            amount_cents=line.amount_cents,
            paid_on=line.paid_on,
        )
        for month in reversed(view.months)
        for line in month.lines
    ]


def payments_statement(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    today: date,
    year: int,
    fmt: Literal["pdf", "csv"],
) -> tuple[str, bytes]:
    """The year's payments as a file: CSV (`;`, decimal comma, UTF-8 with BOM so Excel opens it
    right) or PDF. Returns (file name, content)."""
    if fmt not in ("pdf", "csv"):
        raise InvalidValue("invalid_format")
    lines = statement_lines(payments_view(uow, user_id=user_id, today=today, year=year))
    if fmt == "csv":
        return f"paiements-caf-{year}.csv", render_statement_csv(lines)
    with uow:
        organisation = active_user(uow.session, user_id, today).organisation.name
    return f"paiements-caf-{year}.pdf", render_statement_pdf(
        lines, organisation=organisation, year=year, today=today
    )
