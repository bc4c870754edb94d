"""PDF receipts, drawn with reportlab: one layout for every declaration the bot transmits.

A `Receipt` is plain data (JSON with `as_data`/`from_data`): a turn keeps it with its reply and
the engine draws the PDF after the turn's commit, outside the chat's lock. reportlab is imported
by the first drawing, not at start-up.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from services.documents.rendering import RENDER_LOCK
from services.documents.texts import format_paris, text


@dataclass(frozen=True)
class Receipt:
    """What a receipt states; rows are (label, value) pairs in reading order."""

    title: str
    organisation: str
    reference: str
    issued_at: datetime
    rows: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_data(self) -> dict[str, Any]:
        """The receipt as JSON-ready data (kept with the turn's reply until drawn)."""
        return {
            "title": self.title,
            "organisation": self.organisation,
            "reference": self.reference,
            "issued_at": self.issued_at.isoformat(),
            "rows": [[label, value] for label, value in self.rows],
            "notes": list(self.notes),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Receipt:
        return cls(
            title=str(data["title"]),
            organisation=str(data["organisation"]),
            reference=str(data["reference"]),
            issued_at=datetime.fromisoformat(str(data["issued_at"])),
            rows=tuple((str(label), str(value)) for label, value in data["rows"]),
            notes=tuple(str(note) for note in data.get("notes", ())),
        )


def row(key: str, /, **values: object) -> str:
    """The label of a receipt's row (`receipt.rows.<key>` of the texts)."""
    return text(f"receipt.rows.{key}", **values)


def note(key: str) -> str:
    """A note under a receipt's table (`receipt.notes.<key>`)."""
    return text(f"receipt.notes.{key}")


def value(key: str, /, **values: object) -> str:
    """A value written in words on a receipt (`receipt.values.<key>`)."""
    return text(f"receipt.values.{key}", **values)


@functools.cache
def _styles() -> Any:
    """reportlab's sample styles, built once (read-only once built)."""
    from reportlab.lib.styles import getSampleStyleSheet

    return getSampleStyleSheet()


def preload() -> None:
    """Import reportlab now (a supervisor, before forking its workers)."""
    import reportlab.platypus  # noqa: F401

    _styles()


def render_receipt(receipt: Receipt) -> bytes:
    """The receipt as PDF bytes (A4, selectable text so it can be searched and checked)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

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
        subject=text("receipt.subject", reference=receipt.reference),
    )
    styles = _styles()
    story = [
        Paragraph(escape(receipt.title), styles["Title"]),
        Paragraph(
            text("receipt.organisation", organisation=escape(receipt.organisation)),
            styles["Normal"],
        ),
        Paragraph(text("receipt.reference", reference=escape(receipt.reference)), styles["Normal"]),
        Paragraph(
            text("receipt.transmitted", when=escape(format_paris(receipt.issued_at))),
            styles["Normal"],
        ),
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
        Paragraph(text("receipt.keep"), styles["Normal"]),
    ]
    with RENDER_LOCK:
        document.build(story)
    return buffer.getvalue()
