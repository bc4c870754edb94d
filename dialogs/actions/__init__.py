"""Every rasa-sdk action of the assistant, built with the application context, one package per
capability as in `services`: `core` (greeting, menu, help, fallback, FAQ and what every dialog
shares), `accounts`, `tenants`, `declarations`, `payments`.

A module adds its actions by listing them in its `ACTIONS` tuple and being named here.
"""

from __future__ import annotations

from importlib import import_module

from rasa_sdk.interfaces import Action

from dialogs.context import ActionContext
from dialogs.forms.asking import spec_actions

MODULES = (
    "core.menu",
    "accounts.login",
    "declarations.rent",
    "declarations.bulk",
    "core.faq",
    "accounts.first_login",
    "accounts.recovery",
    "accounts.users",
    "declarations.changes",
    "declarations.unpaid",
    "tenants.tenant_list",
    "payments.view",
    "reminders.choice",
)


def build_actions(context: ActionContext) -> dict[str, Action]:
    """Every action by name; a module's forms (`FORMS`) also get the ask actions their spec
    implies, unless the module defines them itself."""
    actions: dict[str, Action] = {}
    for module_name in MODULES:
        module = import_module(f"dialogs.actions.{module_name}")
        for cls in module.ACTIONS:
            action = cls(context)
            actions[action.name()] = action
        own = {action.name() for action in actions.values()}
        for form in getattr(module, "FORMS", ()):
            for generated in spec_actions(context, form, own):
                actions[generated.name()] = generated
    return actions
