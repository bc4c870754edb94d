from typing import Any

from rasa_sdk.executor import ActionExecutor

def create_app(
    action_executor: ActionExecutor,
    cors_origins: str | list[str] | None = "*",
    auto_reload: bool = False,
) -> Any: ...
