"""The webhook supervisor: one listening port, N worker processes, a dead worker restarted.

The supervisor binds the port, registers the webhook (URL, secret token, allowed updates) and the
command menu with Telegram once, loads the application (domain, NLU model) once, and then forks
its workers: each inherits the socket and the loaded application, so a worker killed at any
moment is back in milliseconds, not after seconds of loading. The kernel spreads incoming
connections over the workers. A killed worker is forked again at once; one that keeps failing on
its own right after its start is restarted after a pause that grows. SIGTERM or SIGINT stops the workers (each finishes its in-flight updates) and
then the supervisor.

Nothing the supervisor loads holds a connection or a thread when it forks: the database engine
connects on first use, in each worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

from telegram import Bot

from .app import ALLOWED_UPDATES, TelegramSettings, WebhookOptions, publish_commands_with

_LOG = logging.getLogger(__name__)
_POLL_S = 0.05
_STOP_GRACE_S = 15.0


@dataclass
class _Slot:
    """One worker place: its current process, and how often it died young in a row."""

    index: int
    pid: int | None = None
    started: float = 0.0
    quick_deaths: int = 0
    restart_at: float = 0.0


def bind(listen: str, port: int) -> socket.socket:
    """The listening socket every worker shares."""
    return socket.create_server((listen, port), backlog=2048)


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
    """Forks `workers` processes running `work()` (which returns an exit code) and keeps them
    running until SIGTERM or SIGINT."""

    def __init__(self, work: Callable[[], int], *, workers: int) -> None:
        self.work = work
        self.slots = [_Slot(index) for index in range(workers)]
        self.stopping = False

    def _start(self, slot: _Slot) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                code = self.work()
            except BaseException:
                _LOG.exception("Worker %s failed", slot.index)
            finally:
                logging.shutdown()
                os._exit(code)
        slot.pid = pid
        slot.started = time.monotonic()
        _LOG.info("Worker %s started (pid %s)", slot.index, pid)

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
        if slot.pid is not None:
            pid, status = os.waitpid(slot.pid, os.WNOHANG)
            if pid == 0:
                return
            # Killed from outside (the OOM killer, an operator): back at once. Failing on its
            # own right after its start (a configuration error): back after a growing pause.
            failed_young = not os.WIFSIGNALED(status) and now - slot.started < 5.0
            slot.quick_deaths = slot.quick_deaths + 1 if failed_young else 0
            slot.restart_at = now + (min(0.1 * 2**slot.quick_deaths, 30.0) if failed_young else 0)
            _LOG.warning("Worker %s (pid %s) ended: %s", slot.index, pid, _describe(status))
            slot.pid = None
        if now >= slot.restart_at and not self.stopping:
            self._start(slot)

    def _ask_stop(self, _signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def _stop_all(self) -> None:
        running = [slot.pid for slot in self.slots if slot.pid is not None]
        for pid in running:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + _STOP_GRACE_S
        for pid in running:
            while os.waitpid(pid, os.WNOHANG)[0] == 0:
                if time.monotonic() > deadline:
                    _signal(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    break
                time.sleep(_POLL_S)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def supervise(
    settings: TelegramSettings,
    options: WebhookOptions,
    *,
    workers: int,
    load: Callable[[], object],
) -> int:
    """Bind, register the webhook, load the application (`load`), then run `workers` workers
    until SIGTERM/SIGINT."""
    from .worker import run_worker

    if not options.secret:
        raise ValueError("TELEGRAM_WEBHOOK_SECRET is required in webhook mode")
    if not options.url.startswith("https://"):
        raise ValueError("the webhook URL must be a public https:// URL")
    listener = bind(options.listen, options.port)
    asyncio.run(register_webhook(settings, options))
    app = load()

    def work() -> int:
        run_worker(app, listener=listener, secret=options.secret, url_path=options.url_path)
        return 0

    _LOG.info("Webhook on %s:%s with %s workers", options.listen, options.port, workers)
    try:
        return Supervisor(work, workers=workers).run()
    finally:
        listener.close()
