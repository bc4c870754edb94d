"""The CAF's payments through the terminal: the view, its filters and the year's statements."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from bot.bootstrap import App
from dialogs.io import Inbound
from tests.e2e.console_chat import PASSWORD, pdf_of, talk


def test_payments_view_filters_and_statements(app: App, tmp_path: Path) -> None:
    output = talk(app, ["mes paiements", "Relevé 2026 en PDF"], tmp_path)
    assert "Paiements de la Caf de" in output
    assert "l'APL est versée le 25 du mois" in output
    assert "l'AL (ALF, ALS) est versée au début du mois suivant" in output
    assert "Paiements de la Caf – année 2026" in pdf_of(output)
    march = talk(app, ["mes paiements de mars"], tmp_path, "bob")
    assert "Paiements de la Caf de mars 2026" in march
    upcoming = talk(app, ["c quand le prochain versement"], tmp_path, "erin")
    assert "Prochains versements de la Caf" in upcoming
    assert "• APL de " in upcoming
    assert "dernier versement" in upcoming
    assert "versé le" not in upcoming
    april = talk(app, ["paiements d'avril"], tmp_path, "dave")
    assert "Paiements de la Caf d'avril 2026" in april
    brisson = talk(app, ["combien la caf a payé pour Brisson cette année"], tmp_path, "carol")
    assert "pour BRISSON Isabelle" in brisson
    assert "DUPONT" not in brisson.split("pour BRISSON Isabelle")[1]


def test_the_csv_statement_is_a_csv_document(app: App) -> None:
    engine = app.engine
    engine.handle(Inbound(channel="test", chat_id="csv", text="/start"))
    engine.handle(Inbound(channel="test", chat_id="csv", text="je veux me connecter"))
    engine.handle(Inbound(channel="test", chat_id="csv", text="oliviers.admin"))
    engine.handle(Inbound(channel="test", chat_id="csv", text=PASSWORD))
    reply = engine.handle(Inbound(channel="test", chat_id="csv", text="mes paiements"))
    key = next(c.key for m in reply.messages for c in m.choices if c.label.endswith("CSV"))
    reply = engine.handle(Inbound(channel="test", chat_id="csv", choice=key))
    document = next(m.document for m in reply.messages if m.document is not None)
    assert document.mime_type == "text/csv"
    assert document.filename == "paiements-caf-oliviers.admin-2026.csv"
    assert document.content.decode("utf-8-sig").startswith("Mois;Locataire")


def test_the_statement_offered_after_one_tenants_view_covers_that_tenant(app: App) -> None:
    engine = app.engine
    for said in ("oliviers.admin", PASSWORD):
        engine.handle(Inbound(channel="test", chat_id="one", text=said))
    reply = engine.handle(Inbound(channel="test", chat_id="one", text="paiements de brisson"))
    key = next(c.key for m in reply.messages for c in m.choices if c.label.endswith("CSV"))
    assert any("de ce locataire" in c.label for m in reply.messages for c in m.choices)
    reply = engine.handle(Inbound(channel="test", chat_id="one", choice=key))
    document = next(m.document for m in reply.messages if m.document is not None)
    assert document.filename == "paiements-caf-oliviers.admin-2026-171842.csv"
    assert "MUROT" not in document.content.decode("utf-8-sig")


def test_the_chart_is_a_png_file_whose_path_is_printed(app: App, tmp_path: Path) -> None:
    output = talk(app, ["mes paiements", "Graphique des 12 derniers mois"], tmp_path, "chart")
    assert "Paiements de la Caf de novembre 2025 à octobre 2026, mois par mois" in output
    assert "total 11 940,00 €" in output
    found = re.findall(r"Document enregistré : (\S+\.png)", output)
    assert found, output
    with Image.open(found[-1]) as picture:
        assert picture.format == "PNG"
        assert picture.size == (800, 450)
    typed = talk(app, ["graphique des paiements de brisson"], tmp_path, "chart-brisson")
    assert "Paiements de la Caf pour BRISSON Isabelle de" in typed
