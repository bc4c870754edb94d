"""Shared ground of our rasa-sdk actions: the context they are built with and small helpers."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action

from dialogs.context import ActionContext
from services.documents.receipts import Receipt


def session_user(tracker: Tracker) -> int | None:
    value = tracker.get_slot("session_user_id")
    return int(value) if value is not None else None


def entities(tracker: Tracker, name: str) -> list[dict[str, Any]]:
    return [e for e in tracker.latest_message.get("entities", []) if e.get("entity") == name]


def send_document(
    dispatcher: CollectingDispatcher, *, filename: str, content: bytes, response: str, **values: Any
) -> None:
    """A message carrying a file; the engine turns it into a channel-neutral Document."""
    dispatcher.utter_message(
        response=response,
        json_message={"document": {"filename": filename, "content": content}},
        **values,
    )


def send_receipt(
    dispatcher: CollectingDispatcher,
    *,
    filename: str,
    receipt: Receipt,
    response: str,
    **values: Any,
) -> None:
    """A message carrying a PDF receipt, sent as its data: the engine draws the PDF after the
    turn's commit (outside the chat's lock), and keeps the data to draw it again for a
    redelivered update."""
    dispatcher.utter_message(
        response=response,
        json_message={"document": {"filename": filename, "receipt": receipt.as_data()}},
        **values,
    )


class BotAction(Action):
    """An action built with the application context; `requires_login` gates it behind login."""

    requires_login = False
    starts_forms: tuple[str, ...] = ()

    def __init__(self, context: ActionContext) -> None:
        self.context = context


class StartFormAction(BotAction):
    """Opens a form behind login; what the opening message names is read by the form itself."""

    requires_login = True
    form = ""

    def name(self) -> str:
        return f"action_start_{self.form.removesuffix('_form')}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [ActiveLoop(self.form)]


class BotFormValidation(FormValidationAction):
    """A form validator built with the application context."""

    def __init__(self, context: ActionContext) -> None:
        self.context = context

    @staticmethod
    def requested(tracker: Tracker) -> str | None:
        value = tracker.get_slot("requested_slot")
        return str(value) if value else None
