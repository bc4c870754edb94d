"""The table of action names the engine knows at start-up is the one the modules build, so that
importing a module by the first use of one of its actions finds every action where the table
says it is."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.actions import ACTION_NAMES
from dialogs.actions.registry import ActionRegistry, module_actions
from dialogs.context import ActionContext
from dialogs.domain import Domain
from services.core.db import UnitOfWork


def _no_database() -> UnitOfWork:
    raise AssertionError("building the actions opens no unit of work")


CONTEXT = ActionContext(
    uow_factory=_no_database, clock=lambda: datetime(2026, 11, 23, tzinfo=UTC), domain=Domain.load()
)


def test_the_table_names_every_action_of_every_module_and_nothing_else() -> None:
    built = {module: tuple(module_actions(CONTEXT, module)) for module in ACTION_NAMES}
    assert built == ACTION_NAMES, "dialogs/actions/__init__.py, ACTION_NAMES = " + repr(built)


def test_no_action_name_is_in_two_modules() -> None:
    names = [name for names in ACTION_NAMES.values() for name in names]
    assert len(names) == len(set(names))


def test_an_action_is_built_by_its_module_when_first_asked_for() -> None:
    registry = ActionRegistry(CONTEXT)
    assert "action_faq" in registry and "action_nothing" not in registry
    assert len(registry) == sum(len(names) for names in ACTION_NAMES.values())
    assert registry["action_faq"].name() == "action_faq"
    assert registry.get("action_nothing") is None
