"""The ways the bot is started: webhook mode with its secret token, and `run_telegram` itself."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.telegram import WebhookOptions
from bot.telegram.app import webhook_arguments
from tests.e2e.telegram_harness import BotRunner, make_app, plain
from tests.fakes.bot_api import TOKEN, FakeBotApi

SECRET = "s3cret-Token_for-tests"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _post(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        return int(error.code)


def _text_update(update_id: int, chat_id: int, text: str) -> dict:
    chat = {"id": chat_id, "type": "private", "first_name": "Bailleur"}
    user = {"id": chat_id, "is_bot": False, "first_name": "Bailleur"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": user, "text": text}
    return {"update_id": update_id, "message": message}


def test_webhook_requires_the_secret_token(tmp_path: Path, nlu_dir: Path, demo_db: Path) -> None:
    port = _free_port()
    options = WebhookOptions(
        listen="127.0.0.1", port=port, url="https://bot.example.org/", secret=SECRET
    )
    url = f"http://127.0.0.1:{port}/telegram"
    with FakeBotApi() as api:
        runner = BotRunner(make_app(nlu_dir, demo_db, api), api, webhook=options).start()
        try:
            assert api.webhook_url == "https://bot.example.org/telegram"
            (set_webhook,) = api.calls_to("setWebhook")
            assert set_webhook.params["secret_token"] == SECRET

            assert _post(url, _text_update(1, 555, "/start"), None) == 403
            assert _post(url, _text_update(2, 555, "/start"), "wrong") == 403
            assert _post(url, _text_update(3, 555, "/start"), SECRET) == 200
            runner.wait_done(3)
            # Only the authenticated update was handled.
            assert set(runner.done) == {3}
            (greeting,) = api.calls_to("sendMessage", 555)
            assert "Bonjour" in plain(greeting)
        finally:
            runner.stop()


def test_webhook_options_are_checked() -> None:
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET"):
        webhook_arguments(WebhookOptions(url="https://bot.example.org"), "")
    with pytest.raises(ValueError, match="https"):
        webhook_arguments(WebhookOptions(url="http://bot.example.org"), SECRET)


@pytest.mark.slow
def test_cli_runs_the_bot_until_sigterm(nlu_dir: Path, demo_db: Path) -> None:
    """`bailleur-bot telegram` (polling) answers, publishes its commands and stops cleanly."""
    with FakeBotApi() as api:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{demo_db}",
            "BAILLEUR_DATA_DIR": str(nlu_dir),
            "BAILLEUR_TODAY": "2026-11-23",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": api.base_url,
            "TELEGRAM_BASE_FILE_URL": api.base_file_url,
            "BAILLEUR_LOG_LEVEL": "DEBUG",
        }
        code = "from bot.cli import main; raise SystemExit(main(['telegram']))"
        process = subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            api.wait_until(lambda: bool(api.calls_to("setMyCommands")), timeout=60)
            api.user_text(777, "Texte-Tres-Prive /aide")
            api.wait_until(lambda: bool(api.calls_to("sendMessage", 777)), timeout=30)
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=10)
        assert process.returncode == 0, err[-2000:]
        # Even at DEBUG level, neither the user's text nor the token reaches the logs.
        assert "Texte-Tres-Prive" not in out + err
        assert TOKEN not in out + err
