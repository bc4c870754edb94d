"""What actions need from the outside world, handed to them by the composition root.

Inside a dialog turn the engine opens one unit of work and every action's service call joins it
(as a savepoint), so a turn's business writes and its conversation state commit together. Behind
the rasa-sdk action server there is no turn, and each call gets its own unit of work.

The tenant names of the user's scope, which the engine reads (or keeps between turns, keyed by
the scope's version) to understand the message, are handed to the turn's actions the same way
(`TURN_TENANTS`), so that a form resolving a typed name does not read the scope again.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from dialogs.domain import Domain
from services.core.clock import Clock, paris_today
from services.core.db import UnitOfWork, UowFactory

if TYPE_CHECKING:
    from dialogs.nlu import TenantCandidate

TURN_UOW: ContextVar[UnitOfWork | None] = ContextVar("turn_uow", default=None)
# user id -> the tenant names of their scope, read once for the turn (None outside a turn).
TURN_TENANTS: ContextVar[dict[int, list[TenantCandidate]] | None] = ContextVar(
    "turn_tenants", default=None
)
# What the turn's forms read of its message, kept for the rest of the turn (`forms/read_once.py`).
TURN_READS: ContextVar[dict[tuple[str, int], tuple[Any, ...]] | None] = ContextVar(
    "turn_reads", default=None
)


@dataclass(frozen=True)
class ActionContext:
    uow_factory: UowFactory
    clock: Clock
    domain: Domain
    session_minutes: int = 30

    def uow(self) -> UnitOfWork:
        """The current turn's unit of work, or a fresh one outside a turn."""
        return TURN_UOW.get() or self.uow_factory()

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return paris_today(self.clock())
