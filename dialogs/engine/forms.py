"""The form loop, as Rasa's `FormAction` runs it: validate, then ask the next question or end.

A form's validation action (`validate_<form>`) reads the message and names the next question
(`requested_slot`); this loop applies its events, asks that question (`action_ask_<slot>`, else
`utter_ask_<form>_<slot>`, else `utter_ask_<slot>`) or, when nothing is left, ends the form and
runs what the rules say comes after it. Forms that are not described by a spec still get their
answers from the domain's slot mappings first (`extraction.py`), as Rasa does.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from dialogs.engine.ports import Parse, TurnPort
from dialogs.extraction import extract
from dialogs.forms.validation import SpecFormValidation


class FormLoop:
    """Runs the active form of one turn."""

    def __init__(self, turn: TurnPort) -> None:
        self.turn = turn

    @property
    def state(self) -> Any:
        return self.turn.state

    def slots_of(self, form: str) -> list[str]:
        validator = self.turn.engine.actions.get(f"validate_{form}")
        if isinstance(validator, SpecFormValidation):
            return validator.spec.slots()
        prefix = form.removesuffix("_form") + "_"
        domain = self.turn.domain
        slots = domain.form_slots(form)
        return slots + [s for s in domain.slots if s.startswith(prefix) and s not in slots]

    def clear(self, form: str) -> None:
        for slot in self.slots_of(form):
            self.state.slots.pop(slot, None)

    def drop(self, form: str) -> None:
        self.clear(form)
        self.state.slots["requested_slot"] = None
        self.state.active_form = None

    async def activate(self, form: str, parse: Parse | None) -> None:
        if self.state.active_form and self.state.active_form != form:
            self.drop(self.state.active_form)
        self.state.active_form = form
        self.state.slots["requested_slot"] = None
        await self.run(form, parse, activating=True)

    async def run(self, form: str, parse: Parse | None, *, activating: bool) -> None:
        turn = self.turn
        requested = None if activating else self.state.slots.get("requested_slot")
        validator = turn.engine.actions.get(f"validate_{form}")
        slot_events: list[dict[str, Any]] = []
        if not isinstance(validator, SpecFormValidation):
            found = extract(
                turn.domain, form, self.slots_of(form), parse or {}, self.state.slots, requested
            )
            for previous in found.kept.values():
                turn.say("utter_value_kept", previous=str(previous))
            self.state.slots.update(found.values)
            slot_events = [
                {"event": "slot", "name": k, "value": v, "timestamp": None}
                for k, v in found.values.items()
            ]
        explicit = False
        next_slot: str | None = None
        said_before = len(turn.messages)
        if validator is not None:
            dispatcher = CollectingDispatcher()
            tracker = turn.tracker(parse, slot_events)
            events = await validator.run(dispatcher, tracker, turn.domain.as_rasa_dict())
            turn.collect(dispatcher)
            for event in events:
                kind, name = event.get("event"), event.get("name")
                if kind == "slot" and name == "requested_slot":
                    explicit, next_slot = True, event.get("value")
                elif kind == "slot":
                    turn.set_slot(str(name), event.get("value"))
                elif kind == "active_loop" and not name:
                    self.drop(form)
                    return
                elif kind == "active_loop" and name != form:
                    await self.activate(str(name), parse)  # the answer opens another form
                    return
        if self.state.active_form != form:
            return
        if not explicit:
            next_slot = next(
                (s for s in turn.domain.form_slots(form) if self.state.slots.get(s) is None), None
            )
        if next_slot is None:
            await self.complete(form, parse)
            return
        if (
            not isinstance(validator, SpecFormValidation)
            and next_slot == requested
            and len(turn.messages) == said_before
        ):
            kind = turn.domain.slots.get(next_slot, {}).get("type")
            turn.say("utter_expect_yes_no" if kind == "bool" else "utter_not_understood")
        self.state.slots["requested_slot"] = next_slot
        await self.ask(form, next_slot)

    async def ask(self, form: str, slot: str | None) -> None:
        if slot is None:
            return
        turn = self.turn
        if f"action_ask_{slot}" in turn.engine.actions:
            await turn.run_action(f"action_ask_{slot}", None)
        elif turn.domain.has_response(f"utter_ask_{form}_{slot}"):
            turn.say(f"utter_ask_{form}_{slot}")
        else:
            turn.say(f"utter_ask_{slot}")

    async def complete(self, form: str, parse: Parse | None = None) -> None:
        turn = self.turn
        self.state.slots["requested_slot"] = None
        self.state.active_form = None
        self.state.remember(f"form_done:{form}")
        for action in turn.domain.form_completion.get(form, []):
            await turn.run_action(action, parse)  # as behind Rasa: the message that ended it
        self.clear(form)
        await turn.after_form(form)
