"""A chat's conversation state, typed: what the engine remembers between two messages.

Stored as JSON in the chat's row (`services.conversations`), read back with validation so a
malformed or older row never crashes a turn: what cannot be read is dropped and the conversation
starts afresh rather than wedging the chat.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

RECENT_UPDATES = 64
HISTORY = 20


class Offered(BaseModel):
    """A button offered in the last turn: its opaque payload and the label the user read."""

    payload: str
    label: str
    # The message this option reads again under the payload's intent: « quel est le loyer de
    # dupont », asked « Mes locataires ou Déclarer les loyers ? », keeps its tenant.
    message: dict[str, Any] | None = None


class Pending(BaseModel):
    """A yes/no question of the engine itself: leave the form, or switch to another task."""

    kind: Literal["cancel", "switch", "resume"]
    parse: dict[str, Any] | None = None


class Suspended(BaseModel):
    """A form left open when the session expired, kept for the same user only."""

    user_id: int
    form: str
    slots: dict[str, Any] = Field(default_factory=dict)


class ConversationState(BaseModel):
    """Everything a chat's next turn needs.

    Attributes:
        slots: answers and facts, Rasa-style (`requested_slot` included).
        active_form: the form in progress, if any.
        pending: a yes/no question of the engine waiting for its answer.
        after_login: the request to replay once the user has logged in.
        offered: the buttons of the last turn, by opaque key; nothing else can be pressed.
        history: recent intents and actions, for debugging a conversation.
        updates: recent update ids, for idempotent turns.
        suspended: a form kept across a session expiry.
        focus_tenant, focus_user: the tenant the conversation is about and the user who named it
            (`dialogs.engine.focus`).
    """

    model_config = ConfigDict(extra="ignore")

    slots: dict[str, Any] = Field(default_factory=dict)
    active_form: str | None = None
    pending: Pending | None = None
    after_login: dict[str, Any] | None = None
    offered: dict[str, Offered] = Field(default_factory=dict)
    history: list[str] = Field(default_factory=list)
    updates: list[int] = Field(default_factory=list)
    suspended: Suspended | None = None
    focus_tenant: int | None = None
    focus_user: int | None = None

    @classmethod
    def from_stored(cls, data: dict[str, Any] | None) -> ConversationState:
        """Read a stored state; an unreadable one gives a fresh state (updates kept)."""
        data = dict(data or {})
        if "active_loop" in data and "active_form" not in data:  # rows written before typing
            data["active_form"] = data.pop("active_loop")
            labels = data.pop("labels", {}) or {}
            data["offered"] = {
                key: {"payload": payload, "label": labels.get(key, "")}
                for key, payload in (data.pop("choices", {}) or {}).items()
            }
        try:
            return cls.model_validate(data)
        except ValidationError:
            updates = data.get("updates")
            fresh = cls()
            if isinstance(updates, list) and all(isinstance(u, int) for u in updates):
                fresh.updates = updates[-RECENT_UPDATES:]
            return fresh

    def stored(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_defaults=True)

    @property
    def requested_slot(self) -> str | None:
        value = self.slots.get("requested_slot") if self.active_form else None
        return str(value) if value else None

    def remember(self, entry: str) -> None:
        self.history.append(entry)
        del self.history[:-HISTORY]

    def handled(self, update_id: int) -> bool:
        return update_id in self.updates

    def record_update(self, update_id: int) -> None:
        self.updates = [*self.updates, update_id][-RECENT_UPDATES:]
