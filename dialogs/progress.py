"""Progress of a long action, shown by the channel while the turn is still running.

A turn returns its reply only at its end; transmitting 2 000 rents takes seconds. The channel sets
a reporter for the turn (Telegram edits one message, the terminal rewrites one line); an action
calls `report` with a text as it goes. Without a reporter (tests, the rasa-sdk server) nothing
is shown and nothing fails.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

Reporter = Callable[[str, bool], None]
"""Called with the text to show, and True for the last report of the task."""

REPORTER: ContextVar[Reporter | None] = ContextVar("progress_reporter", default=None)


def report(text: str, *, last: bool = False) -> None:
    reporter = REPORTER.get()
    if reporter is not None:
        reporter(text, last)
