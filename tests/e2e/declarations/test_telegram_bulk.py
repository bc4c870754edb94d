"""A spreadsheet of rents sent as a Telegram document, end to end against the fake Bot API: the
file is fetched with getFile, checked, summarised; Valider transmits with one progress message
and sends the PDF list of receipts."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.e2e.telegram_harness import UserChat, texts
from tests.fakes.bot_api import FakeBotApi

SHEET = (
    "Numéro allocataire;Loyer hors charges\r\n171842;330,50\r\n580592;390\r\n3320917;300\r\n"
).encode("cp1252")


def test_a_spreadsheet_sent_as_a_document_is_checked_then_transmitted(
    api: FakeBotApi, user: UserChat
) -> None:
    user.login()
    mark = len(api.calls)
    update = api.user_document(user.chat_id, "loyers.csv", SHEET)
    user.runner.wait_done(update["update_id"])
    calls = api.calls_for(user.chat_id, since=mark)
    assert [c.params["file_id"] for c in api.calls_to("getFile")] == ["upload-1"]
    said = texts(calls)
    assert "Tableau « loyers.csv » : 2 lignes prêtes, 1 à corriger." in said
    assert "Ligne 4 : le numéro allocataire 3320917 n'est pas celui d'un de vos locataires" in said
    calls = user.press("Valider (2)")
    progress = [c for c in calls if c.method == "sendMessage" and "Transmission" in c.text]
    assert [c.text for c in progress] == ["Transmission : 2 / 2"]
    assert calls.index(progress[0]) < next(
        i for i, c in enumerate(calls) if c.method == "sendDocument"
    )
    (document,) = [c for c in calls if c.method == "sendDocument"]
    filename, content = document.files["document"]
    assert filename.startswith("loyers-2026-") and filename.endswith(".pdf")
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "BRISSON Isabelle" in pdf and "330,50 €" in pdf and "580592" in pdf
    assert "2 loyers de juillet 2026 transmis" in texts(calls)
    assert all(len(c.text) <= 4096 for c in calls)
