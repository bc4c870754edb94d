"""PDF receipts, drawn with reportlab: one layout for every declaration the bot transmits.

A `Receipt` is plain data (JSON with `as_data`/`from_data`): a turn keeps it with its reply and
the engine draws the PDF after the turn's commit, outside the chat's lock. reportlab is imported
by the first drawing, not at start-up.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape, unescape

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


# Layout, in points (A4: 595 x 842): the margins, the table's two columns, the type sizes.
_MM = 72 / 25.4
_MARGIN = 20 * _MM
_COLUMNS = (70 * _MM, 100 * _MM)
_PADDING = 4.0
_SIZE, _LEADING = 10.0, 12.0
_TITLE_SIZE, _TITLE_LEADING = 18.0, 22.0
_REGULAR, _BOLD, _ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"


def preload() -> None:
    """Import reportlab now (a supervisor, before forking its workers)."""
    import reportlab.pdfgen.canvas  # noqa: F401


def render_receipt(receipt: Receipt) -> bytes:
    """The receipt as PDF bytes (A4, selectable text so it can be searched and checked).

    Drawn on reportlab's canvas, lines wrapped by hand: the same page as a platypus story (title,
    header lines, a two-column table, notes) for about a quarter of its CPU time, the largest
    cost of a declaration's turns (docs/benchmarks.md)."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    with RENDER_LOCK:
        canvas = Canvas(buffer, pagesize=(595.2756, 841.8898), invariant=False)
        canvas.setTitle(receipt.title)
        canvas.setAuthor("bailleur-bot")
        canvas.setSubject(text("receipt.subject", reference=receipt.reference))
        _Page(canvas).draw(receipt)
        canvas.save()
    return buffer.getvalue()


class _Page:
    """Where the next line goes; a new page when the bottom margin is reached."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.width, self.height = 595.2756, 841.8898
        self.y = self.height - _MARGIN

    def draw(self, receipt: Receipt) -> None:
        self.title(receipt.title)
        for line in (
            text("receipt.organisation", organisation=escape(receipt.organisation)),
            text("receipt.reference", reference=escape(receipt.reference)),
            text("receipt.transmitted", when=escape(format_paris(receipt.issued_at))),
        ):
            self.paragraph(line, _REGULAR)
        self.y -= 8 * _MM
        self.table(receipt.rows)
        for note in receipt.notes:
            self.y -= 4 * _MM
            self.paragraph(escape(note), _ITALIC)
        self.y -= 10 * _MM
        self.paragraph(text("receipt.keep"), _REGULAR)

    def room(self, needed: float) -> None:
        if self.y - needed < _MARGIN:
            self.canvas.showPage()
            self.y = self.height - _MARGIN

    def title(self, title: str) -> None:
        from reportlab.lib.utils import simpleSplit

        width = self.width - 2 * _MARGIN
        for line in simpleSplit(title, _BOLD, _TITLE_SIZE, width):
            self.y -= _TITLE_LEADING
            self.canvas.setFont(_BOLD, _TITLE_SIZE)
            self.canvas.drawCentredString(self.width / 2, self.y + 4, line)
        self.y -= 6

    def paragraph(self, markup: str, font: str) -> None:
        """One paragraph of text whose <b>…</b> parts are bold (the texts' only markup)."""
        width = self.width - 2 * _MARGIN
        for runs in _wrap(_runs(markup, font), width):
            self.room(_LEADING)
            self.y -= _LEADING
            self._line(runs, _MARGIN, self.y + 3)

    def table(self, rows: tuple[tuple[str, str], ...]) -> None:
        canvas = self.canvas
        left, (first, second) = _MARGIN, _COLUMNS
        canvas.setLineWidth(0.5)
        for label, value in rows:
            cells = [
                _cell(label, first - 2 * _PADDING),
                _cell(value, second - 2 * _PADDING),
            ]
            height = max(len(c) for c in cells) * _LEADING + 2 * _PADDING
            self.room(height)
            bottom = self.y - height
            canvas.setFillGray(0.96)
            canvas.rect(left, bottom, first, height, stroke=0, fill=1)
            canvas.setFillGray(0)
            canvas.setStrokeGray(0.5)
            canvas.rect(left, bottom, first + second, height, stroke=1, fill=0)
            canvas.line(left + first, bottom, left + first, self.y)
            canvas.setFont(_REGULAR, _SIZE)
            for x, lines in ((left, cells[0]), (left + first, cells[1])):
                baseline = self.y - _PADDING - _SIZE
                for line in lines:
                    canvas.drawString(x + _PADDING, baseline, line)
                    baseline -= _LEADING
            self.y = bottom

    def _line(self, runs: list[tuple[str, str]], x: float, y: float) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        for part, font in runs:
            self.canvas.setFont(font, _SIZE)
            self.canvas.drawString(x, y, part)
            x += stringWidth(part, font, _SIZE)


def _cell(value: str, width: float) -> list[str]:
    """A table cell's lines: the value itself when it fits on one line (nearly every cell; one
    measure instead of one per word), else wrapped at spaces by reportlab."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    words = value.split()
    if words and " ".join(words) == value and stringWidth(value, _REGULAR, _SIZE) <= width:
        return [value]  # what simpleSplit gives for words single-spaced that fit
    return simpleSplit(value, _REGULAR, _SIZE, width) or [""]


def _runs(markup: str, font: str) -> list[tuple[str, str]]:
    """(text, font) runs of a line of the texts' markup: <b>…</b> and XML escapes."""
    runs: list[tuple[str, str]] = []
    bold = False
    for piece in re.split(r"(</?b>)", markup):
        if piece in ("<b>", "</b>"):
            bold = piece == "<b>"
        elif piece:
            runs.append((unescape(piece), _BOLD if bold else font))
    return runs


def _wrap(runs: list[tuple[str, str]], width: float) -> list[list[tuple[str, str]]]:
    """Runs broken into lines at spaces, each line at most `width` points wide."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[list[tuple[str, str]]] = [[]]
    used = 0.0
    for part, font in runs:
        for word in re.split(r"(?<= )", part):
            if not word:
                continue
            size = stringWidth(word, font, _SIZE)
            if used + size > width and used > 0:
                lines.append([])
                used = 0.0
                word = word.lstrip()
                size = stringWidth(word, font, _SIZE)
            line = lines[-1]
            if line and line[-1][1] == font:
                line[-1] = (line[-1][0] + word, font)
            else:
                line.append((word, font))
            used += size
    return [line for line in lines if line]
