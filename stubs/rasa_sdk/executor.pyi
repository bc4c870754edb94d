from typing import Any

from pydantic import BaseModel
from rasa_sdk.interfaces import Action

class CollectingDispatcher:
    messages: list[dict[str, Any]]
    def __init__(self) -> None: ...
    def utter_message(
        self,
        text: str | None = None,
        image: str | None = None,
        json_message: dict[str, Any] | None = None,
        template: str | None = None,
        response: str | None = None,
        attachment: str | None = None,
        buttons: list[dict[str, Any]] | None = None,
        elements: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None: ...

class ActionExecutorRunResult(BaseModel):
    events: list[dict[str, Any]]
    responses: list[dict[str, Any]]

class ActionExecutor:
    def __init__(self) -> None: ...
    def register_action(self, action: type[Action] | Action) -> None: ...
    async def run(
        self,
        action_call: dict[str, Any],
        sink: Any = None,
        dispatcher: CollectingDispatcher | None = None,
    ) -> ActionExecutorRunResult | None: ...
