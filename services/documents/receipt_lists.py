"""One PDF for many rents transmitted at once: a table of every receipt, over as many pages as it
takes (the header row repeated, page numbers at the foot), instead of one PDF per tenant."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from services.core.money import format_euros
from services.documents.rendering import RENDER_LOCK
from services.documents.texts import format_paris, text, texts

if TYPE_CHECKING:  # reportlab is imported by the first list drawn, not at start-up
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import SimpleDocTemplate


@dataclass(frozen=True)
class ListedReceipt:
    reference: str
    tenant: str
    allocataire_number: str
    rent_cents: int


@dataclass(frozen=True)
class ReceiptList:
    year: int
    organisation: str
    issued_at: datetime
    transmitted_by: str
    receipts: tuple[ListedReceipt, ...]


def _footer(canvas: Canvas, document: SimpleDocTemplate) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(
        A4[0] - 15 * mm, 10 * mm, text("receipt_list.page", page=canvas.getPageNumber())
    )
    canvas.restoreState()


def render_receipt_list(listing: ReceiptList) -> bytes:
    """The list as PDF bytes (A4, selectable text, one line per receipt)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    buffer = io.BytesIO()
    title = text("receipt_list.title", year=listing.year)
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="bailleur-bot",
    )
    styles = getSampleStyleSheet()
    total = sum(r.rent_cents for r in listing.receipts)
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(text("receipt_list.organisation", organisation=listing.organisation)),
            styles["Normal"],
        ),
        Paragraph(
            escape(
                text(
                    "receipt_list.transmitted",
                    when=format_paris(listing.issued_at),
                    who=listing.transmitted_by,
                )
            ),
            styles["Normal"],
        ),
        Paragraph(
            escape(
                text(
                    "receipt_list.count",
                    count=f"{len(listing.receipts):,}".replace(",", " "),
                    total=format_euros(total),
                )
            ),
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
    ]
    rows: list[list[str]] = [list(texts("receipt_list.columns"))]
    rows += [
        [r.reference, r.tenant, r.allocataire_number, format_euros(r.rent_cents)]
        for r in listing.receipts
    ]
    table = LongTable(rows, colWidths=[48 * mm, 72 * mm, 30 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f6f8")]),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    story += [table, Spacer(1, 6 * mm), Paragraph(escape(text("receipt.keep")), styles["Normal"])]
    with RENDER_LOCK:
        document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
