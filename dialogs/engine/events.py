"""Applying the events an action returns to the conversation, as Rasa's tracker would.

`SlotSet` changes a slot (the login binding is the engine's own: `session_user_id` binds or
unbinds the chat, it is never a plain slot); `ActiveLoop` opens or closes a form; `FollowupAction`
runs another action; `AllSlotsReset` forgets every answer.
"""

from __future__ import annotations

from typing import Any

from dialogs.engine.ports import Parse, TurnPort


class EventApplier:
    def __init__(self, turn: TurnPort) -> None:
        self.turn = turn

    async def apply(self, events: list[dict[str, Any]], parse: Parse | None) -> None:
        """Apply returned events; forms they open and follow-up actions run afterwards."""
        turn = self.turn
        activate: str | None = None
        followups: list[str] = []
        for event in events:
            kind = event.get("event")
            if kind == "slot":
                self.set_slot(str(event["name"]), event.get("value"))
            elif kind == "active_loop":
                if event.get("name"):
                    activate = str(event["name"])
                elif turn.state.active_form:
                    turn.forms.drop(turn.state.active_form)
            elif kind == "followup":
                followups.append(str(event["name"]))
            elif kind == "reset_slots":
                turn.state.slots = {}
        if activate:
            await turn.forms.activate(activate, parse)
        for name in followups:
            await turn.run_action(name, parse)

    def set_slot(self, name: str, value: Any) -> None:
        turn = self.turn
        if name == "session_user_id":
            if value is None:
                turn.unbind()
            else:
                turn.record.user_id = int(value)
                turn.record.bound_until = turn.now + turn.engine.session_length
            return
        turn.state.slots[name] = value
