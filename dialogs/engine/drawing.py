"""Receipts drawn after the turn: the PDF of a receipt an action sent as data is drawn once the
turn is committed, outside the chat's lock and transaction (on SQLite, outside the database's
write lock), and before the channel sends the reply.

The turn's reply is kept on the chat's row with the receipt's data, in the same transaction as
the declaration: a worker that dies after the commit leaves a redelivered update that is answered
from the kept reply, its receipt drawn again here.
"""

from __future__ import annotations

from dataclasses import replace

from dialogs.io import OutMessage, Reply
from services.documents.receipts import Receipt, render_receipt


def undrawn(reply: Reply) -> bool:
    """Whether the reply carries a receipt still to draw."""
    return any(m.document is not None and not m.document.drawn for m in reply.messages)


def draw(reply: Reply) -> Reply:
    """The reply with every receipt drawn (reportlab runs here, never inside a turn)."""
    if not undrawn(reply):
        return reply
    return replace(reply, messages=tuple(_drawn(m) for m in reply.messages))


def without_undrawn(reply: Reply) -> Reply:
    """The reply without its receipts still to draw (when drawing them failed)."""
    return replace(
        reply,
        messages=tuple(
            replace(m, document=None) if m.document is not None and not m.document.drawn else m
            for m in reply.messages
        ),
    )


def _drawn(message: OutMessage) -> OutMessage:
    document = message.document
    if document is None or document.drawn or document.receipt is None:
        return message
    content = render_receipt(Receipt.from_data(document.receipt))
    return replace(message, document=replace(document, content=content))
