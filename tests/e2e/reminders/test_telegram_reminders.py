"""The weekly reminder on Telegram: /rappels through the bot, the daily JobQueue job sending the
reminder through the Bot API with its buttons, its button pressed afterwards, the job run again
the same week sending nothing, and `bailleur-bot remind` sending through the Bot API too."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from bot.telegram.app import build_application
from bot.telegram.reminders import JOB_NAME
from tests.e2e.telegram_harness import BotRunner, UserChat, make_app, plain, texts
from tests.fakes.bot_api import TOKEN, FakeBotApi


def run_job_once(api: FakeBotApi, nlu_dir: Path, demo_db: Path) -> None:
    """Another worker on the same database runs the daily job now."""
    app = make_app(nlu_dir, demo_db, api)

    async def run() -> None:
        application = build_application(app.engine, app.settings, reminders=app.reminders)
        assert application.job_queue is not None
        (job,) = application.job_queue.get_jobs_by_name(JOB_NAME)
        async with application:
            await job.run(application)

    try:
        asyncio.run(run())
    finally:
        app.dispose()


def reminders_to(api: FakeBotApi, chat_id: int) -> list[str]:
    return [plain(c) for c in api.calls_to("sendMessage", chat_id) if plain(c).startswith("Rappel")]


def test_the_job_is_scheduled_daily_at_ten_paris_time(
    api: FakeBotApi, nlu_dir: Path, demo_db: Path
) -> None:
    app = make_app(nlu_dir, demo_db, api)
    try:
        application = build_application(app.engine, app.settings, reminders=app.reminders)
        assert application.job_queue is not None
        (job,) = application.job_queue.get_jobs_by_name(JOB_NAME)
        assert job.name == JOB_NAME
    finally:
        app.dispose()


def test_a_reminder_reaches_the_chat_once_and_its_button_starts_the_rents(
    user: UserChat, api: FakeBotApi, bot: BotRunner, nlu_dir: Path, demo_db: Path
) -> None:
    user.login()
    assert "désactivés" in texts(user.say("/rappels"))
    assert "je vous rappellerai" in texts(user.press("Activer les rappels"))
    run_job_once(api, nlu_dir, demo_db)
    assert reminders_to(api, user.chat_id) == [
        "Rappel : il reste 4 loyers à saisir sur 6 pour la campagne des loyers de juillet 2026."
    ]
    reminder = api.calls_to("sendMessage", user.chat_id)[-1]
    assert [label for label, _ in reminder.buttons] == ["Saisir mes loyers", "Ne plus me rappeler"]
    assert "Il reste 4 loyers à saisir sur 6" in texts(user.press("Saisir mes loyers"))
    run_job_once(api, nlu_dir, demo_db)
    assert len(reminders_to(api, user.chat_id)) == 1


def test_the_remind_command_sends_through_the_bot_api(
    user: UserChat,
    api: FakeBotApi,
    bot: BotRunner,
    nlu_dir: Path,
    demo_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user.login("jean.martin", "Martin-Demo-2026")
    assert "je vous rappellerai" in texts(user.say("rappelez-moi chaque semaine svp"))
    for name, value in {
        "DATABASE_URL": f"sqlite:///{demo_db}",
        "BAILLEUR_DATA_DIR": str(nlu_dir),
        "BAILLEUR_TODAY": "2026-11-23",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "TELEGRAM_BASE_FILE_URL": api.base_file_url,
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["remind"]) == 0
    assert "Rappels envoyés : 1" in capsys.readouterr().out
    assert len(reminders_to(api, user.chat_id)) == 1
    assert main(["remind"]) == 0
    assert "Rappels envoyés : 0" in capsys.readouterr().out
    assert len(reminders_to(api, user.chat_id)) == 1
