"""One webhook worker process: Telegram's updates arrive over HTTP and are answered after the turn.

The worker serves a listening socket it inherited from the supervisor (`supervisor.py`), so the
kernel spreads connections over every worker on the port. An update is acknowledged (HTTP 200)
only once its turn is committed and its reply sent: if the worker dies in between, Telegram gets
no answer and delivers the update again, to whichever worker, and the engine answers it from the
committed turn (or runs it, if it was never committed). Messages of one chat are ordered inside a
worker by the update processor and across workers by the conversation row lock.

`GET /health` answers 200 when the database answers, 503 otherwise, with the worker's pid.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import signal
import socket
from typing import Any

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import Application

from services.core.db import UowFactory, database_answers

from .app import TelegramApp, build_application, quiet_transport_logs

_LOG = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _UpdateHandler(tornado.web.RequestHandler):
    """POST of one update by Telegram; 403 without the secret token, 400 for a body that is not
    an update, 200 once the update was fully handled."""

    def initialize(self, application: Application, secret: str) -> None:
        self.application_ = application
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            return
        try:
            update = Update.de_json(json.loads(self.request.body), self.application_.bot)
        except (ValueError, TypeError, KeyError):
            self.set_status(400)
            return
        processor = self.application_.update_processor
        await processor.process_update(update, self.application_.process_update(update))
        self.set_status(200)


class _HealthHandler(tornado.web.RequestHandler):
    def initialize(self, uow_factory: UowFactory) -> None:
        self.uow_factory = uow_factory

    async def get(self) -> None:
        healthy = await asyncio.to_thread(database_answers, self.uow_factory)
        self.set_status(200 if healthy else 503)
        self.write({"status": "ok" if healthy else "unavailable", "pid": os.getpid()})


async def serve(app: Any, *, listener: socket.socket, secret: str, url_path: str) -> None:
    """Serve updates on `listener` until SIGTERM or SIGINT; in-flight updates are finished."""
    telegram_app: TelegramApp = app
    application = build_application(telegram_app.engine, telegram_app.settings)
    routes: list[Any] = [
        (f"/{url_path.strip('/')}", _UpdateHandler, {"application": application, "secret": secret}),
        ("/health", _HealthHandler, {"uow_factory": app.uow_factory}),
    ]
    server = tornado.httpserver.HTTPServer(tornado.web.Application(routes))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with application:
        listener.setblocking(False)
        server.add_sockets([listener])
        _LOG.info("Webhook worker %s ready", os.getpid())
        await stop.wait()
        server.stop()
        await asyncio.wait_for(server.close_all_connections(), timeout=10)
    _LOG.info("Webhook worker %s stopped", os.getpid())


def run_worker(app: Any, *, fd: int, secret: str, url_path: str) -> None:
    """Entry point of a worker process started by the supervisor with the listening socket `fd`."""
    if not secret:
        raise ValueError("TELEGRAM_WEBHOOK_SECRET is required in webhook mode")
    quiet_transport_logs()
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    listener = socket.socket(fileno=fd)
    try:
        asyncio.run(serve(app, listener=listener, secret=secret, url_path=url_path))
    finally:
        app.dispose()
