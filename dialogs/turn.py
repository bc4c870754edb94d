"""One turn of a conversation: the policy, form runs and event application.

Conversation state (`record.state`) holds: `slots`, `active_loop`, `choices` (opaque key ->
payload, only those offered in the last turn), `labels`, `pending` (a yes/no question of the
engine itself: cancel or switch task), `after_login` (the request to replay once logged in),
`history` (recent intents and actions) and `updates` (recent update ids).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from dialogs.extraction import extract
from dialogs.io import Choice, Document, Inbound, OutMessage, Reply
from dialogs.nlu import TenantCandidate
from dialogs.payloads import parse_payload
from services.accounts.views import first_login_state
from services.core.conversations import ConversationRecord
from services.core.errors import NotAllowed, NotFound
from services.tenants.views import tenant_candidates

if TYPE_CHECKING:
    from dialogs.engine import Engine

COMMANDS = {
    "/start": "greet",
    "/aide": "help",
    "/help": "help",
    "/menu": "menu",
    "/annuler": "cancel",
    "/cancel": "cancel",
    "/deconnexion": "logout",
    "/déconnexion": "logout",
    "/logout": "logout",
}
DIGRESSIONS = {
    "help",
    "bot_challenge",
    "contact_caf",
    "faq_user_number",
    "faq_lost_identifier",
    "faq_forgot_password",
    "faq_first_login",
    "faq_administrator",
}
TASKS = {
    "login",
    "logout",
    "declare_rent",
    "declare_change",
    "report_unpaid",
    "list_tenants",
    "view_payments",
    "manage_users",
    "menu",
}
MAX_CHAINED_ACTIONS = 12
FREE_TEXT_DIGRESSION_CONFIDENCE = 0.6
# A bare value said outside any form is a request about it: the first entity found picks the task
# ("allocataire 21083" shows that tenant, "brisson est partie" declares a change).
INFORM_TASKS = (
    ("change_type", "declare_change"),
    ("tenant_name", "list_tenants"),
    ("allocataire_number", "list_tenants"),
)


def _is_secret(slot: str | None) -> bool:
    return slot is not None and "password" in slot


class Turn:
    """Everything that happens between one inbound message and its reply."""

    def __init__(self, engine: Engine, record: ConversationRecord, inbound: Inbound) -> None:
        self.engine = engine
        self.domain = engine.domain
        self.record = record
        self.inbound = inbound
        self.now: datetime = engine.context.now()
        self.state = record.state
        self.state.setdefault("slots", {})
        self.messages: list[OutMessage] = []
        self.new_choices: dict[str, str] = {}
        self.new_labels: dict[str, str] = {}
        self.secret = False
        self.chosen_label: str | None = None
        self.depth = 0
        self.stale = False

    # ----- state helpers -------------------------------------------------------------------
    @property
    def slots(self) -> dict[str, Any]:
        slots: dict[str, Any] = self.state["slots"]
        return slots

    @property
    def active_loop(self) -> str | None:
        return self.state.get("active_loop")

    @property
    def user_id(self) -> int | None:
        return self.record.user_id

    def say(self, response: str, /, **values: Any) -> None:
        rendered = self.domain.render(response, **{**self.slots, **values})
        self._add_message(rendered.text, list(rendered.buttons), None)

    def _add_message(
        self, text: str, buttons: list[dict[str, Any]], document: Document | None
    ) -> None:
        choices = []
        for button in buttons:
            key = secrets.token_urlsafe(6)
            self.new_choices[key] = str(button["payload"])
            self.new_labels[key] = str(button["title"])
            choices.append(Choice(label=str(button["title"]), key=key))
        self.messages.append(OutMessage(text=text, choices=tuple(choices), document=document))

    def _history(self, entry: str) -> None:
        history: list[str] = self.state.setdefault("history", [])
        history.append(entry)
        del history[:-20]

    # ----- the turn ------------------------------------------------------------------------
    async def run(self) -> Reply:
        self._check_binding()
        if not self.inbound.private_chat:
            self.say("utter_private_only")
            return self._reply()
        parse = self._understand()
        if self.stale:
            await self._reprompt()
        elif parse is not None:
            self._history(f"user:{parse['intent']['name']}")
            await self.dispatch(parse)
        self.state["choices"] = self.new_choices
        self.state["labels"] = self.new_labels
        for slot in list(self.slots):
            if _is_secret(slot):
                self.slots[slot] = None
        return self._reply()

    def _reply(self) -> Reply:
        requested = self.slots.get("requested_slot") if self.active_loop else None
        return Reply(
            messages=tuple(self.messages),
            inbound_was_secret=self.secret,
            expects_secret=_is_secret(requested),
            chosen_label=self.chosen_label,
        )

    def _check_binding(self) -> None:
        record = self.record
        if record.user_id is None:
            return
        if record.bound_until is None or record.bound_until <= self.now:
            self._unbind()
            self.say("utter_session_expired", minutes=self.engine.context.session_minutes)
            return
        record.bound_until = self.now + self.engine.session_length

    def _unbind(self) -> None:
        self.record.user_id = None
        self.record.bound_until = None
        self.state["slots"] = {}
        self.state["active_loop"] = None
        self.state["pending"] = None
        self.state["after_login"] = None

    def _understand(self) -> dict[str, Any] | None:
        inbound = self.inbound
        if inbound.choice is not None:
            payload = self.state.get("choices", {}).get(inbound.choice)
            if payload is None:
                self.say("utter_stale_choice")
                self.stale = True
                return None
            self.chosen_label = self.state.get("labels", {}).get(inbound.choice)
            return parse_payload(payload)
        if inbound.text is None or not inbound.text.strip():
            self.say("utter_text_only")
            self.new_choices.update(self.state.get("choices", {}))
            self.new_labels.update(self.state.get("labels", {}))
            return None
        text = inbound.text.strip()
        requested = self.slots.get("requested_slot") if self.active_loop else None
        if _is_secret(requested):
            self.secret = True
            return {"text": text, "intent": {"name": "inform", "confidence": 1.0}, "entities": []}
        command = COMMANDS.get(text.split()[0].lower()) if text.startswith("/") else None
        if command is not None:
            return {"text": text, "intent": {"name": command, "confidence": 1.0}, "entities": []}
        return self.engine.parse_text(text, self._tenants())

    async def _reprompt(self) -> None:
        """After a stale or forged button: ask the pending question again, or show the menu."""
        form = self.active_loop
        if form:
            await self._ask(form, self.slots.get("requested_slot"))
        else:
            await self.run_action("action_main_menu", None)

    def _tenants(self) -> list[TenantCandidate]:
        if self.user_id is None:
            return []
        try:
            rows = tenant_candidates(
                self.engine.context.uow(), user_id=self.user_id, today=self.engine.context.today()
            )
        except NotAllowed:
            return []
        return [TenantCandidate(id=i, first_name=f, last_name=last) for i, f, last in rows]

    # ----- policy --------------------------------------------------------------------------
    def _confident(self, parse: dict[str, Any]) -> bool:
        confidence = float(parse.get("intent", {}).get("confidence", 0.0))
        return confidence >= self.engine.nlu.fallback_threshold

    async def dispatch(self, parse: dict[str, Any]) -> None:
        self.depth += 1
        if self.depth > MAX_CHAINED_ACTIONS:
            return
        intent = parse["intent"]["name"]
        pending = self.state.get("pending")
        if pending:
            self.state["pending"] = None
            await self._answer_pending(pending, parse)
            return
        form = self.active_loop
        if form:
            if intent == "greet" and parse.get("text", "").startswith("/start"):
                self.say("utter_resume", task=self._task_label(form))
                await self._ask(form, self.slots.get("requested_slot"))
                return
            if intent == "cancel" and self._confident(parse):
                self.state["pending"] = {"kind": "cancel"}
                self.say("utter_confirm_cancel", task=self._task_label(form))
                return
            if (
                intent in DIGRESSIONS
                and self._confident(parse)
                and not self._answer_expected(parse)
            ):
                await self._run_rule(intent, parse)
                if self.active_loop == form:  # a digression may start its own form
                    await self._ask(form, self.slots.get("requested_slot"))
                return
            if (
                intent in TASKS
                and self._confident(parse)
                and intent not in self._own_intents(form)
                and not self._answer_expected(parse)
            ):
                self.state["pending"] = {"kind": "switch", "parse": parse}
                self.say("utter_confirm_switch", task=self._task_label(form))
                return
            await self.run_form(form, parse, activating=False)
            return
        if intent == "cancel":
            self.say("utter_nothing_to_cancel")
            await self.run_action("action_main_menu", parse)
            return
        if not self._confident(parse) or not self.domain.intent_rules.get(intent):
            task = self._inform_task(parse) if intent == "inform" else None
            if task:
                await self._run_rule(task, parse)
                return
            await self.run_action("action_fallback", parse)
            return
        await self._run_rule(intent, parse)

    def _inform_task(self, parse: dict[str, Any]) -> str | None:
        found = {e.get("entity") for e in parse.get("entities", [])}
        for entity, task in INFORM_TASKS:
            if entity in found and self.domain.intent_rules.get(task):
                return task
        return None

    def _answer_expected(self, parse: dict[str, Any]) -> bool:
        """True when the message must be taken as the answer to the pending question.

        A pressed button always is. So is a one-word message, or a not-so-sure one, while the
        question takes free text (an identifier such as "oliviers.admin" must not be read as a
        question about administrators).
        """
        text = str(parse.get("text", ""))
        if text.startswith("/"):
            return True
        requested = self.slots.get("requested_slot")
        mappings = self.domain.slots.get(str(requested), {}).get("mappings", [])
        if not any(m.get("type") == "from_text" for m in mappings):
            return False
        confidence = float(parse.get("intent", {}).get("confidence", 0.0))
        return len(text.split()) < 2 or confidence < FREE_TEXT_DIGRESSION_CONFIDENCE

    def _own_intents(self, form: str) -> set[str]:
        own = {"inform", "affirm", "deny", "choose"}
        for intent, actions in self.domain.intent_rules.items():
            for action in actions:
                handler = self.engine.actions.get(action)
                if handler is not None and form in getattr(handler, "starts_forms", ()):
                    own.add(intent)
        return own

    def _task_label(self, form: str) -> str:
        name = f"utter_task_{form}"
        return self.domain.render(name).text if self.domain.has_response(name) else "la démarche"

    async def _answer_pending(self, pending: dict[str, Any], parse: dict[str, Any]) -> None:
        intent = parse["intent"]["name"]
        form = self.active_loop
        if intent == "affirm":
            if form:
                self._drop_form(form)
            if pending["kind"] == "cancel":
                self.state["after_login"] = None  # the request waiting for this form goes too
                self.say("utter_cancelled")
                await self.run_action("action_main_menu", parse)
            else:
                await self.dispatch(pending["parse"])
            return
        if form:
            self.say("utter_continue")
            await self._ask(form, self.slots.get("requested_slot"))
        elif intent not in ("deny",):
            await self.dispatch(parse)

    async def _run_rule(self, intent: str, parse: dict[str, Any]) -> None:
        for action in self.domain.intent_rules.get(intent, []):
            await self.run_action(action, parse)

    # ----- actions -------------------------------------------------------------------------
    def tracker(self, parse: dict[str, Any] | None, extra_events: list[dict[str, Any]]) -> Tracker:
        events: list[dict[str, Any]] = []
        if parse is not None:
            events.append({"event": "user", "text": parse.get("text"), "parse_data": parse})
        events.extend(extra_events)
        loop = self.active_loop
        return Tracker(
            sender_id=f"{self.record.channel}:{self.record.chat_id}",
            slots={
                **dict.fromkeys(self.domain.slots),
                **self.slots,
                "session_user_id": self.user_id,
                "after_login_pending": self.state.get("after_login") is not None,
            },
            latest_message=parse or {},
            events=events,
            paused=False,
            followup_action=None,
            active_loop={"name": loop} if loop else {},
            latest_action_name=None,
        )

    def _collect(self, dispatcher: CollectingDispatcher) -> None:
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
                values = {
                    k: v
                    for k, v in message.items()
                    if k
                    not in (
                        "text",
                        "buttons",
                        "custom",
                        "response",
                        "template",
                        "image",
                        "attachment",
                        "elements",
                    )
                }
                rendered = self.domain.render(response, **{**self.slots, **values})
                text = rendered.text
                buttons = buttons or list(rendered.buttons)
            else:
                text = message.get("text") or ""
            self._add_message(text, buttons, document)

    async def run_action(self, name: str, parse: dict[str, Any] | None) -> None:
        if name.startswith("utter_"):
            self.say(name)
            return
        action = self.engine.actions[name]
        if getattr(action, "requires_login", False) and self.user_id is None:
            self.state["after_login"] = parse
            self.say("utter_please_login")
            await self.activate_form("login_form", parse)
            return
        if getattr(action, "requires_login", False) and self._first_login_unfinished():
            # A provisional password or an unfinished first connection gives no access to
            # tenants' data, even after the first-connection form was left half way.
            self.state["after_login"] = parse
            self.say("utter_first_login_required")
            await self.activate_form("first_login_form", parse)
            return
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, self.tracker(parse, []), self.domain.as_rasa_dict())
        self._collect(dispatcher)
        self._history(f"action:{name}")
        await self.apply(events, parse)

    def _first_login_unfinished(self) -> bool:
        if self.user_id is None:
            return False
        try:
            remaining = first_login_state(self.engine.context.uow(), user_id=self.user_id).remaining
        except NotFound:
            return False
        self.slots["first_login_short"] = remaining == ("password",)
        return bool(remaining)

    async def apply(self, events: list[dict[str, Any]], parse: dict[str, Any] | None) -> None:
        """Apply returned events; forms they open and follow-up actions run afterwards."""
        activate: str | None = None
        followups: list[str] = []
        for event in events:
            kind = event.get("event")
            if kind == "slot":
                self._set_slot(event["name"], event.get("value"))
            elif kind == "active_loop":
                if event.get("name"):
                    activate = event["name"]
                elif self.active_loop:
                    self._drop_form(self.active_loop)
            elif kind == "followup":
                followups.append(event["name"])
            elif kind == "reset_slots":
                self.state["slots"] = {}
        if activate:
            await self.activate_form(activate, parse)
        for name in followups:
            await self.run_action(name, parse)

    def _set_slot(self, name: str, value: Any) -> None:
        if name == "session_user_id":
            if value is None:
                self._unbind()
            else:
                self.record.user_id = int(value)
                self.record.bound_until = self.now + self.engine.session_length
            return
        self.slots[name] = value

    def _clear_slots(self, form: str) -> None:
        prefix = form.removesuffix("_form") + "_"
        for slot in list(self.slots):
            if slot.startswith(prefix):
                del self.slots[slot]

    def _drop_form(self, form: str) -> None:
        self._clear_slots(form)
        self.slots["requested_slot"] = None
        self.state["active_loop"] = None

    # ----- forms ---------------------------------------------------------------------------
    async def activate_form(self, form: str, parse: dict[str, Any] | None) -> None:
        if self.active_loop and self.active_loop != form:
            self._drop_form(self.active_loop)
        self.state["active_loop"] = form
        self.slots["requested_slot"] = None
        await self.run_form(form, parse, activating=True)

    def _form_slots(self, form: str) -> list[str]:
        prefix = form.removesuffix("_form") + "_"
        slots = self.domain.form_slots(form)
        return slots + [s for s in self.domain.slots if s.startswith(prefix) and s not in slots]

    async def run_form(self, form: str, parse: dict[str, Any] | None, *, activating: bool) -> None:
        requested = None if activating else self.slots.get("requested_slot")
        candidates = extract(
            self.domain, form, self._form_slots(form), parse or {}, self.slots, requested
        )
        for slot, previous in candidates.kept.items():
            self.say("utter_value_kept", previous=self._display(slot, previous))
        self.slots.update(candidates.values)
        slot_events = [
            {"event": "slot", "name": k, "value": v, "timestamp": None}
            for k, v in candidates.values.items()
        ]
        validator = self.engine.actions.get(f"validate_{form}")
        explicit_next: tuple[bool, str | None] = (False, None)
        said_before = len(self.messages)
        if validator is not None:
            dispatcher = CollectingDispatcher()
            tracker = self.tracker(parse, slot_events)
            events = await validator.run(dispatcher, tracker, self.domain.as_rasa_dict())
            self._collect(dispatcher)
            for event in events:
                if event.get("event") == "slot" and event["name"] == "requested_slot":
                    explicit_next = (True, event.get("value"))
                elif event.get("event") == "slot":
                    self._set_slot(event["name"], event.get("value"))
                elif event.get("event") == "active_loop" and not event.get("name"):
                    self._drop_form(form)
                    return
        if self.active_loop != form:
            return
        if explicit_next[0]:
            next_slot = explicit_next[1]
        else:
            next_slot = next(
                (s for s in self.domain.form_slots(form) if self.slots.get(s) is None), None
            )
        if next_slot is None:
            await self._complete(form)
            return
        if next_slot == requested and len(self.messages) == said_before:
            kind = self.domain.slots.get(next_slot, {}).get("type")
            self.say("utter_expect_yes_no" if kind == "bool" else "utter_not_understood")
        self.slots["requested_slot"] = next_slot
        await self._ask(form, next_slot)

    def _display(self, slot: str, value: Any) -> str:
        if isinstance(value, bool):
            return "oui" if value else "non"
        if slot.endswith("amount") and isinstance(value, int):
            from services.core.money import format_euros

            return format_euros(value)
        return str(value)

    async def _complete(self, form: str) -> None:
        self.slots["requested_slot"] = None
        self.state["active_loop"] = None
        self._history(f"form_done:{form}")
        for action in self.domain.form_completion.get(form, []):
            await self.run_action(action, None)
        self._clear_slots(form)
        after = self.state.get("after_login")
        # The request that needed login is replayed once login (and a first connection it may
        # have opened) is over.
        if (
            form in ("login_form", "first_login_form")
            and after is not None
            and self.user_id is not None
            and self.active_loop is None
        ):
            self.state["after_login"] = None
            await self.dispatch(after)

    async def _ask(self, form: str, slot: str | None) -> None:
        if slot is None:
            return
        if f"action_ask_{slot}" in self.engine.actions:
            await self.run_action(f"action_ask_{slot}", None)
        elif self.domain.has_response(f"utter_ask_{form}_{slot}"):
            self.say(f"utter_ask_{form}_{slot}")
        else:
            self.say(f"utter_ask_{slot}")
