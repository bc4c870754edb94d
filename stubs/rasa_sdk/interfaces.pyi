from collections.abc import Iterator
from typing import Any

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

class Tracker:
    events: list[dict[str, Any]]
    sender_id: str
    slots: dict[str, Any]
    followup_action: str | None
    latest_message: dict[str, Any]
    active_loop: dict[str, Any]
    latest_action_name: str | None
    stack: list[dict[str, Any]]
    user_id: str | None
    def __init__(
        self,
        sender_id: str,
        slots: dict[str, Any],
        latest_message: dict[str, Any] | None,
        events: list[dict[str, Any]],
        paused: bool,
        followup_action: str | None,
        active_loop: dict[str, Any],
        latest_action_name: str | None,
        stack: list[dict[str, Any]] | None = None,
        user_id: str | None = None,
    ) -> None: ...
    def copy(self) -> Tracker: ...
    def is_paused(self) -> bool: ...
    def current_state(self) -> dict[str, Any]: ...
    def current_slot_values(self) -> dict[str, Any]: ...
    def get_slot(self, key: str) -> Any: ...
    def get_latest_entity_values(
        self,
        entity_type: str,
        entity_role: str | None = None,
        entity_group: str | None = None,
    ) -> Iterator[str]: ...
    def get_intent_of_latest_message(self, skip_fallback_intent: bool = True) -> str | None: ...
    @property
    def active_loop_name(self) -> str | None: ...
    def slots_to_validate(self) -> dict[str, Any]: ...
    def add_slots(self, slots: list[EventType]) -> None: ...

class Action:
    def name(self) -> str: ...
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]: ...

class ActionExecutionRejection(Exception):
    action_name: str
    message: str
    def __init__(self, action_name: str, message: str | None = None) -> None: ...
