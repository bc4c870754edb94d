"""The database goes away under a running bot: refused, then black-holed (a proxy that accepts and
never answers). The user hears "service momentanément indisponible" within seconds, nothing of the
failed turn is applied later, and the bot recovers by itself when the database is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, make_url, select

from bot.bootstrap import App, build_app
from dialogs.io import Inbound
from services.core.db import make_uow_factory
from services.declarations.models import RentDeclaration
from tests.conftest import POSTGRES_URL, TEST_PASSWORDS, PostgresRun, _reset_postgres, settings_for
from tests.fakes.tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not POSTGRES_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)"),
]
UNAVAILABLE = "momentanément indisponible"
PROMPT_SECONDS = 8.0  # the watchdog cuts a call after 5 s; a connection attempt gives up after 3 s


@pytest.fixture
def proxy(postgres_run: PostgresRun) -> Iterator[TcpProxy]:
    _reset_postgres(postgres_run)
    url = make_url(postgres_run.url)
    server = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    yield server
    server.close()


@pytest.fixture
def proxied_app(
    proxy: TcpProxy, postgres_run: PostgresRun, tmp_path: Path, nlu_model_file: Path
) -> Iterator[App]:
    url = make_url(postgres_run.url).set(host="127.0.0.1", port=proxy.port)
    settings = settings_for(
        tmp_path / "data", url.render_as_string(hide_password=False), nlu_model_file
    )
    settings.today = "2026-11-23"
    app = build_app(settings, passwords=TEST_PASSWORDS)
    yield app
    app.dispose()


def _say(app: App, text: str) -> tuple[str, float]:
    started = time.monotonic()
    reply = app.engine.handle(Inbound(channel="test", chat_id="faults", text=text))
    return "\n".join(m.text for m in reply.messages), time.monotonic() - started


def _transmitted(postgres_run: PostgresRun) -> int:
    """Declarations transmitted, read straight from the server (not through the proxy)."""
    factory = make_uow_factory(postgres_run.url)
    try:
        uow = factory()
        with uow:
            count = uow.session.scalar(
                select(func.count())
                .select_from(RentDeclaration)
                .where(RentDeclaration.transmitted_at.is_not(None))
            )
            return int(count or 0)
    finally:
        factory.dispose()


def test_a_database_that_goes_away_gets_a_prompt_answer_and_the_bot_recovers(
    proxy: TcpProxy, proxied_app: App, postgres_run: PostgresRun
) -> None:
    _say(proxied_app, "oliviers.admin")
    assert "Connexion réussie" in _say(proxied_app, "Oliviers-Demo-2026")[0]
    assert "Récapitulatif" in _say(proxied_app, "loyer brisson 330")[0]
    before = _transmitted(postgres_run)

    proxy.refuse()
    answer, took = _say(proxied_app, "oui")
    assert UNAVAILABLE in answer
    assert took < PROMPT_SECONDS

    proxy.forward()
    answer, _ = _say(proxied_app, "oui")  # the recap is still pending: nothing was kept
    assert "est transmise" in answer
    assert _transmitted(postgres_run) == before + 1

    assert "Récapitulatif" in _say(proxied_app, "loyer couture 390")[0]
    proxy.silence()
    answer, took = _say(proxied_app, "oui")
    assert UNAVAILABLE in answer
    assert took < PROMPT_SECONDS
    answer, took = _say(proxied_app, "oui")  # a new connection meets the same silence
    assert UNAVAILABLE in answer
    assert took < PROMPT_SECONDS

    proxy.forward()
    time.sleep(1.0)
    assert _transmitted(postgres_run) == before + 1  # what the user was told failed stayed undone
    answer, _ = _say(proxied_app, "oui")
    assert "est transmise" in answer
    assert _transmitted(postgres_run) == before + 2
