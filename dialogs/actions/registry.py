"""The actions by name, each module imported by the first use of one of its actions.

Importing the 13 action modules pulls in the form machinery, most of the services' models and
views and rasa-sdk's forms: about a third of a second of a start-up that must stay under one,
spent before the first prompt although the greeting needs one module. The names are known from
`ACTION_NAMES` without importing anything; a module is imported and its actions built when one
of them is asked for (`registry[name]`, `.get`, iterating the values), under a lock since worker
threads share the registry. `load_all` builds them all (the webhook supervisor before forking,
the rasa-sdk action server).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from importlib import import_module

from rasa_sdk.interfaces import Action

from dialogs.actions import ACTION_NAMES
from dialogs.context import ActionContext


def module_actions(context: ActionContext, module_name: str) -> dict[str, Action]:
    """The actions one module defines (`ACTIONS`), with the ask actions its forms (`FORMS`)
    imply unless the module defines them itself."""
    module = import_module(f"dialogs.actions.{module_name}")
    actions = {action.name(): action for action in (cls(context) for cls in module.ACTIONS)}
    forms = getattr(module, "FORMS", ())
    if forms:
        from dialogs.forms.asking import spec_actions

        own = set(actions)
        for form in forms:
            for generated in spec_actions(context, form, own):
                actions[generated.name()] = generated
    return actions


class ActionRegistry(Mapping[str, Action]):
    """Every action by name; an action's module is imported by its first use."""

    def __init__(self, context: ActionContext) -> None:
        self._context = context
        self._module_of = {name: module for module, names in ACTION_NAMES.items() for name in names}
        self._built: dict[str, Action] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> Action:
        action = self._built.get(name)
        if action is None:
            self._load(self._module_of[name])
            action = self._built[name]
        return action

    def __contains__(self, name: object) -> bool:
        return name in self._module_of

    def __iter__(self) -> Iterator[str]:
        return iter(self._module_of)

    def __len__(self) -> int:
        return len(self._module_of)

    def load_all(self) -> None:
        """Import every action module now."""
        for module_name in ACTION_NAMES:
            self._load(module_name)

    def _load(self, module_name: str) -> None:
        with self._lock:
            if ACTION_NAMES[module_name][0] in self._built:
                return
            built = module_actions(self._context, module_name)
            self._built.update({name: built[name] for name in ACTION_NAMES[module_name]})
