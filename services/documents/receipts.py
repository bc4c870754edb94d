"""PDF receipts, drawn with reportlab: one layout for every declaration the bot transmits."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.core.clock import format_paris


@dataclass(frozen=True)
class Receipt:
    """What a receipt states; rows are (label, value) pairs in reading order."""

    title: str
    organisation: str
    reference: str
    issued_at: datetime
    rows: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def render_receipt(receipt: Receipt) -> bytes:
    """The receipt as PDF bytes (A4, selectable text so it can be searched and checked)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=receipt.title,
        author="bailleur-bot",
        subject=f"Référence {receipt.reference}",
    )
    styles = getSampleStyleSheet()
    story = [
        Paragraph(escape(receipt.title), styles["Title"]),
        Paragraph(f"Organisme : {escape(receipt.organisation)}", styles["Normal"]),
        Paragraph(f"Référence : <b>{escape(receipt.reference)}</b>", styles["Normal"]),
        Paragraph(f"Transmis le {escape(format_paris(receipt.issued_at))}", styles["Normal"]),
        Spacer(1, 8 * mm),
    ]
    table = Table(
        [
            [Paragraph(escape(label), styles["Normal"]), Paragraph(escape(value), styles["Normal"])]
            for label, value in receipt.rows
        ],
        colWidths=[70 * mm, 100 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    for note in receipt.notes:
        story += [Spacer(1, 4 * mm), Paragraph(escape(note), styles["Italic"])]
    story += [
        Spacer(1, 10 * mm),
        Paragraph(
            "Conservez ce récapitulatif : il atteste de votre déclaration auprès de la Caf.",
            styles["Normal"],
        ),
    ]
    document.build(story)
    return buffer.getvalue()
