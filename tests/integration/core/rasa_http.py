"""rasa-sdk's Sanic app with our actions, served on 127.0.0.1 for a test, and action calls in the
format a Rasa 3.6 server sends them (`next_action`, `sender_id`, `tracker`, `domain`)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import yaml
from sanic import Sanic

from bot.action_server import build_server
from bot.bootstrap import App
from dialogs.domain import Domain
from dialogs.payloads import parse_payload

Sanic.test_mode = True
_FORM_SLOTS = Path(__file__).resolve().parents[3] / "rasa_project" / "domain" / "form_slots.yml"
DECLARED_SLOTS = (
    set(Domain.load().slots)
    | set(yaml.safe_load(_FORM_SLOTS.read_text(encoding="utf-8"))["slots"])
    | {"requested_slot"}
)  # one Sanic app per test, under the same name


@contextmanager
def served(app: App) -> Iterator[str]:
    """The action server's base URL while the block runs."""
    server = build_server(app)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, Any] = {}

    def serve() -> None:
        asyncio.set_event_loop(loop)
        running = loop.run_until_complete(
            server.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        )
        loop.run_until_complete(running.startup())
        loop.run_until_complete(running.after_start())
        holder["server"] = running
        ready.set()
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(running.serve_forever())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(20), "the action server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running = holder["server"]
        loop.call_soon_threadsafe(running.close)
        thread.join(timeout=5)


def action_call(
    action: str,
    *,
    sender: str,
    text: str = "",
    intent: str = "inform",
    confidence: float = 0.95,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    form: str | None = None,
    after: str = "action_listen",
) -> dict[str, Any]:
    """The JSON body Rasa posts to /webhook to run `action`; a button's payload is parsed as
    Rasa parses it (its intent and entities, confidence 1, no extractor)."""
    pressed = parse_payload(text) if text.startswith("/") else None
    if pressed is not None:
        intent, confidence = pressed["intent"]["name"], 1.0
        entities = [{**e, "extractor": "RegexMessageHandler"} for e in pressed["entities"]]
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": entities or [],
    }
    # Rasa runs a validation on a copy of the tracker ending with the form's own execution.
    events: list[dict[str, Any]] = [{"event": "user", "text": text, "parse_data": latest}]
    if after != "action_listen":
        events.append({"event": "action", "name": after})
    if action.startswith("validate_") and form:
        events.append({"event": "action", "name": form})
        after = form
    return {
        "next_action": action,
        "sender_id": sender,
        "version": "3.6.21",
        "tracker": {
            "sender_id": sender,
            "slots": {"requested_slot": None, **(slots or {})},
            "latest_message": latest,
            "latest_event_time": 0,
            "followup_action": None,
            "paused": False,
            "events": events,
            "latest_input_channel": "rest",
            "active_loop": {"name": form} if form else {},
            "latest_action": {"action_name": after},
            "latest_action_name": after,
        },
        "domain": {"version": "3.1", "intents": [], "slots": {}, "responses": {}},
    }


_CLIENT = httpx.Client(timeout=30)
"""One client for the run: building one costs about 45 ms (its TLS context), a call a few."""


def post(base: str, body: dict[str, Any]) -> httpx.Response:
    return _CLIENT.post(f"{base}/webhook", json=body)


def run(base: str, action: str, **call: Any) -> dict[str, Any]:
    answer = post(base, action_call(action, **call))
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def texts(result: dict[str, Any]) -> str:
    return "\n".join(m.get("text") or "" for m in result["responses"])


def slots_set(result: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e.get("value") for e in result["events"] if e.get("event") == "slot"}


class RasaSide:
    """The tracker Rasa keeps for one sender: slots and active form, updated from the events
    the action server returns, as Rasa applies them."""

    def __init__(self, base: str, sender: str) -> None:
        self.base = base
        self.sender = sender
        self.slots: dict[str, Any] = {}
        self.form: str | None = None

    def run(
        self, action: str, text: str = "", intent: str = "inform", **call: Any
    ) -> dict[str, Any]:
        result = run(
            self.base,
            action,
            sender=self.sender,
            text=text,
            intent=intent,
            slots=dict(self.slots),
            form=self.form,
            **call,
        )
        for event in result["events"]:
            if event.get("event") == "slot":
                assert event["name"] in DECLARED_SLOTS, f"undeclared slot {event['name']}"
                self.slots[event["name"]] = event.get("value")
            elif event.get("event") == "active_loop":
                self.form = event.get("name")
        return result

    def login(self, password: str = "Oliviers-Demo-2026") -> dict[str, Any]:
        self.run("action_start_login", "je veux me connecter", "login")
        self.run("validate_login_form", "je veux me connecter", "login", after="action_start_login")
        self.run("validate_login_form", "oliviers.admin")
        return self.run("validate_login_form", password)
