"""What a turn does with an understood message: asks the policy (`policy.decide`), then carries
the decision out: a rule, the form loop, a digression, or the engine's own questions (leave the
form? switch task? take up the interrupted form?) and their answers."""

from __future__ import annotations

from dialogs.engine import replies
from dialogs.engine.policy import Decision, Do, decide
from dialogs.engine.ports import Parse, TurnPort
from dialogs.engine.state import Pending
from dialogs.engine.understanding import Reader

# How sure the NLU must be that an unanswered switch question was answered by doing the task.
SURE_SWITCH = 0.6

MAX_CHAINED_ACTIONS = 12


class Decisions:
    """The decisions of one turn; chained dispatches are bounded."""

    def __init__(self, turn: TurnPort) -> None:
        self.turn = turn
        self.depth = 0

    async def dispatch(self, parse: Parse) -> None:
        turn = self.turn
        self.depth += 1
        if self.depth > MAX_CHAINED_ACTIONS:
            return
        if parse["intent"]["name"] == "__reprompt__":
            await self.reprompt()
            return
        if parse["intent"]["name"] == "resend_receipt" and parse.get("pressed"):
            self._resend(parse)
            return
        reader = Reader(turn)
        situation = reader.situation(parse)
        decision = decide(situation, reader.understanding(parse, situation), turn.engine.rules)
        turn.state.remember(f"do:{decision.do.value}")
        await self.carry_out(decision, parse)

    async def carry_out(self, decision: Decision, parse: Parse) -> None:
        turn = self.turn
        do, form = decision.do, turn.state.active_form
        if do in (Do.CONFIRMED, Do.DECLINED, Do.NOT_ANSWERED):
            await self._answer_pending(decision, parse)
        elif do is Do.RESUME_FORM and form:
            turn.say("utter_resume", task=self.task_label(form))
            await turn.forms.ask(form, turn.state.requested_slot)
        elif do is Do.CONFIRM_CANCEL and form:
            turn.state.pending = Pending(kind="cancel")
            turn.say("utter_confirm_cancel", task=self.task_label(form))
        elif do is Do.CONTINUE_FORM and form:
            await turn.forms.run(form, parse, activating=False)
        elif do is Do.DIGRESS and decision.intent:
            await turn.run_rule(decision.intent, parse)
            if form and turn.state.active_form == form:
                await turn.forms.ask(form, turn.state.requested_slot)
        elif do is Do.SMALL_TALK and decision.intent and form:
            turn.say(f"utter_{decision.intent}_in_form")
            await turn.forms.ask(form, turn.state.requested_slot)
        elif do is Do.SWITCH and form:
            turn.forms.drop(form)
            await turn.run_rule(decision.intent or parse["intent"]["name"], parse)
        elif do is Do.CONFIRM_SWITCH and form:
            switched = dict(parse)
            if decision.intent and parse["intent"]["name"] != decision.intent:
                switched["intent"] = {"name": decision.intent, "confidence": 1.0}
            turn.state.pending = Pending(kind="switch", parse=switched)
            turn.say("utter_confirm_switch", task=self.task_label(form))
        elif do is Do.CLARIFY:
            self._clarify(decision.options, parse)
        elif do is Do.NOTHING_TO_CANCEL:
            turn.say("utter_nothing_to_cancel")
            await turn.run_action("action_main_menu", parse)
        elif (do is Do.RUN_RULE and decision.intent) or (do is Do.LOOK_UP and decision.intent):
            await turn.run_rule(decision.intent, parse)
        elif do is Do.LOGIN_WITH_IDENTIFIER:
            await turn.run_action("action_start_login", parse)
        elif do is Do.OUT_OF_SCOPE:
            await turn.run_rule("out_of_scope", parse)
        else:
            await turn.run_action("action_fallback", parse)

    def _resend(self, parse: Parse) -> None:
        """The receipt of an earlier turn, sent again (offered after a failed delivery)."""
        turn = self.turn
        wanted = next(
            (e.get("value") for e in parse.get("entities", []) if e.get("entity") == "update_id"),
            None,
        )
        kept = replies.find(turn.record.replies, int(wanted)) if isinstance(wanted, int) else None
        documents = replies.messages(kept, documents_only=True) if kept else ()
        if not documents:
            turn.say("utter_reply_lost")
            return
        text = turn.domain.render("utter_receipt_resent").text
        for message in documents:
            turn.add(text, [], message.document)

    async def reprompt(self) -> None:
        """After a stale button or refused text: the pending question again, or the menu."""
        turn = self.turn
        form = turn.state.active_form
        if turn.state.pending is not None:
            turn.keep_offered()
        elif form:
            await turn.forms.ask(form, turn.state.requested_slot)
        else:
            await turn.run_action("action_main_menu", None)

    def _clarify(self, options: tuple[str, ...], parse: Parse) -> None:
        """Which of two close tasks: the one chosen reads the message again, entities and all."""
        message = {k: v for k, v in parse.items() if k not in ("ambiguous", "intent_ranking")}
        buttons = [
            {"title": self.task_label_for_intent(i), "payload": f"/{i}", "message": message}
            for i in options
        ]
        self.turn.add(self.turn.domain.render("utter_clarify_task").text, buttons, None)

    async def _answer_pending(self, decision: Decision, parse: Parse) -> None:
        turn = self.turn
        pending = turn.state.pending
        turn.state.pending = None
        form = turn.state.active_form
        if pending is None:
            return
        if _same_request(pending, decision, parse):
            # « je veux déclarer un loyer » asked « abandon? », then « brisson 330 »: a yes.
            decision, pending = Decision(Do.CONFIRMED), Pending(kind="switch", parse=parse)
        if decision.do is Do.CONFIRMED:
            if pending.kind == "resume":
                await self._resume()
                return
            if form:
                turn.forms.drop(form)
            if pending.kind == "cancel":
                turn.state.after_login = None  # the request waiting for this form goes too
                turn.say("utter_cancelled")
                await turn.run_action("action_main_menu", parse)
            elif pending.parse is not None:
                await self.dispatch(pending.parse)
            return
        if pending.kind == "resume":
            turn.state.suspended = None
            if decision.do is Do.DECLINED:
                turn.say("utter_resume_declined")
                return
        if form and decision.do is Do.DECLINED:
            turn.say("utter_continue")
            await turn.forms.ask(form, turn.state.requested_slot)
        elif form or decision.do is Do.NOT_ANSWERED:
            await self.dispatch(parse)

    async def _resume(self) -> None:
        turn = self.turn
        suspended = turn.state.suspended
        turn.state.suspended = None
        if suspended is None or suspended.user_id != turn.user_id:
            return
        turn.state.slots.update(suspended.slots)
        turn.state.active_form = suspended.form
        turn.say("utter_resume", task=self.task_label(suspended.form))
        await turn.forms.ask(suspended.form, turn.state.requested_slot)

    def offer_resume(self) -> bool:
        """After a login: offer to take up the form the session's expiry interrupted."""
        turn = self.turn
        suspended = turn.state.suspended
        if suspended is None:
            return False
        if suspended.user_id != turn.user_id:
            turn.state.suspended = None
            return False
        turn.state.pending = Pending(kind="resume")
        turn.say("utter_offer_resume", task=self.task_label(suspended.form))
        return True

    def task_label(self, form: str) -> str:
        domain = self.turn.domain
        name = f"utter_task_{form}"
        return domain.render(name if domain.has_response(name) else "utter_task_any").text

    def task_label_for_intent(self, intent: str) -> str:
        domain = self.turn.domain
        name = f"utter_button_{intent}"
        return domain.render(name if domain.has_response(name) else "utter_task_any").text


def _same_request(pending: Pending, decision: Decision, parse: Parse) -> bool:
    """The message left the switch question unanswered but asks for the very task offered."""
    if decision.do is not Do.NOT_ANSWERED or pending.kind != "switch" or pending.parse is None:
        return False
    wanted = (pending.parse.get("intent") or {}).get("name")
    intent = parse.get("intent") or {}
    return (
        bool(wanted)
        and intent.get("name") == wanted
        and float(intent.get("confidence") or 0.0) >= SURE_SWITCH
    )
