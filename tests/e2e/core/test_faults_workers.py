"""Webhook workers killed (SIGKILL) at random moments while landlords declare rents.

Several landlords talk at once to a cluster of two workers; a killer thread kills a random worker
at random moments, and the supervisor starts it again. Updates are pushed the way
Telegram does (again until acknowledged), so an update whose worker died is delivered again.
Every message must get its reply, every conversation must go on where it was, and at the end
every rent must be declared exactly once. About 25 s by default; `BAILLEUR_FAULT_SECONDS=600`
runs longer.
"""

from __future__ import annotations

import html
import os
import random
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.core.db import make_uow_factory
from services.declarations.models import RentDeclaration
from services.demo.population import Landlord, add_landlords
from services.tenants.models import Tenant
from tests.conftest import POSTGRES_URL, TEST_PASSWORDS, PostgresRun, _reset_postgres
from tests.e2e.core.webhook_cluster import Cluster
from tests.fakes.bot_api import FakeBotApi

pytestmark = pytest.mark.slow
FAULT_SECONDS = float(os.environ.get("BAILLEUR_FAULT_SECONDS", "15"))
EXTRA_SECONDS = 45.0
PASSWORD = "Charge-Essai-2026"
USERS = 4
TENANTS_EACH = 8


@pytest.fixture
def cluster_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """PostgreSQL when the run has one, otherwise a SQLite copy of the demo template."""
    if POSTGRES_URL:
        run: PostgresRun = request.getfixturevalue("postgres_run")
        _reset_postgres(run)
        return run.url
    path = tmp_path / "cluster.db"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def landlords(cluster_database: str) -> list[Landlord]:
    rounds = int(FAULT_SECONDS / 3) + 10
    factory = make_uow_factory(cluster_database, passwords=TEST_PASSWORDS)
    try:
        return add_landlords(
            factory(), count=USERS * rounds, tenants_each=TENANTS_EACH, password=PASSWORD
        )
    finally:
        factory.dispose()


@pytest.fixture
def cluster(cluster_database: str, tmp_path: Path, nlu_model_file: Path) -> Iterator[Cluster]:
    with FakeBotApi() as api:
        cluster = Cluster(
            api=api,
            database_url=cluster_database,
            data_dir=tmp_path / "data",
            nlu_model=nlu_model_file,
            log_path=tmp_path / "cluster.log",
        ).start()
        try:
            yield cluster
        finally:
            assert cluster.stop() == 0


class Landlords:
    """One thread per chat: landlord after landlord, log in and declare every rent."""

    def __init__(self, cluster: Cluster, landlords: list[Landlord], deadline: float) -> None:
        self.cluster = cluster
        self.queue = list(landlords)
        self.lock = threading.Lock()
        self.deadline = deadline
        self.finished: list[Landlord] = []
        self.failures: list[str] = []
        self.messages = 0
        self.redeliveries = 0
        self.logging_in = 0  # chats whose password turn is running: argon2 takes seconds
        # On a loaded machine logins take longer and leave the killer fewer moments: the run
        # goes on past the deadline until there were enough kills and landlords, within a cap.
        self.enough: Callable[[], bool] = lambda: True
        self.cap = deadline + EXTRA_SECONDS

    def going_on(self) -> bool:
        now = time.monotonic()
        return now < self.deadline or (now < self.cap and not self.enough())

    def say(self, chat_id: int, text: str, expected: str) -> None:
        api = self.cluster.api
        mark = len(api.calls)
        update = api.user_text(chat_id, text)
        try:
            attempts = self.cluster.push(update)
        except AssertionError as error:
            with self.lock:
                self.failures.append(f"{text!r}: {error}")
            raise
        replies = [
            html.unescape(call.text)
            for call in api.calls_for(chat_id, since=mark)
            if call.method in ("sendMessage", "sendDocument")
        ]
        with self.lock:
            self.messages += 1
            self.redeliveries += attempts - 1
            if not any(expected in reply for reply in replies):
                self.failures.append(f"{text!r}: expected {expected!r}, got {replies!r}")

    def chat(self, chat_id: int) -> None:
        try:
            self._chat(chat_id)
        except AssertionError:
            return  # recorded in `failures`

    def _chat(self, chat_id: int) -> None:
        while self.going_on():
            with self.lock:
                if not self.queue:
                    return
                landlord = self.queue.pop(0)
            self.say(chat_id, landlord.login, "mot de passe")
            with self.lock:
                self.logging_in += 1
            try:
                self.say(chat_id, PASSWORD, "Connexion réussie")
            finally:
                with self.lock:
                    self.logging_in -= 1
            for name in landlord.tenant_names:
                self.say(chat_id, f"loyer {name.lower()} 330", "Récapitulatif")
                self.say(chat_id, "oui", "transmise")
            self.say(chat_id, "/deconnexion", "Déconnexion effectuée")
            with self.lock:
                self.finished.append(landlord)


def _killer(cluster: Cluster, users: Landlords, stop: threading.Event, kills: list[int]) -> None:
    """Kill a random worker at a random moment, again and again (sometimes one that is still
    starting: the pushes it had accepted are delivered again, as Telegram would). Not while a
    password is checked: argon2 takes seconds on purpose, and a login killed every time would
    never end; the identifier before it and every other turn are fair game."""
    chance = random.Random(15)
    while not stop.wait(chance.uniform(0.3, 2.0)):
        if users.logging_in:
            continue
        pids = cluster.worker_pids()
        if len(pids) == cluster.workers:
            victim = chance.choice(pids)
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                continue
            kills.append(victim)


def _declarations_per_tenant(database_url: str, landlords: list[Landlord]) -> dict[str, int]:
    factory = make_uow_factory(database_url)
    try:
        uow = factory()
        with uow:
            rows = uow.session.execute(
                select(Tenant.allocataire_number, func.count(RentDeclaration.id))
                .join(RentDeclaration, RentDeclaration.tenant_id == Tenant.id)
                .where(RentDeclaration.year == 2026, RentDeclaration.transmitted_at.is_not(None))
                .group_by(Tenant.allocataire_number)
            ).all()
            return {number: int(count) for number, count in rows}
    finally:
        factory.dispose()


def test_killed_workers_lose_nothing_and_double_nothing(
    cluster: Cluster, landlords: list[Landlord], cluster_database: str
) -> None:
    users = Landlords(cluster, landlords, deadline=time.monotonic() + FAULT_SECONDS)
    stop = threading.Event()
    kills: list[int] = []
    users.enough = lambda: len(kills) >= FAULT_SECONDS / 3 and len(users.finished) >= USERS
    killer = threading.Thread(target=_killer, args=(cluster, users, stop, kills), daemon=True)
    chats = [
        threading.Thread(target=users.chat, args=(90_001 + n,), daemon=True) for n in range(USERS)
    ]
    killer.start()
    for thread in chats:
        thread.start()
    for thread in chats:
        thread.join(timeout=FAULT_SECONDS + EXTRA_SECONDS + 120)
    stop.set()
    killer.join()

    assert not users.failures, users.failures[:5]
    assert len(kills) >= FAULT_SECONDS / 3, kills
    assert users.redeliveries > 0
    assert len(users.finished) >= USERS
    per_tenant = _declarations_per_tenant(cluster_database, landlords)
    declared = sum(len(landlord.tenant_names) for landlord in users.finished)
    assert sum(per_tenant.values()) >= declared
    assert set(per_tenant.values()) == {1}, "a rent was declared twice"
    time.sleep(1.0)
    assert len(cluster.worker_pids()) == 2  # the supervisor brought every worker back
    assert cluster.healthy_pids()
