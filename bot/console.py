"""The terminal channel: numbered choices, hidden password input, receipts saved to a folder."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.console_files import ProgressLine, read_attachment, typed_path
from dialogs.io import Inbound, Reply
from dialogs.progress import REPORTER
from dialogs.texts import text, words

QUIT_WORDS = set(words("console_quit"))
MAX_CHOICE_DIGITS = 2


def read_hidden(prompt: str) -> str:
    """A password: hidden on a terminal; from a pipe or a file, the line is read as it comes
    (nothing echoes it, and getpass would warn in English that it cannot hide it)."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    print(prompt, end="", flush=True)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    print(flush=True)
    return line.rstrip("\r\n")


class Console:
    """Reads lines, sends them to the engine, prints the reply; one chat per terminal user."""

    def __init__(
        self,
        handle: Callable[[Inbound], Reply],
        *,
        chat_id: str,
        receipts_dir: Path,
        read_line: Callable[[str], str] = input,
        read_secret: Callable[[str], str] = read_hidden,
        forget_last_line: Callable[[], None] = lambda: None,
        out: TextIO = sys.stdout,
    ) -> None:
        self._handle = handle
        self._chat_id = chat_id
        self._receipts_dir = receipts_dir
        self._read_line = read_line
        self._read_secret = read_secret
        self._forget_last_line = forget_last_line
        self._out = out
        self._choices: list[tuple[str, str]] = []
        self._expects_secret = False

    def _print(self, text: str = "") -> None:
        print(text, file=self._out, flush=True)

    def render(self, reply: Reply) -> None:
        self._choices = []
        for message in reply.messages:
            self._print(f"🤖 {message.text}")
            for choice in message.choices:
                self._choices.append((choice.label, choice.key))
                self._print(f"   {len(self._choices)}. {choice.label}")
            if message.document is not None:
                self._receipts_dir.mkdir(parents=True, exist_ok=True)
                path = self._receipts_dir / message.document.filename
                path.write_bytes(message.document.content)
                self._print(text("utter_console_document_saved", path=path))
        if reply.expects_secret is not None:  # None: the engine could not tell; stay as we were
            self._expects_secret = reply.expects_secret

    def to_inbound(self, line: str) -> Inbound:
        """A typed number or the exact label of a listed choice presses it; anything else is text."""
        text = line.strip()
        if (
            len(text) <= MAX_CHOICE_DIGITS
            and text.isascii()
            and text.isdecimal()
            and 1 <= int(text) <= len(self._choices)
        ):
            key = self._choices[int(text) - 1][1]
            return Inbound(channel="console", chat_id=self._chat_id, choice=key)
        for label, key in self._choices:
            if text.casefold() == label.casefold():
                return Inbound(channel="console", chat_id=self._chat_id, choice=key)
        path = typed_path(text)
        if path is not None:
            return Inbound(
                channel="console", chat_id=self._chat_id, attachment=read_attachment(path)
            )
        return Inbound(channel="console", chat_id=self._chat_id, text=text)

    def run(self, *, first_message: str = "/start") -> None:
        """Chat until Ctrl-D (or /quitter); the conversation, a form in progress included, is
        kept in the database for the next start."""
        token = REPORTER.set(ProgressLine(self._out))
        try:
            self._talk(first_message)
        finally:
            REPORTER.reset(token)

    def _talk(self, first_message: str) -> None:
        first = Inbound(channel="console", chat_id=self._chat_id, text=first_message)
        self.render(self._handle(first))
        while True:
            secret = self._expects_secret
            try:
                if secret:
                    line = self._read_secret(text("utter_console_password_prompt"))
                else:
                    line = self._read_line("vous> ")
            except (EOFError, KeyboardInterrupt):
                self._print()
                self._print(text("utter_console_goodbye"))
                return
            if not line.strip():
                continue
            inbound = self.to_inbound(line)
            if not secret and inbound.choice is None and line.strip().casefold() in QUIT_WORDS:
                self._print(text("utter_console_goodbye"))
                return
            reply = self._handle(inbound)
            if reply.inbound_was_secret and not secret:
                self._forget_last_line()  # a password typed in clear never stays in the history
            self.render(reply)
