"""A form's turn behind Rasa: our engine's in-form policy, run inside `validate_<form>`.

Rasa calls `validate_<form>` after each message while the form is active. Before the form reads
the message, the engine's own decision (`dialogs.engine.policy.decide`) runs on it, so the same
message does the same thing as in our engine: an answer or a correction goes to the form;
"annuler" or another task gets a yes/no confirmation (the question is kept server-side, the
form stays active and its question is not asked again meanwhile); a FAQ or help is answered and
the pending question asked again. A confirmed cancel closes the form (its completion action then
does nothing); a confirmed switch closes it, and its completion action starts the new request
with its own message.
The validation always returns a slot event, so Rasa never rejects the form and never needs a
rule of its own to come back to it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.rasa_call import RasaCall, blank_message
from dialogs.engine.engine import DIGRESSIONS, TASKS
from dialogs.engine.policy import Decision, Do, Rules, Situation, Understanding, decide
from dialogs.engine.understanding import Reader, small_talk
from dialogs.forms.form_message import REQUESTED, SHORT_RECAP, _pressed
from dialogs.forms.lexicon import lexicon, words
from dialogs.forms.spec import FREE_KINDS, Kind
from dialogs.forms.validation import SpecFormValidation

RunAction = Callable[[str, Tracker], Awaitable[list[dict[str, Any]]]]
PENDING = "pending"


class FormTurn:
    """One call of `validate_<form>`."""

    def __init__(
        self,
        call: RasaCall,
        validator: SpecFormValidation,
        rules: Rules,
        own_intents: frozenset[str],
        run_action: RunAction,
        claim: Callable[[str], tuple[str, str] | None],
    ) -> None:
        self.call = call
        self.claim = claim
        self.validator = validator
        self.form = validator.spec.name
        self.rules = rules
        self.own_intents = own_intents
        self.run_action = run_action
        self.domain = call.context.domain

    async def run(self, tracker: Tracker) -> list[dict[str, Any]]:
        requested = tracker.get_slot(REQUESTED)
        if not after_user_message(tracker, self.form):
            opening = self.call.state.pop("opening", None)
            if opening is not None:
                latest = opening
            elif requested is None:
                latest = dict(tracker.latest_message or {})
            else:
                latest = blank_message()
            return await self._validate(self.call.trusted(tracker, latest))
        trusted = self.call.trusted(tracker)
        message = dict(trusted.latest_message)
        pending = self.call.state.get(PENDING)
        if pending is not None and pending.get("form") == self.form:
            decision = decide(
                Situation(pending=pending["kind"]), self._understood(message), self.rules
            )
            if decision.do is not Do.NOT_ANSWERED:
                return await self._answer_pending(decision, pending, trusted)
            self.call.state.pop(PENDING, None)
        decision = decide(self._situation(message, trusted), self._understood(message), self.rules)
        return await self._carry_out(decision, message, trusted, requested)

    # ----- reading ---------------------------------------------------------------------------
    def _situation(self, message: dict[str, Any], tracker: Tracker) -> Situation:
        requested = tracker.get_slot(REQUESTED)
        question = self.validator.spec.question(str(requested)) if requested else None
        free = question is not None and question.kind in FREE_KINDS
        secret = question is not None and question.kind is Kind.SECRET
        takes = self.validator.takes(message, dict(tracker.slots))
        if free and len(str(message.get("text", "")).split()) < 2:
            takes = "answer"
        return Situation(
            logged_in=self.call.user_id is not None,
            active_form=self.form,
            free_text_expected=free,
            secret_expected=secret,
            form_takes_message=takes == "answer",
            leaving=takes == "leave",
            other_subject=takes == "other",
            own_intents=self.own_intents,
        )

    def _understood(self, message: dict[str, Any]) -> Understanding:
        intent = message.get("intent") or {}
        name = str(intent.get("name", ""))
        confidence = float(intent.get("confidence") or 0.0)
        text = str(message.get("text") or "")
        return Understanding(
            intent=name,
            confidence=confidence,
            pressed=_pressed(message),
            command=_command(text),
            agreement=Reader._agreement(text, name, confidence),
            request=self.claim(text),
            small_talk=small_talk(text, name),
        )

    # ----- doing -----------------------------------------------------------------------------
    async def _carry_out(
        self, decision: Decision, message: dict[str, Any], tracker: Tracker, requested: Any
    ) -> list[dict[str, Any]]:
        do = decision.do
        if do is Do.CONFIRM_CANCEL:
            self._ask_pending("cancel", requested)
            return self._ask_again(requested, tracker)
        if do is Do.CONFIRM_SWITCH and decision.intent:
            switched = {**message, "intent": {"name": decision.intent, "confidence": 1.0}}
            self._ask_pending("switch", requested, parse=switched)
            return self._ask_again(requested, tracker)
        if do is Do.DIGRESS and decision.intent:
            for action in self.domain.intent_rules.get(decision.intent, []):
                await self.run_action(action, tracker)
            return self._ask_again(requested, tracker)
        if do is Do.SMALL_TALK and decision.intent:
            self.call.said.append({"response": f"utter_{decision.intent}_in_form"})
            return self._ask_again(requested, tracker)
        if do is Do.RESUME_FORM:
            self.call.said.append({"response": "utter_resume", "task": self._task()})
            return self._ask_again(requested, tracker)
        return await self._validate(tracker)

    def _ask_pending(self, kind: str, requested: Any, parse: dict[str, Any] | None = None) -> None:
        self.call.state[PENDING] = {
            "kind": kind,
            "form": self.form,
            "requested": requested,
            "parse": parse,
        }
        response = "utter_confirm_cancel" if kind == "cancel" else "utter_confirm_switch"
        self.call.said.append({"response": response, "task": self._task()})

    async def _answer_pending(
        self, decision: Decision, pending: dict[str, Any], tracker: Tracker
    ) -> list[dict[str, Any]]:
        self.call.state.pop(PENDING, None)
        requested = pending.get("requested")
        if decision.do is Do.DECLINED:
            self.call.said.append({"response": "utter_continue"})
            return self._ask_again(requested, tracker)
        closing: list[dict[str, Any]] = [
            *(SlotSet(slot, None) for slot in self.validator.spec.slots()),
            SlotSet(REQUESTED, None),
            ActiveLoop(None),
        ]
        self.call.state["dropped"] = self.form
        self.call.state.pop("after_login", None)
        if pending["kind"] == "cancel":
            self.call.said.append({"response": "utter_cancelled"})
            await self.run_action("action_main_menu", tracker)
            return closing
        # The new request runs in the form's completion action, which Rasa's rule predicts
        # next (a FollowupAction would skip it, and leave the rules nothing to predict after).
        self.call.state["switch_to"] = pending.get("parse") or blank_message()
        return closing

    def _ask_again(self, requested: Any, tracker: Tracker) -> list[dict[str, Any]]:
        """Rasa asks `requested` again; a slot event keeps it from rejecting the form."""
        return [SlotSet(SHORT_RECAP, tracker.get_slot(SHORT_RECAP)), SlotSet(REQUESTED, requested)]

    async def _validate(self, tracker: Tracker) -> list[dict[str, Any]]:
        dispatcher = CollectingDispatcher()
        events = list(await self.validator.run(dispatcher, tracker, self.domain.as_rasa_dict()))
        self.call.said.extend(dispatcher.messages)
        secrets = [
            SlotSet(q.slot, None) for q in self.validator.spec.questions if q.kind is Kind.SECRET
        ]
        if not any(e.get("name") != REQUESTED for e in events if e.get("event") == "slot"):
            events.insert(0, SlotSet(SHORT_RECAP, tracker.get_slot(SHORT_RECAP)))
        return [*secrets, *events]

    def _task(self) -> str:
        name = f"utter_task_{self.form}"
        return self.domain.render(name if self.domain.has_response(name) else "utter_task_any").text


def after_user_message(tracker: Tracker, form: str) -> bool:
    """Whether the form runs on a new message (else it resumes after one of our actions).

    Rasa calls the validation on a copy of the tracker ending with the form's own execution;
    what came before it says why the form runs."""
    skipped_form = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind == "action":
            if not skipped_form and event.get("name") == form:
                skipped_form = True
                continue
            return event.get("name") == "action_listen"
    return False


def _command(text: str) -> str | None:
    """A command typed as such ("/menu", or "annuler" alone), as our engine reads it."""
    commands = lexicon().commands
    if text.startswith("/"):
        return commands.get(text.split()[0].lower())
    message = words(text)
    if 0 < len(message) <= 2:
        return commands.get(" ".join(w for w in message if w.isalnum()))
    return None


def engine_rules(domain_rules: dict[str, list[str]], fallback_threshold: float) -> Rules:
    return Rules(
        with_rule=frozenset(i for i, actions in domain_rules.items() if actions),
        digressions=DIGRESSIONS,
        tasks=TASKS,
        fallback_threshold=fallback_threshold,
    )
