"""Answers to account questions from the YAML knowledge base, logged in or not."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import BotAction, session_user


@cache
def knowledge_base() -> dict[str, dict[str, Any]]:
    text = resources.files("dialogs").joinpath("faq.yml").read_text(encoding="utf-8")
    entries: dict[str, dict[str, Any]] = yaml.load(
        text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )["faq"]
    return entries


class ActionFaq(BotAction):
    """Answers the question the intent names; the next steps come as buttons."""

    def name(self) -> str:
        return "action_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name", "")
        entry = knowledge_base().get(intent)
        if entry is None:
            dispatcher.utter_message(response="utter_help")
            return []
        known = set(domain.get("intents", []))
        # Logged in, "Se connecter" is no next step; logged out, the button asks for login first.
        if session_user(tracker) is not None:
            known.discard("login")
        buttons = [b for b in entry.get("buttons", []) if str(b["payload"]).lstrip("/") in known]
        dispatcher.utter_message(text=entry["text"].strip(), buttons=buttons)
        return []


ACTIONS = (ActionFaq,)
