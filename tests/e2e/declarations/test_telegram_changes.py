"""A change through Telegram: a departure declared with buttons receives its PDF receipt."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.e2e.telegram_harness import UserChat, plain, texts


def test_departure_declared_with_buttons_receives_its_pdf(user: UserChat) -> None:
    user.login()
    calls = user.say("déclarer un changement")
    assert "Quel changement voulez-vous déclarer ?" in texts(calls)
    user.press("Départ du locataire")
    calls = user.press("MILOME")
    assert "À quelle date le locataire a-t-il quitté le logement ?" in texts(calls)
    user.say("le 15/11/2026")
    calls = user.say("30/11/2026")
    assert "Récapitulatif de votre déclaration" in texts(calls)
    calls = user.press("Valider")
    assert "Votre déclaration de départ est transmise" in texts(calls)
    documents = [c for c in calls if c.method == "sendDocument"]
    assert len(documents) == 1
    filename, content = documents[0].files["document"]
    assert filename.startswith("dep-DEP-2026-") and filename.endswith(".pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    reference = filename.removeprefix("dep-").removesuffix(".pdf")
    assert reference in text and "MILOME Syndy" in text and "15/11/2026" in text
    assert reference in plain(documents[0])
