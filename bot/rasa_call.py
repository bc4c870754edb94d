"""One call from Rasa to an action, with what the server keeps for that Rasa conversation.

The tracker Rasa sends is the client's word: anyone who can reach Rasa's tracker API can write
its slots. So who the user is comes from our own conversation table, where the login bound the
Rasa sender id (channel `rasa`) to the account with an expiry, exactly as our own engine binds a
chat; the tracker's `session_user_id` is overwritten before any action sees it, and an action's
`session_user_id` event binds or unbinds the row instead of reaching Rasa. The same row keeps what
the engine's policy needs between two calls (a pending yes/no question, the request that waits
for the login) so that none of it can be forged from the tracker either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rasa_sdk import Tracker

from dialogs.context import ActionContext
from dialogs.engine.understanding import identifier_in
from dialogs.forms.form_message import OWN_EXTRACTOR, _pressed
from dialogs.forms.lexicon import lexicon, words
from dialogs.nlu.entities import extract
from services.core.conversations import ConversationRecord
from services.core.errors import NotAllowed, NotFound
from services.tenants.views import tenant_candidates

CHANNEL = "rasa"
USER_SLOT = "session_user_id"
PAYLOAD_PARSER = "RegexMessageHandler"
CHANGE_KINDS = ("end_of_management", "tenant_departure", "flatshare")


def blank_message() -> dict[str, Any]:
    return {"text": "", "intent": {"name": "inform", "confidence": 1.0}, "entities": []}


def _payload(message: dict[str, Any]) -> bool:
    """A button's payload as Rasa 3.6 parses it: "/intent{...}", confidence 1, entities from
    its RegexMessageHandler (Rasa cannot tell a pressed button from the same text typed)."""
    text = str(message.get("text") or "")
    intent = message.get("intent") or {}
    return (
        text.startswith("/")
        and intent.get("confidence") == 1.0
        and all(e.get("extractor") in (None, PAYLOAD_PARSER) for e in message.get("entities") or [])
    )


@dataclass
class RasaCall:
    """The server side of one Rasa conversation during one action call."""

    context: ActionContext
    record: ConversationRecord
    now: datetime
    said: list[dict[str, Any]] = field(default_factory=list)

    @property
    def state(self) -> dict[str, Any]:
        return self.record.state

    @property
    def user_id(self) -> int | None:
        return self.record.user_id

    def check_binding(self) -> None:
        """The binding, refreshed; an expired one is dropped and the user told once."""
        record = self.record
        if record.user_id is None:
            return
        if record.bound_until is None or record.bound_until <= self.now:
            self.unbind()
            self.said.append(
                {
                    "response": "utter_session_expired",
                    "minutes": self.context.session_minutes,
                }
            )
            return
        record.bound_until = self.now + timedelta(minutes=self.context.session_minutes)

    def bind(self, user_id: int) -> None:
        self.record.user_id = user_id
        self.record.bound_until = self.now + timedelta(minutes=self.context.session_minutes)

    def unbind(self) -> None:
        self.record.user_id = None
        self.record.bound_until = None
        for key in ("pending", "after_login", "opening"):
            self.state.pop(key, None)

    def apply_identity(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Events for Rasa, without the identity: `session_user_id` binds or unbinds here."""
        kept = []
        for event in events:
            if event.get("event") == "slot" and event.get("name") == USER_SLOT:
                value = event.get("value")
                if value is None:
                    self.unbind()
                else:
                    self.bind(int(value))
                continue
            kept.append(event)
        return kept

    # ----- the tracker the actions see ---------------------------------------------------------
    def trusted(self, tracker: Tracker, latest: dict[str, Any] | None = None) -> Tracker:
        """The tracker with the server's identity and our own reading of the latest message."""
        slots = {
            **tracker.slots,
            USER_SLOT: self.user_id,
            "after_login_pending": self.state.get("after_login") is not None,
        }
        for name in list(slots):
            if "password" in name:
                slots[name] = None  # never read from the tracker; the message carries it
        message = self.read(latest if latest is not None else dict(tracker.latest_message or {}))
        return Tracker(
            sender_id=f"{CHANNEL}:{tracker.sender_id}",
            slots=slots,
            latest_message=message,
            events=list(tracker.events),
            paused=False,
            followup_action=tracker.followup_action,
            active_loop=dict(tracker.active_loop or {}),
            latest_action_name=tracker.latest_action_name,
        )

    def read(self, latest: dict[str, Any]) -> dict[str, Any]:
        """The message with our own entities, whatever NLU is in front: our extractors read the
        raw text (dates, months, amounts, the user's own tenants, identifiers). A pressed
        button's entities are its payload's and stay as they are."""
        message = dict(latest)
        if _payload(message):
            message["pressed"] = True
            return message
        if _pressed(message) or not message.get("text"):
            return message
        entities = list(message.get("entities") or [])
        if any(e.get("extractor") == OWN_EXTRACTOR for e in entities):
            return message
        text = str(message["text"])
        own = extract(text, today=self.context.today(), tenants=self._tenants())
        if not any(e.get("entity") == "change_type" for e in own):
            said = words(text)
            named = [k for k in CHANGE_KINDS if lexicon().has(f"options.change_type.{k}", said)]
            if len(named) == 1:
                own.append({"entity": "change_type", "value": named[0], "extractor": OWN_EXTRACTOR})
        if self.user_id is None and (identifier := identifier_in(text)) is not None:
            own.append(
                {"entity": "login_identifier", "value": identifier, "extractor": OWN_EXTRACTOR}
            )
        message["entities"] = own
        return message

    def _tenants(self) -> list[Any]:
        from dialogs.nlu import TenantCandidate

        if self.user_id is None:
            return []
        try:
            rows = tenant_candidates(
                self.context.uow(), user_id=self.user_id, today=self.context.today()
            )
        except (NotAllowed, NotFound):
            return []
        return [TenantCandidate(id=i, first_name=f, last_name=last) for i, f, last in rows]
