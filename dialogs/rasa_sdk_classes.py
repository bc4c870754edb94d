"""rasa-sdk's classes without its action server: importing `rasa_sdk` runs its package
`__init__`, which imports Sanic, its plugins and its CLI (about a quarter of a second of a
start-up that must stay near one second), although the engine runs the actions in-process and
needs only `Tracker`, `Action`, the dispatcher, the events and the form classes.

`install()` registers the `rasa_sdk` package without running its `__init__`: its submodules
import as usual (`rasa_sdk.interfaces`, `rasa_sdk.executor`, ...), the names the `__init__`
exports are set from them, and any other name asked of the package (the action server's
`rasa_sdk.endpoint` and its version checks) runs the real `__init__` first, so
`bailleur-bot actions` gets the whole package. `dialogs/__init__.py` calls it, before any
action module imports rasa-sdk.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from types import ModuleType
from typing import Any

_COMPLETING = threading.Lock()


def install() -> None:
    """Register `rasa_sdk` without its server (nothing to do once it is imported)."""
    if "rasa_sdk" in sys.modules:
        return
    spec = importlib.util.find_spec("rasa_sdk")
    if spec is None or spec.loader is None:
        return
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def complete(name: str) -> Any:
        """The rest of the package, on first use of a name its `__init__` would have set."""
        if name.startswith("__") or importlib.util.find_spec(f"rasa_sdk.{name}") is not None:
            # `from rasa_sdk import utils` asks first: a submodule is imported as usual.
            raise AttributeError(name)
        with _COMPLETING:
            if "__getattr__" in package.__dict__:
                del package.__dict__["__getattr__"]
                loader.exec_module(package)
        try:
            return package.__dict__[name]
        except KeyError:
            raise AttributeError(f"module 'rasa_sdk' has no attribute {name!r}") from None

    package.__dict__["__getattr__"] = complete
    sys.modules["rasa_sdk"] = package
    try:
        _export(package)
    except Exception:
        # Another rasa-sdk layout: the real package, as imported normally.
        del sys.modules["rasa_sdk"]
        raise


def _export(package: ModuleType) -> None:
    from rasa_sdk.forms import FormValidationAction, ValidationAction
    from rasa_sdk.interfaces import Action, ActionExecutionRejection, Tracker
    from rasa_sdk.version import __version__

    package.Tracker = Tracker  # type: ignore[attr-defined]
    package.Action = Action  # type: ignore[attr-defined]
    package.ActionExecutionRejection = ActionExecutionRejection  # type: ignore[attr-defined]
    package.FormValidationAction = FormValidationAction  # type: ignore[attr-defined]
    package.ValidationAction = ValidationAction  # type: ignore[attr-defined]
    package.__version__ = __version__  # type: ignore[attr-defined]
