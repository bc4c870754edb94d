"""The year's payments as a file the landlord keeps: a PDF, or a CSV for a spreadsheet."""

from __future__ import annotations

import re
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

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


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
    tenant_id: int | None = None,
) -> tuple[str, bytes]:
    """The year's payments, of the whole scope or of one tenant of it, as a file: CSV (`;`,
    decimal comma, UTF-8 with BOM so Excel opens it right) or PDF. Returns (file name, content);
    the name says whose statement it is and for which year (and tenant), so two statements saved
    in one folder never overwrite each other."""
    if fmt not in ("pdf", "csv"):
        raise InvalidValue("invalid_format")
    view = payments_view(uow, user_id=user_id, today=today, year=year, tenant_id=tenant_id)
    lines = statement_lines(view)
    with uow:
        user = active_user(uow.session, user_id, today)
        organisation, login = user.organisation.name, user.login
    parts = [login, str(year)]
    if tenant_id is not None:
        parts.append(next((line.allocataire_number for line in lines), str(tenant_id)))
    name = "paiements-caf-" + "-".join(_SAFE.sub("_", part) for part in parts)
    if fmt == "csv":
        return f"{name}.csv", render_statement_csv(lines)
    return f"{name}.pdf", render_statement_pdf(
        lines, organisation=organisation, year=year, today=today
    )
