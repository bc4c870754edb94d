"""Answers to questions from the YAML knowledge base, logged in or not: account questions by
intent, and the rules of a declaration (`faq_rules`) by the topic the question's words name."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import BotAction, entities, session_user
from dialogs.payloads import payload
from dialogs.rules_questions import RULES, faq_file, topic_of, topics


def knowledge_base() -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = faq_file()["faq"]
    return entries


class ActionFaq(BotAction):
    """Answers the question the intent names; the next steps come as buttons."""

    def name(self) -> str:
        return "action_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name", "")
        entry = self._rules(tracker) if intent == RULES else knowledge_base().get(intent)
        if entry is None:
            dispatcher.utter_message(response="utter_help")
            return []
        known = set(domain.get("intents", []))
        # Logged in, "Se connecter" is no next step; logged out, the button asks for login first.
        if session_user(tracker) is not None:
            known.discard("login")
        buttons = [
            b for b in entry.get("buttons", []) if str(b["payload"])[1:].split("{")[0] in known
        ]
        dispatcher.utter_message(text=entry["text"].strip(), buttons=buttons)
        return []

    @staticmethod
    def _rules(tracker: Tracker) -> dict[str, Any]:
        """The topic chosen by a button or named by the question; none: the topics offered."""
        chosen = [str(e.get("value")) for e in entities(tracker, "faq_topic")]
        known = topics()
        name = next((c for c in chosen if c in known), None)
        name = name or topic_of(str(tracker.latest_message.get("text") or ""))
        if name is not None:
            answer = known[name].get("answer")
            return knowledge_base()[answer] if answer else known[name]
        buttons = [
            {"title": t["title"], "payload": payload(RULES, faq_topic=key)}
            for key, t in known.items()
        ]
        return {"text": faq_file()[RULES]["text"], "buttons": buttons}


ACTIONS = (ActionFaq,)
