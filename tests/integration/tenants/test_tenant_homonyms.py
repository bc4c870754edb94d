"""A name that 300 tenants share (issue 11, item 5): the question that asks which one offers a
keyboard of a few buttons at a time, with pages, instead of one keyboard of 300 buttons."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.bootstrap import App
from dialogs.io import Inbound, OutMessage, Reply
from services.accounts.models import DwellingKind, Organisation
from services.tenants.models import Dwelling, Tenant

HOMONYMS = 300


def _add_homonyms(app: App) -> None:
    with app.uow_factory() as uow:
        organisation = uow.session.scalars(
            select(Organisation).where(Organisation.name == "LES OLIVIERS")
        ).one()
        for number in range(HOMONYMS):
            dwelling = Dwelling(
                organisation=organisation,
                address=f"{number + 1} RUE DES PINS",
                postcode="14000",
                commune="CAEN",
                departement="14",
                kind=DwellingKind.CONVENTIONNE,
            )
            uow.session.add(
                Tenant(
                    dwelling=dwelling,
                    last_name="DURAND",
                    first_name=f"Paul{number:03d}",
                    allocataire_number=f"{9_000_000 + number}"[:7],
                    since=date(2020, 1, 1),
                    monthly_rent_cents=40_000,
                )
            )
        uow.commit()


def _labels(message: OutMessage) -> list[str]:
    return [c.label for c in message.choices]


def _press(app: App, reply: Reply, label: str) -> Reply:
    key = next(c.key for m in reply.messages for c in m.choices if c.label == label)
    return app.engine.handle(Inbound(channel="test", chat_id="c1", choice=key))


def test_three_hundred_homonyms_get_a_paged_keyboard(app: App) -> None:
    _add_homonyms(app)
    for line in ("oliviers.admin", "Oliviers-Demo-2026"):
        app.engine.handle(Inbound(channel="test", chat_id="c1", text=line))

    app.engine.handle(Inbound(channel="test", chat_id="c1", text="loyer de durand"))
    reply = app.engine.handle(Inbound(channel="test", chat_id="c1", text="durand"))

    first = _labels(reply.messages[0])
    assert len(first) <= 10 and "Page suivante ▶" in first
    assert "DURAND Paul000" in first
    second = _press(app, reply, "Page suivante ▶")
    page_two = _labels(second.messages[0])
    assert "DURAND Paul008" in page_two and "DURAND Paul000" not in page_two
    assert "◀ Page précédente" in page_two and "Page suivante ▶" in page_two
    picked = page_two[0]
    chosen = _press(app, second, picked)
    assert picked == "DURAND Paul008"
    assert "Paul008" in next(
        line for m in chosen.messages for line in m.text.splitlines() if "Locataire :" in line
    )
