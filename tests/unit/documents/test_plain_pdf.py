"""The receipt written directly (`services.documents.plain_pdf`) reads as reportlab's drawing of
the same page: the same text, line by line and in layout; escapes of PDF's special characters;
a text outside WinAnsiEncoding drawn by reportlab instead."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from services.documents import receipts
from services.documents.receipts import Receipt, render_receipt

WHEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
RECEIPT = Receipt(
    title="Signalement (test) \\ « impayé »",
    organisation="LES OLIVIERS (SA) <& fils>",
    reference="IMP-2026-ABCDEF01",
    issued_at=WHEN,
    rows=tuple((f"Mois {n} – été", f"{n},00 €") for n in range(1, 70)),
    notes=("Une note avec des « guillemets », un œ et des ‘apostrophes’. " * 3,),
)


def _by_reportlab(receipt: Receipt) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=receipts._PAGE)
    receipts._describe(canvas, receipt)
    receipts._Page(canvas).draw(receipt)
    canvas.save()
    return buffer.getvalue()


def _read(content: bytes) -> tuple[list[str], list[str], str | None]:
    reader = PdfReader(io.BytesIO(content), strict=True)
    plain = [page.extract_text() for page in reader.pages]
    layout = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    return plain, layout, reader.metadata.title if reader.metadata else None


def test_the_page_reads_as_reportlab_s() -> None:
    written = render_receipt(RECEIPT)
    assert b"ReportLab" not in written  # written directly
    plain, layout, title = _read(written)
    assert len(plain) >= 2
    assert (plain, layout, title) == _read(_by_reportlab(RECEIPT))
    assert "Signalement (test) \\ « impayé »" in plain[0]
    assert "LES OLIVIERS (SA) <& fils>" in plain[0]


def test_a_text_outside_winansi_is_drawn_by_reportlab() -> None:
    receipt = Receipt("Łukasz", "ORG", "LOY-1", WHEN, (("Locataire", "NGUYỄN Đức"),))
    written = render_receipt(receipt)
    assert b"ReportLab" in written
    assert "Locataire" in _read(written)[0][0]
