"""What the parts of a turn need from the engine and from the turn, as types.

The turn's helpers (the form loop, the application of events, the reading of a message) work on
a turn, and the turn on its engine; naming these needs here keeps the imports one way
(`engine` → `turn` → helpers → `ports`) instead of a circle of types.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action

from dialogs.context import ActionContext
from dialogs.domain import Domain
from dialogs.engine.policy import Rules
from dialogs.engine.scope import TenantNames
from dialogs.engine.state import ConversationState
from dialogs.io import Document, OutMessage
from dialogs.nlu.lazy import Nlu
from services.core.conversations import ConversationRecord

Parse = dict[str, Any]


class EnginePort(Protocol):
    context: ActionContext
    nlu: Nlu
    domain: Domain
    account_forms: frozenset[str]
    tenant_names: TenantNames

    @property
    def commands(self) -> Mapping[str, str]: ...

    @property
    def actions(self) -> Mapping[str, Action]: ...

    @property
    def rules(self) -> Rules: ...

    @property
    def claimers(self) -> tuple[Action, ...]: ...

    @property
    def session_length(self) -> timedelta: ...

    def is_secret(self, slot: str) -> bool: ...

    def own_intents(self, form: str) -> frozenset[str]: ...

    def has_rule(self, intent: str) -> bool: ...


class FormsPort(Protocol):
    def drop(self, form: str) -> None: ...

    async def activate(self, form: str, parse: Parse | None) -> None: ...

    async def run(self, form: str, parse: Parse | None, *, activating: bool) -> None: ...

    async def ask(self, form: str, slot: str | None) -> None: ...


class EventsPort(Protocol):
    async def apply(self, events: list[dict[str, Any]], parse: Parse | None) -> None: ...


class DecisionsPort(Protocol):
    async def dispatch(self, parse: Parse) -> None: ...

    def offer_resume(self) -> bool: ...


class TurnPort(Protocol):
    engine: EnginePort
    domain: Domain
    record: ConversationRecord
    state: ConversationState
    messages: list[OutMessage]
    now: datetime

    @property
    def forms(self) -> FormsPort: ...

    @property
    def events(self) -> EventsPort: ...

    @property
    def decisions(self) -> DecisionsPort: ...

    @property
    def user_id(self) -> int | None: ...

    @property
    def slots(self) -> dict[str, Any]: ...

    def say(self, response: str, /, **values: Any) -> None: ...

    def add(self, text: str, buttons: list[dict[str, Any]], document: Document | None) -> None: ...

    def keep_offered(self) -> None: ...

    def read_again(self, parse: Parse) -> Parse: ...

    async def run_rule(self, intent: str, parse: Parse) -> None: ...

    def collect(self, dispatcher: CollectingDispatcher) -> None: ...

    def tracker(self, parse: Parse | None, extra_events: list[dict[str, Any]]) -> Tracker: ...

    def set_slot(self, name: str, value: Any) -> None: ...

    def unbind(self) -> None: ...

    async def run_action(self, name: str, parse: Parse | None) -> None: ...

    async def after_form(self, form: str) -> None: ...
