"""The dialog engine: the typed conversation state (`state`), the policy that decides what runs
next (`policy`), the form loop (`forms`), the application of actions' events (`events`), the
driver of one turn (`turn`, `understanding`) and the transaction around it (`engine`)."""

from dialogs.engine.engine import Engine

__all__ = ["Engine"]
