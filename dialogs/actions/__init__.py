"""Every rasa-sdk action of the assistant, built with the application context.

A module adds its actions by listing them in its `ACTIONS` tuple and being named here.
"""

from __future__ import annotations

from importlib import import_module

from rasa_sdk.interfaces import Action

from dialogs.context import ActionContext

MODULES = (
    "general",
    "login",
    "rent",
    "faq",
    "first_login",
    "recovery",
    "users",
    "changes",
    "unpaid",
    "tenants",
    "payments",
)


def build_actions(context: ActionContext) -> dict[str, Action]:
    actions: dict[str, Action] = {}
    for module_name in MODULES:
        module = import_module(f"dialogs.actions.{module_name}")
        for cls in module.ACTIONS:
            action = cls(context)
            actions[action.name()] = action
    return actions
