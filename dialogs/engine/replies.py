"""The replies of committed turns, kept on the chat's row by update id.

A channel that loses a reply (a worker killed after the commit, a Bot API error) gets the update
again, or tells the engine; either way the user receives what the committed turn said, instead of
nothing or an invitation to do again what was already done. Only the last few replies are kept;
a receipt not drawn yet is kept as its data (drawn again when the reply is sent again), any
other document base64-encoded.
"""

from __future__ import annotations

import base64
from typing import Any

from dialogs.io import Choice, Document, OutMessage, Reply

KEPT = 3


def _document(document: Document) -> dict[str, Any]:
    kept: dict[str, Any] = {"filename": document.filename, "mime_type": document.mime_type}
    if document.receipt is not None:
        kept["receipt"] = document.receipt
    else:
        kept["content"] = base64.b64encode(document.content).decode("ascii")
    return kept


def stored(update_id: int, reply: Reply) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "secret": reply.inbound_was_secret,
        "messages": [
            {
                "text": m.text,
                "choices": [[c.label, c.key] for c in m.choices],
                **({"document": _document(m.document)} if m.document is not None else {}),
            }
            for m in reply.messages
        ],
    }


def keep(replies: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]]:
    kept = [r for r in replies if r.get("update_id") != entry["update_id"]]
    return [*kept, entry][-KEPT:]


def find(replies: list[dict[str, Any]], update_id: int) -> dict[str, Any] | None:
    return next((r for r in replies if r.get("update_id") == update_id), None)


def messages(entry: dict[str, Any], *, documents_only: bool = False) -> tuple[OutMessage, ...]:
    out = []
    for item in entry.get("messages", []):
        doc = item.get("document")
        document = (
            Document(
                filename=str(doc["filename"]),
                content=base64.b64decode(doc["content"]) if "content" in doc else b"",
                mime_type=str(doc.get("mime_type", "application/pdf")),
                receipt=doc.get("receipt"),
            )
            if doc
            else None
        )
        if documents_only and document is None:
            continue
        choices = (
            ()
            if documents_only
            else tuple(Choice(label=label, key=key) for label, key in item.get("choices", []))
        )
        out.append(OutMessage(text=str(item.get("text", "")), choices=choices, document=document))
    return tuple(out)


def again(entry: dict[str, Any]) -> Reply:
    """The stored reply, to send again for a redelivered update."""
    return Reply(
        messages=messages(entry), inbound_was_secret=bool(entry.get("secret")), duplicate=True
    )
