"""What actions need from the outside world, handed to them by the composition root.

Inside a dialog turn the engine opens one unit of work and every action's service call joins it
(as a savepoint), so a turn's business writes and its conversation state commit together. Behind
the rasa-sdk action server there is no turn, and each call gets its own unit of work.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime

from dialogs.domain import Domain
from services.core.clock import Clock, paris_today
from services.core.db import UnitOfWork, UowFactory

TURN_UOW: ContextVar[UnitOfWork | None] = ContextVar("turn_uow", default=None)


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
