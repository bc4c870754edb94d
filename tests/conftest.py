"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when TEST_DATABASE_URL is set),
a pinned date, an NLU model trained once per session, and the application built on them.

Why templates: migrating and seeding cost seconds, and most tests need the same demo data. Each
backend is migrated and seeded once per run into a template, and every test starts from a fresh
copy of it (a copied SQLite file; on PostgreSQL, this run's own database reset from its template
schema), so tests stay isolated and may commit, lock and run several workers like production.

Passwords are hashed with cheap argon2 parameters (`TEST_PASSWORDS`), injected through the
composition root like in production; `tests/unit/accounts/test_password_hashing.py` proves that
production keeps the strong ones.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import argon2
import pytest
from sqlalchemy import Connection, Engine, MetaData, create_engine, make_url, text
from sqlalchemy.pool import NullPool

import dialogs.nlu as nlu_package
from bot.bootstrap import App, build_app
from dialogs.nlu import NluModel
from dialogs.nlu.paths import nlu_data_dir
from dialogs.nlu.training_data import fingerprint
from services.accounts.passwords import PasswordHasher
from services.core.clock import PARIS, Clock
from services.core.db import UowFactory, make_uow_factory
from services.core.schema import upgrade
from services.core.sealing import OutboxSealer
from services.core.settings import Settings
from services.demo.seed import seed_demo

TODAY = date(2026, 11, 23)
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
TEST_PASSWORDS = PasswordHasher(argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
TEST_SEALER = OutboxSealer.generate()
"""argon2id at its cheapest: the same code paths as production, at a fraction of a millisecond."""

# Databases of this run are named after the process, so concurrent runs on one server never meet.
_PG_PREFIX = "bbtest_"
_PG_RUN = f"{_PG_PREFIX}{os.getpid()}_"


class TestClock:
    """A clock the test moves by hand: time does not pass unless the test says so."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment = self.moment + timedelta(**delta)


@pytest.fixture
def clock() -> TestClock:
    return TestClock(datetime.combine(TODAY, time(10, 0), tzinfo=PARIS))


def prepare_template(url: str) -> None:
    """Migrate `url` to the latest schema and load the demo data as of `TODAY`."""
    upgrade(url)
    factory = make_uow_factory(url, passwords=TEST_PASSWORDS, sealer=TEST_SEALER)
    seed_demo(factory(), today=TODAY)
    factory.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the migrated schema and the demo data (its WAL checkpointed)."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    prepare_template(f"sqlite:///{path}")
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
    return path


@dataclass(frozen=True)
class PostgresRun:
    """This run's PostgreSQL database: the `template` schema holds the migrated, seeded demo
    data; `public` (what tests connect to) is migrated once and reset from `template` per test."""

    url: str
    reset_script: str


def _reset_script(engine: Engine) -> str:
    """SQL that empties `public` and copies `template` into it, sequences included."""
    metadata = MetaData()
    metadata.reflect(engine, schema="public")
    tables = [t for t in metadata.sorted_tables if t.name != "alembic_version"]
    statements = [f"DELETE FROM public.{t.name};" for t in reversed(tables)]
    statements += [f"INSERT INTO public.{t.name} SELECT * FROM template.{t.name};" for t in tables]
    statements += [
        f"SELECT setval(pg_get_serial_sequence('public.{t.name}', 'id'), "
        f"COALESCE((SELECT max(id) FROM public.{t.name}), 0) + 1, false);"
        for t in tables
        if "id" in t.c
    ]
    return "\n".join(statements)


@pytest.fixture(scope="session")
def postgres_run() -> Iterator[PostgresRun]:
    """Creates this run's database (dropped at the end), its template and its working schema.

    Measured on the 2-core CI machine under load, per test: CREATE DATABASE ... TEMPLATE 1.5 s
    (and 0.35 s to drop it), TRUNCATE and copy 0.45 s, DELETE and copy 0.05 s: hence the last.
    """
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"{_PG_RUN}{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        with contextlib.suppress(Exception):
            _drop_databases_of_dead_runs(connection)
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("CREATE SCHEMA template"))
        prepare_template(f"{url}?options=-csearch_path%3Dtemplate")
        upgrade(url)
        yield PostgresRun(url=url, reset_script=_reset_script(engine))
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _drop_databases_of_dead_runs(connection: Connection) -> None:
    """Databases left by a run that was killed before its clean-up (its process is gone)."""
    names = connection.execute(
        text("SELECT datname FROM pg_database WHERE datname LIKE :prefix"),
        {"prefix": f"{_PG_PREFIX}%"},
    ).scalars()
    for name in list(names):
        pid = name.removeprefix(_PG_PREFIX).split("_", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reset_postgres(run: PostgresRun) -> None:
    """Give `public` the demo data back; connections a previous test left open are closed."""
    engine = create_engine(run.url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            connection.exec_driver_sql(run.reset_script)
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """This test's database, migrated and holding the demo data as of `TODAY`: a copy of the
    SQLite template, or PostgreSQL's working schema reset from its template."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    run: PostgresRun = request.getfixturevalue("postgres_run")
    _reset_postgres(run)
    return run.url


@pytest.fixture
def uow_factory(database_url: str) -> Iterator[UowFactory]:
    """Units of work on this test's database (demo data loaded)."""
    factory = make_uow_factory(database_url, passwords=TEST_PASSWORDS, sealer=TEST_SEALER)
    yield factory
    factory.dispose()


@pytest.fixture(scope="session")
def nlu_model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The NLU model of the bundled training data, trained once for the whole run.

    Training takes half a minute, so the model is also kept between runs in the user's cache,
    under a key made of the training data and the NLU code: any change to either trains anew.
    """
    path = tmp_path_factory.mktemp("nlu") / "nlu-model.pkl"
    cached = _nlu_cache_dir() / f"nlu-{_nlu_key()}.pkl"
    cached.parent.mkdir(parents=True, exist_ok=True)
    # Parallel workers (pytest-xdist) wait for the one that trains instead of training too.
    with open(cached.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not cached.exists():
            NluModel.train().save(cached)
    shutil.copyfile(cached, path)
    return path


def _nlu_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bailleur-bot" / "test-models"


def _nlu_key() -> str:
    digest = hashlib.sha256(fingerprint(nlu_data_dir()).encode())
    for source in sorted(Path(nlu_package.__file__).parent.rglob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:24]


def settings_for(data_dir: Path, database_url: str, nlu_model_file: Path) -> Settings:
    return Settings(
        BAILLEUR_DATA_DIR=data_dir, DATABASE_URL=database_url, BAILLEUR_NLU_MODEL=nlu_model_file
    )


@pytest.fixture
def make_app(
    database_url: str, tmp_path: Path, nlu_model_file: Path, clock: Clock
) -> Iterator[Callable[[], App]]:
    """Builds the application on the test database; call it again to simulate a restart."""

    built: list[App] = []

    def build() -> App:
        settings = settings_for(tmp_path / "data", database_url, nlu_model_file)
        app = build_app(settings, clock=clock, passwords=TEST_PASSWORDS)
        built.append(app)
        return app

    yield build
    for app in built:
        app.dispose()


@pytest.fixture
def app(make_app: Callable[[], App]) -> App:
    return make_app()
