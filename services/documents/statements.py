"""The yearly payment statement, as a PDF (one table, month by month, with subtotals and a total)
and as a CSV a French spreadsheet opens (`;`, decimal comma, UTF-8 with BOM).

Not a receipt (nothing was declared), hence its own small layout beside `receipts`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from xml.sax.saxutils import escape

from services.core.dates import format_date
from services.core.money import format_euros
from services.documents.rendering import RENDER_LOCK
from services.documents.texts import month_label, text, texts


@dataclass(frozen=True)
class StatementLine:
    """One payment of the statement; lines come grouped by month, oldest first."""

    month: date
    tenant: str
    allocataire_number: str
    aid: str
    amount_cents: int
    paid_on: date


def french_amount(cents: int) -> str:
    """ "1234,56": a number a French spreadsheet reads as a number (no currency, no grouping)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d}"


def render_statement_csv(lines: Sequence[StatementLine]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(texts("statement.csv_columns"))
    for line in lines:
        writer.writerow([
            line.month.strftime("%m/%Y"), line.tenant, line.allocataire_number, line.aid,
            french_amount(line.amount_cents), line.paid_on.strftime("%d/%m/%Y"),
        ])  # fmt: skip
    total = sum(line.amount_cents for line in lines)
    writer.writerow([text("statement.csv_total"), "", "", "", french_amount(total), ""])
    return buffer.getvalue().encode("utf-8-sig")


def render_statement_pdf(
    lines: Sequence[StatementLine], *, organisation: str, year: int, today: date
) -> bytes:
    # reportlab is imported by the first statement drawn, not at start-up.
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    title = text("statement.title", year=year)
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title=title, author="bailleur-bot",
    )  # fmt: skip
    styles = getSampleStyleSheet()
    story: list[object] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            text("statement.organisation", organisation=escape(organisation)), styles["Normal"]
        ),
        Paragraph(text("statement.made_on", day=format_date(today)), styles["Normal"]),
        Spacer(1, 6 * mm),
    ]
    rows: list[list[str]] = [list(texts("statement.columns"))]
    subtotals: list[int] = []
    for month, group in groupby(lines, key=lambda line: line.month):
        month_lines = list(group)
        for line in month_lines:
            rows.append([
                month_label(month), line.tenant, line.aid,
                format_euros(line.amount_cents), format_date(line.paid_on),
            ])  # fmt: skip
        month_total = sum(line.amount_cents for line in month_lines)
        month_total_label = text("statement.month_total", month=month_label(month))
        rows.append(["", month_total_label, "", format_euros(month_total), ""])
        subtotals.append(len(rows) - 1)
    total = sum(line.amount_cents for line in lines)
    rows.append([text("statement.year_total"), "", "", format_euros(total), ""])
    if not lines:
        story.append(Paragraph(text("statement.empty"), styles["Normal"]))
    table = Table(rows, colWidths=[32 * mm, 62 * mm, 16 * mm, 32 * mm, 26 * mm], repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("ALIGN", (3, 0), (3, -1), "RIGHT"),
        ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
    ]
    style += [("FONTNAME", (0, row), (-1, row), "Helvetica-Oblique") for row in subtotals]
    table.setStyle(TableStyle(style))
    story.append(table)
    with RENDER_LOCK:
        document.build(story)
    return buffer.getvalue()
