"""Running an action for a turn: the rasa-sdk tracker it reads, the login gate in front of the
actions that need one, the messages it says and the events it returns; and what follows a
login (the request that needed it, replayed, or the interrupted form, offered again)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from dialogs.engine.ports import Parse, TurnPort
from services.core.errors import NotFound

LOGIN_FORMS = ("login_form", "first_login_form")


class ActionRunner:
    """Runs the actions of one turn."""

    def __init__(self, turn: TurnPort) -> None:
        self.turn = turn

    def tracker(self, parse: Parse | None, extra_events: list[dict[str, Any]]) -> Tracker:
        turn = self.turn
        events: list[dict[str, Any]] = []
        if parse is not None:
            events.append({"event": "user", "text": parse.get("text"), "parse_data": parse})
        events.extend(extra_events)
        form = turn.state.active_form
        return Tracker(
            sender_id=f"{turn.record.channel}:{turn.record.chat_id}",
            slots={
                **dict.fromkeys(turn.domain.slots),
                **turn.slots,
                "session_user_id": turn.user_id,
                "after_login_pending": turn.state.after_login is not None or _kept_form(turn),
            },
            latest_message=parse or {},
            events=events,
            paused=False,
            followup_action=None,
            active_loop={"name": form} if form else {},
            latest_action_name=None,
        )

    async def run_rule(self, intent: str, parse: Parse) -> None:
        for action in self.turn.domain.intent_rules.get(intent, []):
            await self.run_action(action, parse)

    async def run_action(self, name: str, parse: Parse | None) -> None:
        turn = self.turn
        if name.startswith("utter_"):
            turn.say(name)
            return
        action = turn.engine.actions[name]
        if getattr(action, "requires_login", False) and turn.user_id is None:
            turn.state.after_login = parse
            turn.say("utter_please_login")
            await turn.forms.activate("login_form", parse)
            return
        if getattr(action, "requires_login", False) and self._first_login_unfinished():
            # A provisional password or an unfinished first connection gives no access to
            # tenants' data, even after the first-connection form was left half way.
            turn.state.after_login = parse
            turn.say("utter_first_login_required")
            await turn.forms.activate("first_login_form", parse)
            return
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, self.tracker(parse, []), turn.domain.as_rasa_dict())
        turn.collect(dispatcher)
        turn.state.remember(f"action:{name}")
        await turn.events.apply(events, parse)

    def _first_login_unfinished(self) -> bool:
        turn = self.turn
        if turn.user_id is None:
            return False
        # Imported here: the accounts' models are not needed before the first prompt.
        from services.accounts.views import first_login_state

        try:
            state = first_login_state(turn.engine.context.uow(), user_id=turn.user_id)
        except NotFound:
            return False
        turn.slots["first_login_short"] = state.remaining == ("password",)
        return bool(state.remaining)

    async def after_form(self, form: str) -> None:
        """Once login (and a first connection it may have opened) is over: the request that
        needed it is replayed, or the form a session expiry interrupted is offered again."""
        turn = self.turn
        if form not in LOGIN_FORMS or turn.user_id is None:
            return
        if turn.state.active_form is not None:
            return
        after = turn.state.after_login
        if after is not None:
            turn.state.after_login = None
            turn.state.suspended = None
            await turn.decisions.dispatch(turn.read_again(after))
            return
        turn.decisions.offer_resume()


def _kept_form(turn: TurnPort) -> bool:
    """A form the session's expiry kept for this user: offered after login, not the menu."""
    kept = turn.state.suspended
    return kept is not None and turn.user_id is not None and kept.user_id == turn.user_id
