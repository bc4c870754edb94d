"""What an action sends back to Rasa, made into plain JSON before anything is committed.

Messages naming a response of our domain are rendered here, with our own renderer, into text and
buttons: the French a Rasa assistant shows is the one our own engine shows (Rasa's templating
knows neither our placeholders' values nor our responses' buttons). A document (a PDF receipt)
travels in the message's `custom` payload as base64 with its file name and MIME type: the
receipt arrives in the same reply as the text that announces it, with no second server, token
store or expiry to run, and a receipt is a few kilobytes. A receipt an action sent as data is
drawn here, before the action's unit of work commits: behind Rasa the reply is the HTTP answer, so
a receipt that cannot be drawn must cancel the action's writes.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from dialogs.domain import Domain
from services.documents.receipts import Receipt, render_receipt

_RESPONSE_KEYS = frozenset(
    {"text", "buttons", "custom", "response", "template", "image", "attachment", "elements"}
)
PDF = "application/pdf"


def wire_document(document: dict[str, Any]) -> dict[str, Any]:
    """A document as JSON: file name, MIME type and base64 content."""
    content = document.get("content", b"")
    if document.get("receipt") is not None and not content:
        content = render_receipt(Receipt.from_data(document["receipt"]))
    if isinstance(content, str):
        content = content.encode("utf-8")
    return {
        "filename": str(document.get("filename", "document.pdf")),
        "mime_type": str(document.get("mime_type", PDF)),
        "content_base64": base64.b64encode(bytes(content)).decode("ascii"),
    }


def wire_message(domain: Domain, message: dict[str, Any], slots: dict[str, Any]) -> dict[str, Any]:
    """One dispatcher message as Rasa's action server answers it (text, buttons, custom)."""
    buttons = list(message.get("buttons") or [])
    response = message.get("response") or message.get("template")
    text = message.get("text") or ""
    if response and domain.has_response(str(response)):
        values = {k: v for k, v in message.items() if k not in _RESPONSE_KEYS}
        rendered = domain.render(str(response), **{**slots, **values})
        text = rendered.text
        buttons = buttons or [dict(b) for b in rendered.buttons]
    custom = dict(message.get("custom") or {})
    if isinstance(custom.get("document"), dict):
        custom["document"] = wire_document(custom["document"])
    wired: dict[str, Any] = {
        "text": text or None,
        "buttons": [{"title": str(b["title"]), "payload": str(b["payload"])} for b in buttons],
        "elements": [],
        "custom": custom,
        "template": None,
        "response": None,
        "image": message.get("image"),
        "attachment": message.get("attachment"),
    }
    return wired


def as_json(value: Any) -> Any:
    """The value through a JSON round trip: a value JSON cannot hold fails here, before the
    action's unit of work commits, never later in the HTTP layer."""
    return json.loads(json.dumps(value, ensure_ascii=False))
