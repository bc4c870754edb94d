"""One turn: from an inbound message to the bot's messages, on a loaded conversation.

The turn checks the chat's login binding, understands the message (a pressed button is looked up
among those offered in the previous turn; text is checked at the edge, then parsed), and
collects what is said. What to do with the message is `decisions.py`; running actions is
`running.py`; applying their events is `events.py`; the form loop is `forms.py`; the transaction
around the turn is `engine.py`.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from dialogs.engine.decisions import Decisions
from dialogs.engine.events import EventApplier
from dialogs.engine.focus import chosen_tenant
from dialogs.engine.forms import FormLoop
from dialogs.engine.inbound import check_text, looks_like_password
from dialogs.engine.offers import offer_named, pressed_parse
from dialogs.engine.ports import EnginePort, Parse
from dialogs.engine.running import ActionRunner
from dialogs.engine.state import ConversationState, Offered, Suspended
from dialogs.engine.understanding import Reader
from dialogs.io import Choice, Document, Inbound, OutMessage, Reply
from services.core.conversations import ConversationRecord

_REPROMPT: Parse = {"text": "", "intent": {"name": "__reprompt__", "confidence": 1.0}}
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
        self.finished = False  # the turn ran to its end (`store`)
        self.forms = FormLoop(self)
        self.events = EventApplier(self)
        self.decisions = Decisions(self)
        self.runner = ActionRunner(self)

    # ----- what the bot says -------------------------------------------------------------------
    @property
    def slots(self) -> dict[str, Any]:
        return self.state.slots

    @property
    def user_id(self) -> int | None:
        return self.record.user_id

    def say(self, response: str, /, **values: Any) -> None:
        rendered = self.domain.render(
            response, for_channel=self.record.channel, **{**self.slots, **values}
        )
        self.add(rendered.text, list(rendered.buttons), None)

    def add(self, text: str, buttons: list[dict[str, Any]], document: Document | None) -> None:
        choices = []
        for button in buttons:
            key = secrets.token_urlsafe(6)
            self.offered[key] = Offered(
                payload=str(button["payload"]),
                label=str(button["title"]),
                message=button.get("message"),
            )
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
                    content=doc.get("content", b""),
                    mime_type=doc.get("mime_type", "application/pdf"),
                    receipt=doc.get("receipt"),
                )
            buttons = list(message.get("buttons") or [])
            response = message.get("response")
            if response:
                values = {k: v for k, v in message.items() if k not in _RESPONSE_KEYS}
                rendered = self.domain.render(
                    response, for_channel=self.record.channel, **{**self.slots, **values}
                )
                text = rendered.text
                buttons = buttons or list(rendered.buttons)
            else:
                text = message.get("text") or ""
            self.add(text, buttons, document)

    # ----- the turn ----------------------------------------------------------------------------
    async def run(self) -> Reply:
        kept = self._check_binding()
        if not self.inbound.private_chat:
            self.say("utter_private_only")
            return self._reply()
        parse = self._understand()
        if kept and self.inbound.choice is None:
            await self.run_action("action_main_menu", parse)  # the message was for the kept form
        elif parse is not None:
            self.state.remember(f"user:{parse['intent']['name']}")
            await self.decisions.dispatch(parse)
            self._keep_focus(parse)
        self.state.offered = self.offered
        for slot in list(self.slots):
            if self.engine.is_secret(slot):
                self.slots[slot] = None
        self.finished = True
        return self._reply()

    def store(self) -> None:
        """The state into the record, serialised once: after a whole turn, or with the update
        handled recorded in it (a turn ended early leaves the stored state as it was read)."""
        update_id = self.inbound.update_id
        if update_id is not None:
            self.state.record_update(update_id)
        if self.finished or update_id is not None:
            self.record.state = self.state.stored()

    def _keep_focus(self, parse: Parse) -> None:
        """The tenant this turn named or chose is the one a pronoun refers to next."""
        chosen = chosen_tenant(parse)
        if self.user_id is None:
            self.state.focus_tenant = self.state.focus_user = None
        elif chosen is not None:
            self.state.focus_tenant, self.state.focus_user = chosen, self.user_id

    def _reply(self) -> Reply:
        requested = self.state.requested_slot
        return Reply(
            messages=tuple(self.messages),
            inbound_was_secret=self.secret,
            # a yes or no asked meanwhile (« Voulez-vous vraiment abandonner ? ») is typed openly
            expects_secret=(
                requested is not None
                and self.engine.is_secret(requested)
                and self.state.pending is None
            ),
            chosen_label=self.chosen_label,
        )

    def _check_binding(self) -> bool:
        """Renews the binding, or ends it once expired; True when a form in progress was kept."""
        record = self.record
        if record.user_id is None:
            return False
        if record.bound_until is None or record.bound_until <= self.now:
            kept = self._suspend()
            self.unbind()
            expired = "utter_session_expired_form_kept" if kept else "utter_session_expired"
            self.say(expired, minutes=self.engine.context.session_minutes)
            return kept
        record.bound_until = self.now + self.engine.session_length
        return False

    def _suspend(self) -> bool:
        """A form in progress is kept, for the same user, until they log in again."""
        form = self.state.active_form
        if form is None or self.record.user_id is None or form in self.engine.account_forms:
            return False
        kept = {
            slot: value
            for slot in self.forms.slots_of(form)
            if (value := self.slots.get(slot)) is not None and not self.engine.is_secret(slot)
        }
        kept["requested_slot"] = self.slots.get("requested_slot")
        self.state.suspended = Suspended(user_id=self.record.user_id, form=form, slots=kept)
        return True

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
            parse = pressed_parse(offered) if offered is not None else None
            if offered is None or parse is None:
                self.say("utter_stale_choice")
                self.keep_offered()
                return {**_REPROMPT, "entities": []}
            self.chosen_label = offered.label
            return parse
        if inbound.attachment is not None:
            return self._attachment(inbound.attachment)
        if inbound.text is None or not inbound.text.strip():
            self.say("utter_text_only")
            self.keep_offered()
            return None
        checked = check_text(inbound.text)
        requested = self.state.requested_slot
        secret = requested is not None and self.engine.is_secret(requested)
        self.secret = secret
        if checked.refused is not None:
            self.say(f"utter_text_refused_{checked.refused}")
            return {**_REPROMPT, "entities": []}
        if not secret and looks_like_password(checked.text):
            self.secret = True  # deleted from the chat, never read nor kept
            self.say("utter_password_typed_in_clear")
            return {**_REPROMPT, "entities": []}
        parse = Reader(self).parse(checked.text, secret=secret)
        return self._offer_pressed(parse, checked.text)

    def _offer_pressed(self, parse: Parse | None, text: str) -> Parse | None:
        """Outside any form and question: « oui » or « ok » to a turn that offered one button
        (« Déclarer le départ ») presses it, and so does typing the words of one button's label
        (« graphique »); a yes to several buttons presses none: they are offered again with the
        question of which one. A command typed as such stays the command."""
        state = self.state
        if parse is None or state.active_form is not None or state.pending is not None:
            return parse
        if parse.get("command") is not None or not state.offered:
            return parse
        dated = any(e.get("entity") in ("month", "date") for e in parse.get("entities") or ())
        # « et le mois dernier » names a month, not « Graphique des 12 derniers mois »
        offered = None if dated else offer_named(text, state.offered)
        if offered is None:
            intent = parse.get("intent") or {}
            agreed = Reader._agreement(
                text, str(intent.get("name", "")), float(intent.get("confidence") or 0.0)
            )
            if agreed is True and len(state.offered) > 1:
                self._ask_which_offer()  # a yes to several buttons presses none of them
                return None
            offered = next(iter(state.offered.values())) if agreed is True else None
        pressed = pressed_parse(offered) if offered is not None else None
        if offered is None or pressed is None:
            return parse
        self.chosen_label = offered.label
        return pressed

    def _ask_which_offer(self) -> None:
        """The buttons of the previous turn offered again, asking which one is meant (those of
        the previous message stay valid too)."""
        self.keep_offered()
        buttons = [
            {"title": o.label, "payload": o.payload, "message": o.message}
            for o in self.state.offered.values()
        ]
        rendered = self.domain.render("utter_which_offer", for_channel=self.record.channel)
        self.add(rendered.text, buttons, None)

    def _attachment(self, document: Document) -> Parse:
        """A file sent: kept for this chat, and read by whatever the intent's rule runs."""
        # Imported here: the declarations' models are not needed before the first prompt.
        from services.declarations.uploads import store_upload

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

    def keep_offered(self) -> None:
        self.offered.update(self.state.offered)

    def read_again(self, parse: Parse) -> Parse:
        """A request typed before logging in, read again now that the user's tenants are known
        (« loyer de mme brisson 330 » names Brisson only once her landlord is logged in)."""
        text = parse.get("text")
        if parse.get("pressed") or parse.get("command") is not None or not isinstance(text, str):
            return parse
        return Reader(self).parse(text, secret=False)

    # ----- what helpers ask of the turn (`ports.TurnPort`) -------------------------------------
    def tracker(self, parse: Parse | None, extra_events: list[dict[str, Any]]) -> Tracker:
        return self.runner.tracker(parse, extra_events)

    async def run_action(self, name: str, parse: Parse | None) -> None:
        await self.runner.run_action(name, parse)

    async def run_rule(self, intent: str, parse: Parse) -> None:
        await self.runner.run_rule(intent, parse)

    async def after_form(self, form: str) -> None:
        await self.runner.after_form(form)

    def set_slot(self, name: str, value: Any) -> None:
        self.events.set_slot(name, value)
