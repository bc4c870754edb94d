"""The same actions behind a real Rasa assistant, through rasa-sdk's action server.

Rasa keeps the tracker; each call runs in its own unit of work. Documents (PDF receipts) travel
in the message's `custom` payload, base64-encoded by the JSON layer.
"""

from __future__ import annotations

from rasa_sdk.executor import ActionExecutor

from bot.bootstrap import App


def build_executor(app: App) -> ActionExecutor:
    """An executor holding our action instances, built with the application context."""
    executor = ActionExecutor()
    for action in app.engine.actions.values():
        executor.register_action(action)
    return executor


def run_action_server(app: App, *, port: int = 5055) -> None:
    from rasa_sdk.endpoint import create_app

    create_app(build_executor(app)).run(host="127.0.0.1", port=port, single_process=True)
