"""The PDF receipt drawn on the canvas: every word of long values and notes is in the text
(wrapped, not cut), bold markup is not printed, a long table goes on to a second page, and the
receipt's data survives its JSON round trip (kept with a turn's reply)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from pypdf import PdfReader

from services.documents.receipts import Receipt, render_receipt


def pages(content: bytes) -> list[str]:
    return [
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(content)).pages
    ]


RECEIPT = Receipt(
    title="Déclaration du loyer de juillet 2026",
    organisation="LES OLIVIERS <& fils>",
    reference="LOY-2026-ABCDEFGH",
    issued_at=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
    rows=(
        ("Locataire", "BRISSON Isabelle"),
        ("Adresse du logement", "Résidence des Tilleuls, " * 6 + "14000 Caen"),
        ("Loyer hors charges de juillet 2026", "330,00 €"),
    ),
    notes=("Une note assez longue pour tenir sur plusieurs lignes de la page. " * 4,),
)


def test_long_values_and_notes_are_wrapped_not_cut() -> None:
    (text,) = pages(render_receipt(RECEIPT))
    assert "Référence : LOY-2026-ABCDEFGH" in text and "<b>" not in text
    assert "Organisme : LES OLIVIERS <& fils>" in text
    assert text.count("Tilleuls") == 6 and "14000 Caen" in text and "330,00 €" in text
    assert text.count("plusieurs lignes") == 4
    assert "Conservez ce récapitulatif" in text


def test_a_long_table_goes_on_to_another_page() -> None:
    rows = tuple((f"Mois {n}", f"{n},00 €") for n in range(1, 80))
    texts = pages(render_receipt(Receipt("Signalement", "ORG", "IMP-1", RECEIPT.issued_at, rows)))
    assert len(texts) >= 2
    assert "Mois 1 " in texts[0] and "79,00 €" in texts[-1]


def test_the_data_round_trips_through_json() -> None:
    data = json.loads(json.dumps(RECEIPT.as_data()))
    assert Receipt.from_data(data) == RECEIPT
