"""The composition root: the one place that builds the database access, NLU, actions and engine.

Nothing opens a database or loads a model at import time; `build_app` does, when asked.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from dialogs.actions.registry import ActionRegistry
from dialogs.context import ActionContext
from dialogs.domain import Domain
from dialogs.engine import Engine
from dialogs.nlu.lazy import load_when_used, preload
from services.accounts.passwords import PasswordHasher
from services.core.clock import PARIS, Clock, paris_today, system_clock
from services.core.db import UowFactory, make_uow_factory
from services.core.rules import reminder_rules
from services.core.schema_version import is_current
from services.core.sealing import OutboxSealer, load_key
from services.core.settings import Settings
from services.demo.seed import SeedReport, seed_demo

if TYPE_CHECKING:
    from dialogs.actions.reminders.weekly import WeeklyReminders

logger = logging.getLogger(__name__)


def _clock_for(settings: Settings) -> Clock:
    """The system clock, or one whose date is pinned by BAILLEUR_TODAY while time still runs."""
    if not settings.today:
        return system_clock
    pinned = date.fromisoformat(settings.today)

    def clock() -> datetime:
        return datetime.combine(pinned, datetime.now(PARIS).timetz())

    return clock


@dataclass
class App:
    settings: Settings
    clock: Clock
    uow_factory: UowFactory
    engine: Engine
    actions: ActionRegistry

    def migrate(self) -> None:
        """Bring the schema to the latest revision; Alembic is not even imported when it is."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        if not is_current(self.uow_factory):
            from services.core.schema import upgrade

            upgrade(self.settings.effective_database_url)

    def dispose(self) -> None:
        """Release database connections."""
        dispose = getattr(self.uow_factory, "dispose", None)
        if dispose is not None:
            dispose()

    def preloaded(self) -> App:
        """The application with what start-up leaves to first use loaded now (the NLU model,
        the action modules, reportlab): a supervisor calls it before forking, so that its
        workers share it and no worker's first message waits for it."""
        preload(self.engine.nlu)
        self.actions.load_all()
        from services.documents.receipts import preload as preload_receipts

        preload_receipts()
        # What is loaded now lives as long as the process: frozen out of the collector's
        # generations, a full collection no longer walks it (about 0.1 s for 140 000 objects,
        # once every few hundred turns: a turn's p99), nor do forked workers copy its pages.
        gc.collect()
        gc.freeze()
        return self

    def today(self) -> date:
        return paris_today(self.clock())

    @property
    def reminders(self) -> WeeklyReminders:
        from dialogs.actions.reminders.weekly import WeeklyReminders

        return WeeklyReminders(self.engine.context)

    @property
    def reminder_hour(self) -> int:
        return reminder_rules(paris_today(self.clock())).send_hour

    def prepare_demo(self) -> SeedReport:
        """Create or migrate the database and load the demo data (idempotent)."""
        self.migrate()
        return self.load_demo()

    def load_demo(self) -> SeedReport:
        """The demo data, on a database already migrated (idempotent)."""
        return seed_demo(self.uow_factory(), today=paris_today(self.clock()))


def build_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    passwords: PasswordHasher | None = None,
) -> App:
    """The application; `clock` and `passwords` are replaced only by tests (a clock they move by
    hand, a cheap hasher), production gets the system clock and `PasswordHasher.strong()`."""
    settings = settings or Settings()
    clock = clock or _clock_for(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    sealer = OutboxSealer(load_key(configured=settings.outbox_key, data_dir=settings.data_dir))
    uow_factory = make_uow_factory(
        settings.effective_database_url,
        passwords=passwords or PasswordHasher.strong(),
        sealer=sealer,
    )
    context = ActionContext(
        uow_factory=uow_factory,
        clock=clock,
        domain=Domain.load(),
        session_minutes=settings.session_minutes,
    )
    nlu = load_when_used(settings.nlu_model_path)
    actions = ActionRegistry(context)
    engine = Engine(context=context, nlu=nlu, actions=actions)
    return App(
        settings=settings, clock=clock, uow_factory=uow_factory, engine=engine, actions=actions
    )


def build_reminders(settings: Settings | None = None) -> WeeklyReminders:
    """The weekly reminders alone, for `bailleur-bot remind`: no NLU model is loaded."""
    from dialogs.actions.reminders.weekly import WeeklyReminders

    settings = settings or Settings()
    context = ActionContext(
        uow_factory=make_uow_factory(settings.effective_database_url),
        clock=_clock_for(settings),
        domain=Domain.load(),
        session_minutes=settings.session_minutes,
    )
    return WeeklyReminders(context)
