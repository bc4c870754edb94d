"""Channel-neutral input and output of one conversation turn.

Every channel (terminal, Telegram, tests) turns what it receives into an `Inbound` and renders the
`Reply` it gets back; nothing here knows how a message is displayed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Choice:
    """A button: the label the user reads and an opaque key only the engine can resolve."""

    label: str
    key: str


@dataclass(frozen=True)
class Document:
    """A file sent to the user, such as a PDF receipt.

    `receipt`: the data of a PDF receipt not drawn yet (`content` is then empty). Actions send a
    receipt's data; the engine draws it after the turn's commit, so the chat's lock is not held
    while reportlab works, and a reply the channels get always has its `content`.
    """

    filename: str
    content: bytes = b""
    mime_type: str = "application/pdf"
    receipt: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def drawn(self) -> bool:
        return self.receipt is None or bool(self.content)


@dataclass(frozen=True)
class OutMessage:
    """One message of the bot: plain text (channels escape it), optional choices and document."""

    text: str
    choices: tuple[Choice, ...] = ()
    document: Document | None = None


@dataclass(frozen=True)
class Inbound:
    """What the user sent: free text or the key of a choice they pressed.

    `update_id` makes a turn idempotent: the same update processed twice has effect once.
    `attachment`: a file the user sent (a spreadsheet of rents), with any caption as `text`.
    """

    channel: str
    chat_id: str
    text: str | None = None
    choice: str | None = None
    update_id: int | None = None
    private_chat: bool = True
    attachment: Document | None = None


@dataclass(frozen=True)
class Reply:
    """What the channel must do after a turn.

    Attributes:
        messages: the bot's messages, in order.
        inbound_was_secret: the inbound text was a password: the channel deletes it from the chat.
        expects_secret: the next input is a password: a terminal turns echo off (None: the
            engine could not tell, the channel keeps what it knew).
        chosen_label: label of the choice the user pressed, so a channel can record it on the
            message that carried the buttons; None when no valid choice was pressed.
        duplicate: the update was already handled; nothing must be sent.
    """

    messages: tuple[OutMessage, ...] = field(default_factory=tuple)
    inbound_was_secret: bool = False
    expects_secret: bool | None = False
    chosen_label: str | None = None
    duplicate: bool = False
