"""The yearly payment statement as a PDF: one table, month by month, with subtotals and a total.

Not a receipt (nothing was declared), hence its own small layout beside `services.receipts`.
"""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.flows_common import format_date, month_label
from services.money import format_euros

if TYPE_CHECKING:
    from services.payments import PaymentsView


def render_statement(view: PaymentsView, *, organisation: str, year: int, today: date) -> bytes:
    buffer = io.BytesIO()
    title = f"Paiements de la Caf – année {year}"
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title=title, author="bailleur-bot",
    )  # fmt: skip
    styles = getSampleStyleSheet()
    story: list[object] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(f"Organisme : {escape(organisation)}", styles["Normal"]),
        Paragraph(f"Relevé établi le {format_date(today)}", styles["Normal"]),
        Spacer(1, 6 * mm),
    ]
    rows: list[list[str]] = [["Mois", "Locataire", "Aide", "Montant", "Payé le"]]
    subtotals: list[int] = []
    for month in reversed(view.months):
        for line in month.lines:
            rows.append([
                month_label(month.month), line.tenant_name, line.aid_type.value,
                format_euros(line.amount_cents), format_date(line.paid_on),
            ])  # fmt: skip
        rows.append(
            ["", f"Total {month_label(month.month)}", "", format_euros(month.total_cents), ""]
        )
        subtotals.append(len(rows) - 1)
    rows.append(["Total de l'année", "", "", format_euros(view.total_cents), ""])
    if not view.months:
        story.append(Paragraph("Aucun paiement de la Caf sur cette année.", styles["Normal"]))
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
    document.build(story)
    return buffer.getvalue()
