"""Turn the engine's channel-neutral messages into the fewest Telegram messages.

Kept free of any network call so the layout rules (joining, splitting, keyboards, escaping) can be
checked without a bot: Telegram caps a text at 4096 characters and a caption at 1024, and every
extra message costs a request against the flood limits.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from dialogs.io import Choice, Document, OutMessage

MAX_TEXT = 4096
MAX_CAPTION = 1024
# Buttons whose labels are all this short are laid out two per row ("Oui" / "Non").
SHORT_LABEL = 18
CHOICE_MARK = "➡️"


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message to send: HTML text (already escaped), or a document with a caption."""

    html_text: str
    keyboard: InlineKeyboardMarkup | None = None
    document: Document | None = None


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji often counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Escape a plain text for parse_mode HTML: the engine's texts are never markup."""
    return html.escape(text, quote=False)


def keyboard(choices: Sequence[Choice]) -> InlineKeyboardMarkup | None:
    """One button per row, or two per row when every label is short enough to fit side by side."""
    if not choices:
        return None
    buttons = [InlineKeyboardButton(c.label, callback_data=c.key) for c in choices]
    per_row = 2 if all(tg_len(c.label) <= SHORT_LABEL for c in choices) else 1
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup(rows)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split a plain text into chunks of at most `limit`, preferring paragraph then line breaks."""
    chunks: list[str] = []
    rest = text
    while tg_len(rest) > limit:
        cut = _cut_point(rest, limit)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not chunks:
        chunks.append(rest)
    return chunks


def _cut_point(text: str, limit: int) -> int:
    """Largest index <= limit (in UTF-16 units) at a paragraph, line or word boundary."""
    end = 0
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            break
        end = index + 1
    window = text[:end]
    for separator in ("\n\n", "\n", " "):
        position = window.rfind(separator)
        if position > end // 2:
            return position
    return end


def plan(messages: Iterable[OutMessage]) -> list[Outgoing]:
    """Lay out one turn's messages.

    Consecutive plain texts are joined (blank line between) while they fit in one message; a text
    just before a message with buttons is joined to it, so the question and its buttons arrive
    together. A document is sent with its text as caption when it fits, otherwise after it.
    """
    out: list[Outgoing] = []
    pending = ""

    def flush() -> None:
        nonlocal pending
        if pending:
            out.extend(Outgoing(escape(chunk)) for chunk in split_text(pending))
            pending = ""

    def join(first: str, second: str) -> str:
        return f"{first}\n\n{second}" if first and second else first or second

    for message in messages:
        if message.document is not None:
            flush()
            markup = keyboard(message.choices)
            if tg_len(message.text) <= MAX_CAPTION:
                out.append(Outgoing(escape(message.text), markup, message.document))
            else:
                chunks = split_text(message.text)
                out.extend(Outgoing(escape(chunk)) for chunk in chunks)
                out.append(Outgoing("", markup, message.document))
            continue
        merged = join(pending, message.text)
        if tg_len(merged) > MAX_TEXT:
            flush()
            merged = message.text
        if not message.choices:
            pending = merged
            continue
        chunks = split_text(merged)
        out.extend(Outgoing(escape(chunk)) for chunk in chunks[:-1])
        # Telegram refuses an empty text; a bare keyboard still needs a line to hang on.
        last = chunks[-1] or "…"
        out.append(Outgoing(escape(last), keyboard(message.choices)))
        pending = ""
    flush()
    return out


def with_choice_made(original_text: str, label: str) -> str:
    """The text of a keyboard message once answered: the user's choice appended, as HTML."""
    marked = f"{original_text}\n\n{CHOICE_MARK} {label}"
    if tg_len(marked) > MAX_TEXT:
        return escape(original_text)
    return escape(marked)
