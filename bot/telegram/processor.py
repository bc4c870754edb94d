"""Per-chat ordering with cross-chat concurrency for python-telegram-bot's update queue.

A conversation is a sequence: two messages of the same chat must reach the engine in the order the
user sent them, or a reply would answer the wrong question. Different chats share nothing, so they
run concurrently. PTB hands each update to `do_process_update` in the order it fetched them (one
task per update, started in order); an `asyncio.Lock` per chat, whose waiters are served first in
first out, keeps that order within a chat.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

_LOG = logging.getLogger(__name__)

# PTB takes a global semaphore slot *before* our per-chat lock. Sized well above any realistic
# burst so a busy chat waiting on its lock never starves other chats of slots; the real bound on
# work is `max_engine_calls`.
_QUEUE_SLOTS = 4096


def chat_key(update: object) -> int | None:
    """The chat an update belongs to, or None for updates without a chat (e.g. inline queries)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class _ChatLock:
    """A lock plus the number of tasks holding or waiting for it, so idle locks can be dropped."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialise the updates of one chat, run different chats concurrently.

    `max_engine_calls` bounds how many turns run at once (each one holds a database connection
    and a worker thread). `on_done` is called with the update id after each update is fully
    processed, error handler included; tests use it to know a turn is over without sleeping.
    """

    def __init__(
        self,
        max_engine_calls: int = 8,
        on_done: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates=_QUEUE_SLOTS)
        self._max_engine_calls = max_engine_calls
        self._engine_slots: asyncio.Semaphore | None = None
        self._locks: dict[int, _ChatLock] = {}
        self._on_done = on_done

    async def initialize(self) -> None:
        self._engine_slots = asyncio.Semaphore(self._max_engine_calls)

    async def shutdown(self) -> None:
        self._locks.clear()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            key = chat_key(update)
            if key is None:
                await self._run(coroutine)
                return
            entry = self._locks.get(key)
            if entry is None:
                entry = self._locks[key] = _ChatLock()
            entry.users += 1
            try:
                async with entry.lock:
                    await self._run(coroutine)
            finally:
                entry.users -= 1
                if entry.users == 0:
                    self._locks.pop(key, None)
        finally:
            if self._on_done is not None and isinstance(update, Update):
                try:
                    self._on_done(update.update_id)
                except Exception:  # an observer must never break the bot
                    _LOG.exception("on_done observer failed")

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        if self._engine_slots is None:
            self._engine_slots = asyncio.Semaphore(self._max_engine_calls)
        async with self._engine_slots:
            await coroutine
