"""The same actions behind a real Rasa assistant, through rasa-sdk's action server.

Rasa keeps the tracker and decides which action runs; every action runs through the bridge
(`rasa_actions.py`): identity from our conversation table, our engine's in-form policy, one unit
of work per call, replies as plain JSON (documents as base64 in `custom`). rasa-sdk's Sanic app
serves them; its error answers are replaced by ours, which never repeat the request (a tracker
carries what the user typed, a password included).
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from rasa_sdk.executor import ActionExecutor

from bot.bootstrap import App
from bot.rasa_actions import Bridge

logger = logging.getLogger(__name__)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5055
RASA_VERSION_WARNINGS = "(You are using an old version of rasa|Your versions of rasa and rasa_sdk)"


def build_executor(app: App) -> ActionExecutor:
    """An executor holding our actions, each bridged for Rasa."""
    bridge = Bridge(app.engine.context, dict(app.engine.actions), app.engine.nlu.fallback_threshold)
    executor = ActionExecutor()
    for action in bridge.bridged():
        executor.register_action(action)
    return executor


def build_server(app: App) -> Any:
    """rasa-sdk's Sanic app with our actions and error answers that say nothing of the request."""
    from rasa_sdk.endpoint import create_app
    from sanic import response
    from sanic.exceptions import SanicException

    # rasa-sdk 3.21 warns at every call that Rasa 3.6 is older; the action-call format is the same.
    warnings.filterwarnings("ignore", message=RASA_VERSION_WARNINGS)
    server = create_app(build_executor(app))

    async def refuse(request: Any, exception: Exception) -> Any:
        status = exception.status_code if isinstance(exception, SanicException) else 500
        logger.error("action server request failed: %s (%s)", type(exception).__name__, status)
        return response.json({"error": "request failed", "status": status}, status=status)

    # rasa-sdk's own handler logs the whole request: ours replaces it.
    server.error_handler.cached_handlers[(Exception, None)] = refuse
    return server


def run_action_server(app: App, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    build_server(app).run(host=host, port=port, single_process=True, access_log=False)
