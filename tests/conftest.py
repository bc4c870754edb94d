"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when TEST_DATABASE_URL is set),
a pinned date, an NLU model trained once per session, and the application built on them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.bootstrap import App, build_app
from dialogs.nlu import NluModel
from services.clock import PARIS, Clock
from services.db import UowFactory, make_uow_factory
from services.schema import upgrade
from services.seed import seed_demo
from services.settings import Settings

TODAY = date(2026, 11, 23)
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


class TestClock:
    """A clock the test moves by hand: time does not pass unless the test says so."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.moment = self.moment + timedelta(**delta)


@pytest.fixture
def clock() -> TestClock:
    return TestClock(datetime.combine(TODAY, time(10, 0), tzinfo=PARIS))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated-on-demand database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def uow_factory(database_url: str) -> Iterator[UowFactory]:
    """A migrated database holding the demo data."""
    upgrade(database_url)
    factory = make_uow_factory(database_url)
    seed_demo(factory(), today=TODAY)
    yield factory
    factory.dispose()


@pytest.fixture(scope="session")
def nlu_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nlu") / "nlu-model.pkl"
    NluModel.train().save(path)
    return path


@pytest.fixture
def make_app(
    database_url: str, tmp_path: Path, nlu_model_file: Path, clock: Clock
) -> Iterator[Callable[[], App]]:
    """Builds the application on the test database; call it again to simulate a restart."""

    built: list[App] = []

    def build() -> App:
        settings = Settings(
            BAILLEUR_DATA_DIR=tmp_path / "data",
            DATABASE_URL=database_url,
            BAILLEUR_NLU_MODEL=nlu_model_file,
        )
        app = build_app(settings, clock=clock)
        built.append(app)
        return app

    build().prepare_demo()
    yield build
    for app in built:
        app.dispose()


@pytest.fixture
def app(make_app: Callable[[], App]) -> App:
    return make_app()
