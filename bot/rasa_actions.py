"""Our actions as a Rasa server calls them: one unit of work per call, identity from the server.

Each call locks the Rasa conversation's row (channel `rasa`, the sender id), reads who is logged
in from it (`rasa_call.py`), gates what needs a login the way our engine does (the request waits,
the login form opens, the request is replayed once logged in), runs the action on a tracker whose
identity and entities are ours, then turns its messages and events into plain JSON. Only then
does the unit of work commit: a business write is never kept for a reply that cannot be sent.
On any error nothing of the call is kept and the user gets our short apology, never a trace of
the request.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action

from bot.rasa_call import CHANNEL, RasaCall
from bot.rasa_forms import FormTurn, engine_rules
from bot.rasa_outside import FALLBACK, task_of
from bot.rasa_wire import as_json, wire_message
from dialogs.context import TURN_UOW, ActionContext
from dialogs.engine.policy import Rules
from dialogs.engine.understanding import claimed_request
from dialogs.forms.validation import REQUESTED, SHORT_RECAP, SpecFormValidation
from services.accounts.views import first_login_state
from services.core.conversations import load_for_turn, save_turn
from services.core.errors import NotFound

logger = logging.getLogger(__name__)
LOGIN_DONE = ("action_login_done", "action_first_login_done")


class Bridge:
    """What every bridged action shares: the context, the actions by name, the policy's rules."""

    def __init__(
        self, context: ActionContext, actions: dict[str, Action], fallback_threshold: float
    ) -> None:
        self.context = context
        self.actions = actions
        self.domain = context.domain
        self.rules: Rules = engine_rules(self.domain.intent_rules, fallback_threshold)
        self.completions = {
            action: form
            for form, actions_after in self.domain.form_completion.items()
            for action in actions_after
        }

    def own_intents(self, form: str) -> frozenset[str]:
        own = {"inform", "affirm", "deny", "choose"}
        for intent, names in self.domain.intent_rules.items():
            for name in names:
                if form in getattr(self.actions.get(name), "starts_forms", ()):
                    own.add(intent)
        return frozenset(own)

    def bridged(self) -> list[BridgedAction]:
        return [BridgedAction(self, name) for name in self.actions]


class BridgedAction(Action):
    """One of our actions, run for Rasa."""

    def __init__(self, bridge: Bridge, name: str) -> None:
        self.bridge = bridge
        self.action_name = name
        self.inner = bridge.actions[name]

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        context = self.bridge.context
        uow = context.uow_factory()
        token = TURN_UOW.set(uow)
        try:
            with uow:
                record = load_for_turn(uow, channel=CHANNEL, chat_id=str(tracker.sender_id))
                call = RasaCall(context=context, record=record, now=context.now())
                call.check_binding()
                events = call.apply_identity(await self._route(call, tracker))
                slots = {
                    **tracker.slots,
                    **{e["name"]: e.get("value") for e in events if e.get("event") == "slot"},
                }
                messages = [wire_message(self.bridge.domain, m, slots) for m in call.said]
                reply = as_json({"events": events, "messages": messages})
                save_turn(uow, record, now=call.now)
                uow.commit()
        except Exception as exc:
            where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            logger.error(
                "action %s failed: %s at %s:%s",
                self.action_name,
                type(exc).__name__,
                where.filename if where else "?",
                where.lineno if where else "?",
            )
            apology = {"response": "utter_internal_error"}
            dispatcher.messages.append(wire_message(self.bridge.domain, apology, {}))
            if isinstance(self.inner, SpecFormValidation):
                requested = tracker.get_slot(REQUESTED)
                return [SlotSet(SHORT_RECAP, None), SlotSet(REQUESTED, requested)]
            return []
        finally:
            TURN_UOW.reset(token)
        dispatcher.messages.extend(reply["messages"])
        return list(reply["events"])

    async def _route(self, call: RasaCall, tracker: Tracker) -> list[dict[str, Any]]:
        name, inner = self.action_name, self.inner
        if isinstance(inner, SpecFormValidation):
            turn = FormTurn(
                call,
                inner,
                self.bridge.rules,
                self.bridge.own_intents(inner.spec.name),
                lambda action, t: self._run_other(call, action, t),
                lambda text: claimed_request(self.bridge.actions.values(), text),
            )
            return await turn.run(tracker)
        if name.startswith("action_ask_") and call.state.get("pending"):
            return []  # a yes/no question of ours is pending: the form's question waits
        form = self.bridge.completions.get(name)
        if form is not None and call.state.get("dropped") == form:
            call.state.pop("dropped", None)
            switched = call.state.pop("switch_to", None)
            if switched is None:
                return []  # the form was cancelled: nothing to transmit, nothing to say
            return await self._start(call, tracker, switched) or []
        opening = call.state.pop("opening", None)
        trusted = call.trusted(tracker, opening)
        if name == FALLBACK and opening is None:
            redirected = await self._instead_of_fallback(call, tracker, trusted)
            if redirected is not None:
                return redirected
        gate = self._gate(call, inner, opening or dict(tracker.latest_message or {}))
        if gate is not None:
            return gate
        events = await self._run(call, inner, trusted)
        if opening is not None and any(e.get("event") == "active_loop" for e in events):
            call.state["opening"] = opening  # the form it opens reads the request
        if name in LOGIN_DONE:
            events.extend(await self._replay(call, tracker, events))
        return events

    async def _instead_of_fallback(
        self, call: RasaCall, tracker: Tracker, trusted: Tracker
    ) -> list[dict[str, Any]] | None:
        """A message Rasa could not place that our engine would act on: the task it names runs
        now, in this call, and a form it opens reads the message (`rasa_outside.py`)."""
        message = dict(trusted.latest_message)
        rules = self.bridge.domain.intent_rules
        intent = task_of(
            message,
            logged_in=call.user_id is not None,
            rules=self.bridge.rules,
            has_rule={i for i, names in rules.items() if names and names[0] != FALLBACK},
        )
        if intent is None:
            return None
        return await self._start(call, tracker, {**message, "intent": {"name": intent}})

    async def _start(
        self, call: RasaCall, tracker: Tracker, request: dict[str, Any]
    ) -> list[dict[str, Any]] | None:
        """The request's task, run now in this call: gated by the login, and a form it opens
        reads the request."""
        intent = str((request.get("intent") or {}).get("name", ""))
        request = {**request, "intent": {"name": intent, "confidence": 1.0}}
        names = self.bridge.domain.intent_rules.get(intent, [])
        if not names:
            return None
        name = names[0]
        if name.startswith("utter_"):
            call.said.append({"response": name})
            return []
        action = self.bridge.actions[name]
        gate = self._gate(call, action, request)
        if gate is not None:
            return gate
        events = await self._run(call, action, call.trusted(tracker, request))
        if any(e.get("event") == "active_loop" for e in events):
            call.state["opening"] = request  # the form it opens reads the request
        return events

    def _gate(
        self, call: RasaCall, action: Action, request: dict[str, Any]
    ) -> list[dict[str, Any]] | None:
        """A request that needs a login waits for it, as in our engine."""
        if not getattr(action, "requires_login", False):
            return None
        if call.user_id is None:
            call.state["after_login"] = request
            call.said.append({"response": "utter_please_login"})
            return [ActiveLoop("login_form"), SlotSet(REQUESTED, None)]
        try:
            remaining = first_login_state(self.bridge.context.uow(), user_id=call.user_id).remaining
        except NotFound:
            return None
        if not remaining:
            return None
        call.state["after_login"] = request
        call.said.append({"response": "utter_first_login_required"})
        return [
            SlotSet("first_login_short", remaining == ("password",)),
            ActiveLoop("first_login_form"),
            SlotSet(REQUESTED, None),
        ]

    async def _replay(
        self, call: RasaCall, tracker: Tracker, events: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Once logged in, the request that waited runs now, with its own message, in this same
        call (a follow-up action would leave Rasa's rules nothing to predict after it)."""
        if call.user_id is None or any(e.get("event") == "active_loop" for e in events):
            return []
        waiting = call.state.pop("after_login", None)
        if not waiting:
            return []
        intent = str((waiting.get("intent") or {}).get("name", ""))
        actions = self.bridge.domain.intent_rules.get(intent, [])
        if not actions:
            return []
        replayed = call.trusted(tracker, waiting)
        replayed.slots["after_login_pending"] = False
        found = await self._run_other(call, actions[0], replayed)
        if any(e.get("event") == "active_loop" for e in found):
            call.state["opening"] = waiting  # the form it opens reads the request
        return found

    async def _run_other(self, call: RasaCall, name: str, tracker: Tracker) -> list[dict[str, Any]]:
        if name.startswith("utter_"):
            call.said.append({"response": name})
            return []
        return await self._run(call, self.bridge.actions[name], tracker)

    async def _run(self, call: RasaCall, action: Action, tracker: Tracker) -> list[dict[str, Any]]:
        dispatcher = CollectingDispatcher()
        events = list(await action.run(dispatcher, tracker, self.bridge.domain.as_rasa_dict()))
        call.said.extend(dispatcher.messages)
        return events
