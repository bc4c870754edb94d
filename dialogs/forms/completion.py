"""What runs when a form ends: transmit on Valider, otherwise say that nothing was sent.

A form's done action subclasses `FormDone` and writes `transmit` (the service call and its
receipt) and, where an answer can end the form early, `stopped` (what to offer instead). Every
answer of the form is forgotten afterwards, whatever happened.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action
from rasa_sdk.types import DomainDict

from dialogs.context import ActionContext
from dialogs.forms.spec import FormSpec


class FormDone(Action):
    spec: ClassVar[FormSpec]
    requires_login = True

    def __init__(self, context: ActionContext) -> None:
        self.context = context

    def name(self) -> str:
        return f"action_{self.spec.prefix}_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cleared: list[dict[str, Any]] = [SlotSet(slot, None) for slot in self.spec.slots()]
        if self.spec.stopped_early(tracker.slots):
            return [*await self.stopped(dispatcher, tracker, domain), *cleared]
        choice = tracker.get_slot(self.spec.confirm_slot)
        if choice == "quitter":
            dispatcher.utter_message(response="utter_form_quit")
            return cleared
        if choice != "valider" and self.spec.recap:
            return cleared
        return [*await self.transmit(dispatcher, tracker, domain), *cleared]

    async def transmit(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        raise NotImplementedError

    async def stopped(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return []
