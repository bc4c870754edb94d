"""The Telegram e2e harness: the real PTB application, polling a fake Bot API, driven like a user.

The bot runs in a thread with its own event loop (no pytest-asyncio needed); tests talk to it only
through the fake server, as a Telegram user would, and know a turn is over when the update
processor reports the update done (no sleeping).
"""

from __future__ import annotations

import asyncio
import html
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from tests.fakes.bot_api import TOKEN, Call, FakeBotApi

TURN_TIMEOUT = 30.0
LOGIN = "oliviers.admin"
PASSWORD = "Oliviers-Demo-2026"


def plain(call: Call) -> str:
    """The text the user reads (the bot sends escaped HTML)."""
    return html.unescape(call.text)


class BotRunner:
    """Runs `build_application(...)` in a background thread, the way `run_polling` would."""

    def __init__(self, app: Any, api: FakeBotApi, webhook: Any = None, **options: Any) -> None:
        """`webhook`: `WebhookOptions` to receive updates by webhook instead of polling;
        `options`: extra keyword arguments of `build_application`."""
        self.options = options
        self.app = app
        self.api = api
        self.webhook = webhook
        self.done: Counter[int] = Counter()
        self._cond = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="telegram-bot", daemon=True)

    def _on_done(self, update_id: int) -> None:
        with self._cond:
            self.done[update_id] += 1
            self._cond.notify_all()

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        from bot.telegram.app import ALLOWED_UPDATES, build_application, webhook_arguments

        application = build_application(
            self.app.engine, self.app.settings, on_update_done=self._on_done, **self.options
        )
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with application:
            assert application.post_init is not None
            await application.post_init(application)
            assert application.updater is not None
            if self.webhook is None:
                await application.updater.start_polling(
                    poll_interval=0, timeout=1, allowed_updates=list(ALLOWED_UPDATES)
                )
            else:
                await application.updater.start_webhook(
                    **webhook_arguments(self.webhook, self.webhook.secret)
                )
            await application.start()
            self._ready.set()
            await self._stop.wait()
            await application.updater.stop()
            await application.stop()

    def start(self) -> BotRunner:
        self._thread.start()
        assert self._ready.wait(30), "bot did not start"
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)
        assert not self._thread.is_alive(), "bot did not stop"
        if self._error is not None:
            raise self._error

    def wait_done(self, update_id: int, times: int = 1, timeout: float = TURN_TIMEOUT) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: self.done[update_id] >= times, timeout)
        assert ok, f"update {update_id} not processed within {timeout}s"


class UserChat:
    """One Telegram user in a private (or group) chat with the bot."""

    def __init__(
        self, api: FakeBotApi, runner: BotRunner, chat_id: int, chat_type: str = "private"
    ):
        self.api = api
        self.runner = runner
        self.chat_id = chat_id
        self.chat_type = chat_type

    def say(self, text: str) -> list[Call]:
        """Send a text and return every Bot API call the bot made for this chat in reply."""
        mark = len(self.api.calls)
        update = self.api.user_text(self.chat_id, text, chat_type=self.chat_type)
        self.runner.wait_done(update["update_id"])
        self.last_update = update
        return self.api.calls_for(self.chat_id, since=mark)

    def photo(self) -> list[Call]:
        mark = len(self.api.calls)
        update = self.api.user_photo(self.chat_id, chat_type=self.chat_type)
        self.runner.wait_done(update["update_id"])
        return self.api.calls_for(self.chat_id, since=mark)

    def press_data(self, message_id: int, data: str) -> list[Call]:
        mark = len(self.api.calls)
        update = self.api.press(self.chat_id, message_id, data)
        self.runner.wait_done(update["update_id"])
        self.last_update = update
        return self.api.calls_for(self.chat_id, since=mark)

    def keyboard_message(self, label_prefix: str) -> tuple[int, str]:
        """(message_id, callback_data) of the newest bot message offering a button so labelled."""
        for call in reversed(self.api.calls_for(self.chat_id)):
            for label, data in call.buttons:
                if label.startswith(label_prefix) and isinstance(call.result, dict):
                    return call.result["message_id"], data
        raise AssertionError(f"no button {label_prefix!r} offered in chat {self.chat_id}")

    def press(self, label_prefix: str) -> list[Call]:
        """Press the newest button whose label starts with `label_prefix`."""
        message_id, data = self.keyboard_message(label_prefix)
        return self.press_data(message_id, data)

    def login(self, login: str = LOGIN, password: str = PASSWORD) -> None:
        self.say("je veux me connecter")
        self.say(login)
        calls = self.say(password)
        assert "Connexion réussie" in texts(calls), texts(calls)


def texts(calls: list[Call]) -> str:
    """Everything the user can read from these calls, joined."""
    return "\n".join(plain(c) for c in calls if c.method in ("sendMessage", "sendDocument"))


def make_app(data_dir: Path, db_path: Path, api: FakeBotApi) -> Any:
    """A fresh `App` on `db_path`, configured for the fake Bot API (as the CLI would)."""
    from bot.bootstrap import build_app
    from services.core.settings import Settings
    from tests.conftest import TEST_PASSWORDS

    settings = Settings.model_validate(
        {
            "DATABASE_URL": f"sqlite:///{db_path}",
            "BAILLEUR_DATA_DIR": str(data_dir),
            "BAILLEUR_TODAY": "2026-11-23",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": api.base_url,
            "TELEGRAM_BASE_FILE_URL": api.base_file_url,
        }
    )
    return build_app(settings, passwords=TEST_PASSWORDS)
