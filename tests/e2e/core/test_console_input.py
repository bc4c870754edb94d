"""The terminal channel facing odd input: it never exits on what is typed, and never shows or
keeps a password."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.bootstrap import App
from bot.console import Console, read_hidden
from dialogs.io import Inbound, OutMessage, Reply
from tests.e2e.console_chat import LOGIN, PASSWORD, chat


def test_huge_numbers_and_unicode_digits_are_text_not_buttons(app: App, tmp_path: Path) -> None:
    lines = [*LOGIN, "9" * 5000, "²", "١", "declarer le loyer de brisson", "330"]
    output, _, _ = chat(app, lines, tmp_path, [PASSWORD])
    assert "Récapitulatif" in output  # the chat went on to the end


def test_a_password_typed_at_the_wrong_moment_is_dropped_from_the_history(tmp_path: Path) -> None:
    forgotten: list[bool] = []

    def engine(inbound: Inbound) -> Reply:
        return Reply(messages=(OutMessage(text="ok"),), inbound_was_secret=inbound.text == "secret")

    typed = iter(["bonjour", "secret"])

    def read_line(prompt: str) -> str:
        line = next(typed, None)
        if line is None:
            raise EOFError
        return line

    console = Console(
        engine,
        chat_id="t",
        receipts_dir=tmp_path,
        read_line=read_line,
        forget_last_line=lambda: forgotten.append(True),
        out=io.StringIO(),
    )
    console.run()
    assert forgotten == [True]


def test_after_an_apology_the_password_prompt_stays_hidden(tmp_path: Path) -> None:
    """When the engine cannot tell what it waits for, the terminal keeps the hidden prompt."""
    replies = iter(
        [
            Reply(messages=(OutMessage(text="Mot de passe ?"),), expects_secret=True),
            Reply(messages=(OutMessage(text="Désolé"),), expects_secret=None),
            Reply(messages=(OutMessage(text="Connecté"),)),
        ]
    )
    hidden: list[str] = []
    console = Console(
        lambda inbound: next(replies),
        chat_id="t",
        receipts_dir=tmp_path,
        read_line=lambda prompt: (_ for _ in ()).throw(EOFError()),
        read_secret=lambda prompt: hidden.append(prompt) or "motdepasse",  # type: ignore[func-returns-value]
        out=io.StringIO(),
    )
    console.run()
    assert len(hidden) == 2  # the line after the apology was read hidden too


def test_a_password_piped_in_is_read_without_echo_or_english_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Oliviers-Demo-2026\nmes locataires\n"))
    assert read_hidden("🔒 Mot de passe (masqué) : ") == "Oliviers-Demo-2026"
    shown = capsys.readouterr()
    assert "Oliviers-Demo-2026" not in shown.out + shown.err
    assert "Warning" not in shown.out + shown.err
    assert sys.stdin.readline() == "mes locataires\n"  # the next line stays for the chat
