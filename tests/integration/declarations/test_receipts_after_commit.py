"""A receipt's PDF is drawn after the turn's commit, outside the chat's lock and transaction,
and is never lost: the reply kept for a redelivered update holds the receipt's data, drawn again
when the update comes back."""

from __future__ import annotations

import re
import sys
from types import FrameType
from typing import Any

from sqlalchemy import select

from bot.bootstrap import App
from dialogs.io import Inbound, Reply
from services.core.models import Conversation
from tests.integration.conftest import pdf_text


def say(app: App, text: str, update_id: int) -> Reply:
    return app.engine.handle(Inbound(channel="test", chat_id="r1", text=text, update_id=update_id))


def kept_replies(app: App) -> list[dict[str, Any]]:
    uow = app.uow_factory()
    with uow:
        conversation = uow.session.scalars(
            select(Conversation).where(Conversation.chat_id == "r1")
        ).one()
        return list(conversation.replies or [])


def test_the_receipt_is_drawn_with_no_connection_held_and_again_for_a_redelivery(
    app: App,
) -> None:
    say(app, "oliviers.admin", 1)
    say(app, "Oliviers-Demo-2026", 2)
    assert "Récapitulatif" in "\n".join(m.text for m in say(app, "loyer brisson 330", 3).messages)

    # Watched, not replaced: the connections checked out of the pool whenever reportlab writes
    # a PDF out in this thread.
    pool = app.uow_factory.engine.pool  # type: ignore[attr-defined]
    held: list[int] = []

    def watch(frame: FrameType, event: str, _arg: object) -> None:
        code = frame.f_code
        if event == "call" and code.co_name == "save" and code.co_filename.endswith("canvas.py"):
            held.append(pool.checkedout())

    sys.setprofile(watch)
    try:
        done = say(app, "oui", 4)
    finally:
        sys.setprofile(None)
    (document,) = [m.document for m in done.messages if m.document is not None]
    text = pdf_text(document.content)
    assert "330,00 €" in text and "BRISSON" in text
    assert held and held == [0] * len(held)  # drawn after the commit, the connection returned

    # What the row keeps for a redelivery is the receipt's data, not a PDF.
    (entry,) = [r for r in kept_replies(app) if r["update_id"] == 4]
    (kept,) = [m["document"] for m in entry["messages"] if "document" in m]
    assert "content" not in kept and kept["receipt"]["reference"] in document.filename

    again = say(app, "oui", 4)
    assert again.duplicate
    (redrawn,) = [m.document for m in again.messages if m.document is not None]
    assert redrawn.filename == document.filename
    reference = re.search(r"LOY-\d{4}-\w+", document.filename)
    assert reference and reference.group(0) in pdf_text(redrawn.content)
    assert "330,00 €" in pdf_text(redrawn.content)


def test_the_campaign_count_agrees_with_the_campaign_lines(app: App) -> None:
    from services.declarations.views import rent_campaign, rent_campaign_count

    say(app, "oliviers.admin", 1)
    say(app, "Oliviers-Demo-2026", 2)
    uow = app.uow_factory()
    with uow:
        user_id = next(iter(uow.session.scalars(select(Conversation.user_id)))) or 0
    today = app.today()
    before = rent_campaign_count(app.uow_factory(), user_id=user_id, today=today)
    lines = rent_campaign(app.uow_factory(), user_id=user_id, today=today)
    assert (before.total, before.remaining) == (lines.total, len(lines.remaining)) != (0, 0)
    say(app, "loyer brisson 330", 3)
    say(app, "oui", 4)
    after = rent_campaign_count(app.uow_factory(), user_id=user_id, today=today)
    assert (after.total, after.remaining) == (before.total, before.remaining - 1)
