"""One webhook worker process: Telegram's updates arrive over HTTP and are answered after the turn.

The worker serves the listening socket it inherited from the supervisor (`supervisor.py`), so the
kernel spreads connections over every worker on the port. An update is acknowledged (HTTP 200)
only once its turn is committed and its reply sent: if the worker dies in between, Telegram gets
no answer and delivers the update again, to whichever worker, and the engine answers it from the
committed turn (or runs it, if it was never committed). Messages of one chat are ordered inside a
worker by the update processor and across workers by the conversation row lock.

A reply that Telegram could not take for a passing reason (network, its servers, a flood limit) is
not acknowledged either (503): the update comes again and gets the committed turn's reply.

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
from .channel import UNDELIVERED

_LOG = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _InFlight:
    """Counts the updates being handled, so a stopping worker finishes them first."""

    def __init__(self) -> None:
        self.count = 0
        self.idle = asyncio.Event()
        self.idle.set()

    def __enter__(self) -> None:
        self.count += 1
        self.idle.clear()

    def __exit__(self, *_exc: object) -> None:
        self.count -= 1
        if self.count == 0:
            self.idle.set()


class _UpdateHandler(tornado.web.RequestHandler):
    """POST of one update by Telegram; 403 without the secret token, 400 for a body that is not
    an update, 200 once the update was fully handled, 503 when its reply could not be sent yet."""

    def initialize(self, telegram: Application, secret: str, in_flight: _InFlight) -> None:
        self.telegram = telegram
        self.secret = secret
        self.in_flight = in_flight

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            return
        try:
            update = Update.de_json(json.loads(self.request.body), self.telegram.bot)
        except Exception:  # not JSON, or not an update: nothing to retry
            self.set_status(400)
            return
        processor = self.telegram.update_processor
        undelivered: list[int] = []
        token = UNDELIVERED.set(undelivered)
        try:
            with self.in_flight:
                await processor.process_update(update, self.telegram.process_update(update))
        finally:
            UNDELIVERED.reset(token)
        # A reply Telegram could not take now: not acknowledged, so the update comes again and
        # its committed turn's reply is sent then.
        self.set_status(503 if undelivered else 200)


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
    in_flight = _InFlight()
    handler_arguments = {"telegram": application, "secret": secret, "in_flight": in_flight}
    routes: list[Any] = [
        (f"/{url_path.strip('/')}", _UpdateHandler, handler_arguments),
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
        await asyncio.wait_for(in_flight.idle.wait(), timeout=10)
        await asyncio.wait_for(server.close_all_connections(), timeout=5)
    _LOG.info("Webhook worker %s stopped", os.getpid())


def run_worker(app: Any, *, listener: socket.socket, secret: str, url_path: str) -> None:
    """Body of a worker process forked by the supervisor, serving the shared `listener`."""
    if not secret:
        raise ValueError("TELEGRAM_WEBHOOK_SECRET is required in webhook mode")
    quiet_transport_logs()
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    try:
        asyncio.run(serve(app, listener=listener, secret=secret, url_path=url_path))
    finally:
        app.dispose()
