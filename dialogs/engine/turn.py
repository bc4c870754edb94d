"""One turn: from an inbound message to the bot's messages, on a loaded conversation.

The turn understands the message (a pressed button is looked up among those offered in the
previous turn; text is checked at the edge, then parsed), asks the policy what to do
(`policy.decide`), does it (run a rule, the form loop, a digression, an engine question), and
collects what the actions said. Applying the actions' events is `events.py`; the form loop is
`forms.py`; the transaction around the turn is `engine.py`.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from dialogs.engine import replies
from dialogs.engine.events import EventApplier
from dialogs.engine.forms import FormLoop
from dialogs.engine.inbound import check_text
from dialogs.engine.policy import Decision, Do, decide
from dialogs.engine.ports import EnginePort
from dialogs.engine.state import ConversationState, Offered, Pending, Suspended
from dialogs.engine.understanding import Reader
from dialogs.io import Choice, Document, Inbound, OutMessage, Reply
from dialogs.payloads import parse_payload
from services.accounts.views import first_login_state
from services.core.conversations import ConversationRecord
from services.core.errors import NotFound
from services.declarations.uploads import store_upload

Parse = dict[str, Any]
MAX_CHAINED_ACTIONS = 12
_RESPONSE_KEYS = (
    "text",
    "buttons",
    "custom",
    "response",
    "template",
    "image",
    "attachment",
    "elements",
)


class Turn:
    """Everything that happens between one inbound message and its reply."""

    def __init__(self, engine: EnginePort, record: ConversationRecord, inbound: Inbound) -> None:
        self.engine = engine
        self.domain = engine.domain
        self.record = record
        self.inbound = inbound
        self.now: datetime = engine.context.now()
        self.state = ConversationState.from_stored(record.state)
        asked = self.state.requested_slot
        self.was_asking_secret = asked is not None and engine.is_secret(asked)
        self.messages: list[OutMessage] = []
        self.offered: dict[str, Offered] = {}
        self.secret = False
        self.chosen_label: str | None = None
        self.depth = 0
        self.forms = FormLoop(self)
        self.events = EventApplier(self)

    # ----- what the bot says -------------------------------------------------------------------
    @property
    def slots(self) -> dict[str, Any]:
        return self.state.slots

    @property
    def user_id(self) -> int | None:
        return self.record.user_id

    def say(self, response: str, /, **values: Any) -> None:
        rendered = self.domain.render(response, **{**self.slots, **values})
        self._add(rendered.text, list(rendered.buttons), None)

    def _add(self, text: str, buttons: list[dict[str, Any]], document: Document | None) -> None:
        choices = []
        for button in buttons:
            key = secrets.token_urlsafe(6)
            self.offered[key] = Offered(payload=str(button["payload"]), label=str(button["title"]))
            choices.append(Choice(label=str(button["title"]), key=key))
        self.messages.append(OutMessage(text=text, choices=tuple(choices), document=document))

    def collect(self, dispatcher: CollectingDispatcher) -> None:
        for message in dispatcher.messages:
            document = None
            custom = message.get("custom") or {}
            if "document" in custom:
                doc = custom["document"]
                document = Document(
                    filename=doc["filename"],
                    content=doc["content"],
                    mime_type=doc.get("mime_type", "application/pdf"),
                )
            buttons = list(message.get("buttons") or [])
            response = message.get("response")
            if response:
                values = {k: v for k, v in message.items() if k not in _RESPONSE_KEYS}
                rendered = self.domain.render(response, **{**self.slots, **values})
                text = rendered.text
                buttons = buttons or list(rendered.buttons)
            else:
                text = message.get("text") or ""
            self._add(text, buttons, document)

    # ----- the turn ----------------------------------------------------------------------------
    async def run(self) -> Reply:
        self._check_binding()
        if not self.inbound.private_chat:
            self.say("utter_private_only")
            return self._reply()
        parse = self._understand()
        if parse is not None:
            self.state.remember(f"user:{parse['intent']['name']}")
            await self.dispatch(parse)
        self.state.offered = self.offered
        for slot in list(self.slots):
            if self.engine.is_secret(slot):
                self.slots[slot] = None
        self.record.state = self.state.stored()
        return self._reply()

    def _reply(self) -> Reply:
        requested = self.state.requested_slot
        return Reply(
            messages=tuple(self.messages),
            inbound_was_secret=self.secret,
            expects_secret=requested is not None and self.engine.is_secret(requested),
            chosen_label=self.chosen_label,
        )

    def _check_binding(self) -> None:
        record = self.record
        if record.user_id is None:
            return
        if record.bound_until is None or record.bound_until <= self.now:
            self._suspend()
            self.unbind()
            self.say("utter_session_expired", minutes=self.engine.context.session_minutes)
            return
        record.bound_until = self.now + self.engine.session_length

    def _suspend(self) -> None:
        """A form in progress is kept, for the same user, until they log in again."""
        form = self.state.active_form
        if form is None or self.record.user_id is None or form in self.engine.account_forms:
            return
        kept = {
            slot: value
            for slot in self.forms.slots_of(form)
            if (value := self.slots.get(slot)) is not None and not self.engine.is_secret(slot)
        }
        kept["requested_slot"] = self.slots.get("requested_slot")
        self.state.suspended = Suspended(user_id=self.record.user_id, form=form, slots=kept)

    def unbind(self) -> None:
        self.record.user_id = None
        self.record.bound_until = None
        self.state.slots = {}
        self.state.active_form = None
        self.state.pending = None
        self.state.after_login = None

    def _understand(self) -> Parse | None:
        inbound = self.inbound
        if inbound.choice is not None:
            offered = self.state.offered.get(inbound.choice)
            parse = parse_payload(offered.payload) if offered is not None else None
            if parse is None:
                self.say("utter_stale_choice")
                self._keep_offered()
                return {
                    "text": "",
                    "intent": {"name": "__reprompt__", "confidence": 1.0},
                    "entities": [],
                }
            self.chosen_label = offered.label if offered else None
            parse["pressed"] = True
            return parse
        if inbound.attachment is not None:
            return self._attachment(inbound.attachment)
        if inbound.text is None or not inbound.text.strip():
            self.say("utter_text_only")
            self._keep_offered()
            return None
        checked = check_text(inbound.text)
        requested = self.state.requested_slot
        secret = requested is not None and self.engine.is_secret(requested)
        self.secret = secret
        if checked.refused is not None:
            self.say(f"utter_text_refused_{checked.refused}")
            return {
                "text": "",
                "intent": {"name": "__reprompt__", "confidence": 1.0},
                "entities": [],
            }
        return Reader(self).parse(checked.text, secret=secret)

    def _attachment(self, document: Document) -> Parse:
        """A file sent: kept for this chat, and read by whatever the intent's rule runs."""
        upload_id = store_upload(
            self.engine.context.uow(),
            channel=self.record.channel,
            chat_id=self.record.chat_id,
            filename=document.filename,
            content=document.content,
            now=self.now,
        )
        return {
            "text": "",
            "intent": {"name": "send_spreadsheet", "confidence": 1.0},
            "entities": [{"entity": "upload_id", "value": upload_id}],
        }

    def _keep_offered(self) -> None:
        self.offered.update(self.state.offered)

    # ----- decisions ---------------------------------------------------------------------------
    async def dispatch(self, parse: Parse) -> None:
        self.depth += 1
        if self.depth > MAX_CHAINED_ACTIONS:
            return
        if parse["intent"]["name"] == "__reprompt__":
            await self.reprompt()
            return
        if parse["intent"]["name"] == "resend_receipt" and parse.get("pressed"):
            self._resend(parse)
            return
        reader = Reader(self)
        situation = reader.situation(parse)
        decision = decide(situation, reader.understanding(parse, situation), self.engine.rules)
        self.state.remember(f"do:{decision.do.value}")
        await self.carry_out(decision, parse)

    async def carry_out(self, decision: Decision, parse: Parse) -> None:
        do, form = decision.do, self.state.active_form
        if do in (Do.CONFIRMED, Do.DECLINED, Do.NOT_ANSWERED):
            await self._answer_pending(decision, parse)
        elif do is Do.RESUME_FORM and form:
            self.say("utter_resume", task=self.task_label(form))
            await self.forms.ask(form, self.state.requested_slot)
        elif do is Do.CONFIRM_CANCEL and form:
            self.state.pending = Pending(kind="cancel")
            self.say("utter_confirm_cancel", task=self.task_label(form))
        elif do is Do.CONTINUE_FORM and form:
            await self.forms.run(form, parse, activating=False)
        elif do is Do.DIGRESS and decision.intent:
            await self.run_rule(decision.intent, parse)
            if form and self.state.active_form == form:
                await self.forms.ask(form, self.state.requested_slot)
        elif do is Do.CONFIRM_SWITCH and form:
            switched = dict(parse)
            if decision.intent and parse["intent"]["name"] != decision.intent:
                switched["intent"] = {"name": decision.intent, "confidence": 1.0}
            self.state.pending = Pending(kind="switch", parse=switched)
            self.say("utter_confirm_switch", task=self.task_label(form))
        elif do is Do.CLARIFY:
            await self._clarify(decision.options)
        elif do is Do.NOTHING_TO_CANCEL:
            self.say("utter_nothing_to_cancel")
            await self.run_action("action_main_menu", parse)
        elif (do is Do.RUN_RULE and decision.intent) or (do is Do.LOOK_UP and decision.intent):
            await self.run_rule(decision.intent, parse)
        elif do is Do.LOGIN_WITH_IDENTIFIER:
            await self.run_action("action_start_login", parse)
        elif do is Do.OUT_OF_SCOPE:
            await self.run_rule("out_of_scope", parse)
        else:
            await self.run_action("action_fallback", parse)

    def _resend(self, parse: Parse) -> None:
        """The receipt of an earlier turn, sent again (offered after a failed delivery)."""
        wanted = next(
            (e.get("value") for e in parse.get("entities", []) if e.get("entity") == "update_id"),
            None,
        )
        kept = replies.find(self.record.replies, int(wanted)) if isinstance(wanted, int) else None
        documents = replies.messages(kept, documents_only=True) if kept else ()
        if not documents:
            self.say("utter_reply_lost")
            return
        text = self.domain.render("utter_receipt_resent").text
        for message in documents:
            self._add(text, [], message.document)

    async def reprompt(self) -> None:
        """After a stale button or refused text: the pending question again, or the menu."""
        form = self.state.active_form
        if self.state.pending is not None:
            self._keep_offered()
        elif form:
            await self.forms.ask(form, self.state.requested_slot)
        else:
            await self.run_action("action_main_menu", None)

    async def _clarify(self, options: tuple[str, ...]) -> None:
        buttons = [
            {"title": self.task_label_for_intent(intent), "payload": f"/{intent}"}
            for intent in options
        ]
        self._add(self.domain.render("utter_clarify_task").text, buttons, None)

    async def _answer_pending(self, decision: Decision, parse: Parse) -> None:
        pending = self.state.pending
        self.state.pending = None
        form = self.state.active_form
        if pending is None:
            return
        if decision.do is Do.CONFIRMED:
            if pending.kind == "resume":
                await self._resume()
                return
            if form:
                self.forms.drop(form)
            if pending.kind == "cancel":
                self.state.after_login = None  # the request waiting for this form goes too
                self.say("utter_cancelled")
                await self.run_action("action_main_menu", parse)
            elif pending.parse is not None:
                await self.dispatch(pending.parse)
            return
        if pending.kind == "resume":
            self.state.suspended = None
            if decision.do is Do.DECLINED:
                self.say("utter_resume_declined")
                return
        if form and decision.do is Do.DECLINED:
            self.say("utter_continue")
            await self.forms.ask(form, self.state.requested_slot)
        elif form or decision.do is Do.NOT_ANSWERED:
            await self.dispatch(parse)

    async def _resume(self) -> None:
        suspended = self.state.suspended
        self.state.suspended = None
        if suspended is None or suspended.user_id != self.user_id:
            return
        self.state.slots.update(suspended.slots)
        self.state.active_form = suspended.form
        self.say("utter_resume", task=self.task_label(suspended.form))
        await self.forms.ask(suspended.form, self.state.requested_slot)

    def offer_resume(self) -> bool:
        """After a login: offer to take up the form the session's expiry interrupted."""
        suspended = self.state.suspended
        if suspended is None:
            return False
        if suspended.user_id != self.user_id:
            self.state.suspended = None
            return False
        self.state.pending = Pending(kind="resume")
        self.say("utter_offer_resume", task=self.task_label(suspended.form))
        return True

    def task_label(self, form: str) -> str:
        name = f"utter_task_{form}"
        return self.domain.render(name if self.domain.has_response(name) else "utter_task_any").text

    def task_label_for_intent(self, intent: str) -> str:
        name = f"utter_intent_{intent}"
        return self.domain.render(name).text if self.domain.has_response(name) else intent

    async def run_rule(self, intent: str, parse: Parse) -> None:
        for action in self.domain.intent_rules.get(intent, []):
            await self.run_action(action, parse)

    # ----- actions -----------------------------------------------------------------------------
    def tracker(self, parse: Parse | None, extra_events: list[dict[str, Any]]) -> Tracker:
        events: list[dict[str, Any]] = []
        if parse is not None:
            events.append({"event": "user", "text": parse.get("text"), "parse_data": parse})
        events.extend(extra_events)
        form = self.state.active_form
        return Tracker(
            sender_id=f"{self.record.channel}:{self.record.chat_id}",
            slots={
                **dict.fromkeys(self.domain.slots),
                **self.slots,
                "session_user_id": self.user_id,
                "after_login_pending": self.state.after_login is not None,
            },
            latest_message=parse or {},
            events=events,
            paused=False,
            followup_action=None,
            active_loop={"name": form} if form else {},
            latest_action_name=None,
        )

    async def run_action(self, name: str, parse: Parse | None) -> None:
        if name.startswith("utter_"):
            self.say(name)
            return
        action = self.engine.actions[name]
        if getattr(action, "requires_login", False) and self.user_id is None:
            self.state.after_login = parse
            self.say("utter_please_login")
            await self.forms.activate("login_form", parse)
            return
        if getattr(action, "requires_login", False) and self._first_login_unfinished():
            # A provisional password or an unfinished first connection gives no access to
            # tenants' data, even after the first-connection form was left half way.
            self.state.after_login = parse
            self.say("utter_first_login_required")
            await self.forms.activate("first_login_form", parse)
            return
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, self.tracker(parse, []), self.domain.as_rasa_dict())
        self.collect(dispatcher)
        self.state.remember(f"action:{name}")
        await self.events.apply(events, parse)

    def _first_login_unfinished(self) -> bool:
        if self.user_id is None:
            return False
        try:
            remaining = first_login_state(self.engine.context.uow(), user_id=self.user_id).remaining
        except NotFound:
            return False
        self.slots["first_login_short"] = remaining == ("password",)
        return bool(remaining)

    def set_slot(self, name: str, value: Any) -> None:
        self.events.set_slot(name, value)

    async def after_form(self, form: str) -> None:
        """Once login (and a first connection it may have opened) is over: the request that
        needed it is replayed, or the form a session expiry interrupted is offered again."""
        if form not in ("login_form", "first_login_form") or self.user_id is None:
            return
        if self.state.active_form is not None:
            return
        after = self.state.after_login
        if after is not None:
            self.state.after_login = None
            self.state.suspended = None
            await self.dispatch(after)
            return
        self.offer_resume()
