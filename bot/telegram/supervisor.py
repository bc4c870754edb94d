"""The webhook supervisor: one listening port, N worker processes, a dead worker restarted.

The supervisor binds the port once and hands the socket to every worker it starts (`worker.py`);
the kernel spreads incoming connections over them. It registers the webhook (URL, secret token,
allowed updates) and the command menu with Telegram once, then watches its workers: one that
exits or is killed is started again, after a pause that grows while workers keep dying at once.
SIGTERM or SIGINT stops the workers (each finishes its in-flight updates) and then itself.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType

from telegram import Bot

from .app import ALLOWED_UPDATES, TelegramSettings, WebhookOptions, publish_commands_with

_LOG = logging.getLogger(__name__)
_POLL_S = 0.1
_STOP_GRACE_S = 15.0


@dataclass
class _Slot:
    """One worker place: its current process, and how often it died young in a row."""

    index: int
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    quick_deaths: int = 0
    restart_at: float = 0.0
    restarts: int = field(default=0)


def bind(listen: str, port: int) -> socket.socket:
    """The listening socket every worker shares, inheritable by child processes."""
    listener = socket.create_server((listen, port), backlog=2048)
    os.set_inheritable(listener.fileno(), True)
    return listener


async def register_webhook(settings: TelegramSettings, options: WebhookOptions) -> None:
    """Tell Telegram where to push updates, with the secret it must send back."""
    bot = Bot(
        settings.telegram_bot_token,
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
    )
    path = options.url_path.strip("/")
    async with bot:
        await bot.set_webhook(
            f"{options.url.rstrip('/')}/{path}",
            secret_token=options.secret,
            allowed_updates=list(ALLOWED_UPDATES),
            max_connections=100,
        )
        await publish_commands_with(bot)


class Supervisor:
    """Starts `workers` worker processes on `listener` and keeps them running."""

    def __init__(self, listener: socket.socket, *, workers: int, url_path: str) -> None:
        self.listener = listener
        self.url_path = url_path
        self.slots = [_Slot(index) for index in range(workers)]
        self.stopping = False

    def _command(self) -> list[str]:
        fd = str(self.listener.fileno())
        return [sys.executable, "-m", "bot.cli", "telegram-worker", "--fd", fd, "--url-path",
                self.url_path]  # fmt: skip

    def _start(self, slot: _Slot) -> None:
        slot.process = subprocess.Popen(self._command(), pass_fds=(self.listener.fileno(),))
        slot.started = time.monotonic()
        _LOG.info("Worker %s started (pid %s)", slot.index, slot.process.pid)

    def pids(self) -> list[int]:
        return [s.process.pid for s in self.slots if s.process and s.process.poll() is None]

    def run(self) -> int:
        """Supervise until asked to stop; returns the exit code."""
        signal.signal(signal.SIGTERM, self._ask_stop)
        signal.signal(signal.SIGINT, self._ask_stop)
        for slot in self.slots:
            self._start(slot)
        while not self.stopping:
            time.sleep(_POLL_S)
            for slot in self.slots:
                self._watch(slot)
        self._stop_all()
        return 0

    def _watch(self, slot: _Slot) -> None:
        now = time.monotonic()
        process = slot.process
        if process is not None:
            code = process.poll()
            if code is None:
                return
            young = now - slot.started < 5.0
            slot.quick_deaths = slot.quick_deaths + 1 if young else 0
            slot.restart_at = now + min(0.2 * 2**slot.quick_deaths, 30.0) if young else now
            slot.process = None
            _LOG.warning("Worker %s (pid %s) exited with %s", slot.index, process.pid, code)
        if now >= slot.restart_at and not self.stopping:
            slot.restarts += 1
            self._start(slot)

    def _ask_stop(self, _signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def _stop_all(self) -> None:
        running = [s.process for s in self.slots if s.process is not None]
        for process in running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + _STOP_GRACE_S
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def supervise(settings: TelegramSettings, options: WebhookOptions, *, workers: int) -> int:
    """Bind, register the webhook, then run `workers` workers until SIGTERM/SIGINT."""
    if not options.secret:
        raise ValueError("TELEGRAM_WEBHOOK_SECRET is required in webhook mode")
    if not options.url.startswith("https://"):
        raise ValueError("the webhook URL must be a public https:// URL")
    listener = bind(options.listen, options.port)
    asyncio.run(register_webhook(settings, options))
    _LOG.info("Webhook on %s:%s with %s workers", options.listen, options.port, workers)
    try:
        return Supervisor(listener, workers=workers, url_path=options.url_path).run()
    finally:
        listener.close()
