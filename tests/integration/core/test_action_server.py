"""The actions answer rasa-sdk's executor as a Rasa server would call them."""

import asyncio

from bot.action_server import build_executor
from bot.bootstrap import App


def _call(app: App, action: str, slots: dict, intent: str = "greet") -> dict:
    executor = build_executor(app)
    call = {
        "next_action": action,
        "sender_id": "rasa-user",
        "tracker": {
            "sender_id": "rasa-user",
            "slots": slots,
            "latest_message": {"text": "bonjour", "intent": {"name": intent}, "entities": []},
            "events": [],
            "active_loop": {},
        },
        "domain": app.engine.domain.data,
    }
    result = asyncio.run(executor.run(call))
    assert result is not None
    return dict(result)


def test_greeting_through_the_action_server_offers_login(app: App) -> None:
    result = _call(app, "action_greet", {"session_user_id": None})
    responses = [m.get("response") for m in result["responses"]]
    assert "utter_greet" in responses
    assert "utter_please_login" in responses


def test_rent_tenant_question_lists_only_the_users_tenants(app: App) -> None:
    result = _call(app, "action_ask_rent_tenant", {"session_user_id": 1})
    titles = [b["title"] for m in result["responses"] for b in m.get("buttons", [])]
    assert any(title.startswith("BRISSON Isabelle") for title in titles)
    assert not any(title.startswith("BEAUVOIS") for title in titles)
