"""A large organisation (generated, as `seed --large` does): the bulk recap pages instead of
cutting, every message and button stays within Telegram's limits, progress is reported as lines
go, and the PDF of receipts is a table over several pages."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from bot.bootstrap import App
from dialogs.io import Inbound, Reply
from dialogs.progress import REPORTER
from services.demo.large import seed_large

TENANTS = 250


def _send(app: App, *, text: str | None = None, choice: str | None = None) -> Reply:
    return app.engine.handle(Inbound(channel="test", chat_id="large", text=text, choice=choice))


def _press(app: App, reply: Reply, prefix: str) -> Reply:
    key = next(c.key for m in reply.messages for c in m.choices if c.label.startswith(prefix))
    return _send(app, choice=key)


def _within_limits(reply: Reply) -> None:
    for message in reply.messages:
        assert len(message.text.encode("utf-16-le")) // 2 <= 4096
        assert all(len(c.key.encode()) <= 64 for c in message.choices)


def test_a_large_organisation_declares_every_rent_with_pages_and_progress(app: App) -> None:
    large = seed_large(app.uow_factory(), today=app.clock().date(), tenants=TENANTS)
    _send(app, text=large.login)
    assert "Connexion réussie" in "\n".join(
        m.text for m in _send(app, text=large.password).messages
    )
    first = _send(app, text="tous mes loyers sont inchangés")
    _within_limits(first)
    shown = "\n".join(m.text for m in first.messages)
    assert "248 loyers" in shown and "Page 1 sur 7 :" in shown
    assert shown.count("\n• ") == 40
    second = _press(app, first, "Page suivante")
    _within_limits(second)
    assert "Page 2 sur 7 :" in "\n".join(m.text for m in second.messages)
    reports: list[tuple[str, bool]] = []
    token = REPORTER.set(lambda text, last: reports.append((text, last)))
    try:
        done = _press(app, second, "Valider")
    finally:
        REPORTER.reset(token)
    _within_limits(done)
    assert "248 loyers de juillet 2026 transmis" in "\n".join(m.text for m in done.messages)
    assert reports[0] == (
        "Transmission de 248 loyers en cours, environ 1 seconde. Je vous envoie le "
        "récapitulatif dès que c'est fini.",
        True,  # a line (a message) of its own, not overwritten by the count
    )
    assert reports[1] == ("Transmission : 100 / 248", False)
    assert reports[-2] == ("Transmission : 248 / 248", False)
    assert reports[-1] == ("Transmission : 248 / 248. Préparation du récapitulatif PDF…", True)
    (pdf,) = [m.document for m in done.messages if m.document is not None]
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert len(pages) >= 5
    assert "Référence" in pages[-1].extract_text()  # the header row is repeated on every page


def test_the_examples_the_recap_offers_name_one_tenant_each(app: App) -> None:
    """Generated tenants share family names (50 of them) and a few whole names: typed back as
    offered, every example is taken, never answered « Plusieurs locataires s'appellent »."""
    large = seed_large(app.uow_factory(), today=app.clock().date(), tenants=TENANTS)
    _send(app, text=large.login)
    _send(app, text=large.password)
    shown = "\n".join(m.text for m in _send(app, text="tous mes loyers sont inchangés").messages)
    (without,) = re.findall(r"par exemple « ([^»]+) 350 »", shown)
    (changed,) = re.findall(r"par exemple « sauf ([^»]+) 340 € »", shown)
    for typed in (f"{without} 350", f"sauf {changed} 340"):
        said = "\n".join(m.text for m in _send(app, text=typed).messages)
        assert "C'est noté" in said, typed
        assert "Plusieurs locataires" not in said
