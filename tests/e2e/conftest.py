"""Fixtures of the Telegram end-to-end tests of every capability (see `telegram_harness`).

Each test module gets its own SQLite database with the demo data (a copy of the session's
template) and its own fake Bot API; the NLU model is the session's, trained once.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.telegram_harness import BotRunner, UserChat, make_app
from tests.fakes.bot_api import FakeBotApi


@pytest.fixture(scope="session")
def nlu_dir(tmp_path_factory: pytest.TempPathFactory, nlu_model_file: Path) -> Path:
    """A data dir holding the session's trained NLU model, which the bot loads (never retrains)."""
    directory = tmp_path_factory.mktemp("telegram-data")
    shutil.copyfile(nlu_model_file, directory / "nlu-model.pkl")
    return directory


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """This module's SQLite database: a copy of the session's migrated and seeded template."""
    db_path = tmp_path_factory.mktemp("telegram-db") / "bailleur.db"
    shutil.copyfile(sqlite_template, db_path)
    return db_path


@pytest.fixture(scope="module")
def bot(api: FakeBotApi, nlu_dir: Path, demo_db: Path) -> Iterator[BotRunner]:
    runner = BotRunner(make_app(nlu_dir, demo_db, api), api).start()
    try:
        yield runner
    finally:
        runner.stop()


_chat_ids = iter(range(70_001, 80_000))


@pytest.fixture
def user(api: FakeBotApi, bot: BotRunner) -> UserChat:
    """A new private chat, so tests of one module do not share a conversation."""
    return UserChat(api, bot, next(_chat_ids))
