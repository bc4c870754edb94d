"""A form reads the turn's message once: `takes` (the policy's question) and the form loop's
`run` read the same message against the same answers, and `run` reuses what `takes` found.

What is kept lives in `TURN_READS`, which the engine sets for one turn only (outside a turn, as
behind the Rasa bridge, nothing is kept and everything is read as before). A message is cut into
clauses again only when its text, entities or pressed flag differ from a cut already made from
the same parse in this turn; a reading is reused only by the same form, for the same parse object,
the same pending question, the same cut message and context, and the same answers. Answers are
compared by their values other than None (readers and specs look answers up with `.get`, so a
missing slot reads as None), leaving out the two slots the engine adds to every tracker for the
actions, which no reader and no spec condition reads (the login binding and a pending replay).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dialogs.context import TURN_READS
from dialogs.forms.message import Message, split
from dialogs.forms.reader_base import Context, Reading
from dialogs.forms.spec import Answers

# Set on the tracker by the engine for the actions (`dialogs.engine.running`), never read by forms.
TRACKER_ONLY = frozenset({"session_user_id", "after_login_pending"})


def cut(
    latest: dict[str, Any], text: str, entities: list[dict[str, Any]], pressed: bool
) -> Message:
    """`split(text, entities, pressed=pressed)`, made once per parse in a turn for the same
    entities (the message it returns is never changed by its readers)."""
    kept = TURN_READS.get()
    if kept is None:
        return split(text, entities, pressed=pressed)
    key = ("cut", id(latest))
    found = kept.get(key)
    if found is not None:
        parse, said, seen, was_pressed, message = found
        if parse is latest and said == text and was_pressed == pressed and seen == entities:
            return message
    message = split(text, entities, pressed=pressed)
    kept[key] = (latest, text, list(entities), pressed, message)
    return message


def _values(answers: Answers) -> dict[str, Any]:
    return {k: v for k, v in answers.items() if v is not None and k not in TRACKER_ONLY}


def keep(
    form: object,
    latest: dict[str, Any],
    requested: str | None,
    answers: Answers,
    message: Message,
    context: Context,
    reading: Reading,
) -> None:
    """Keep what `takes` read, for the form loop's `run` of this turn."""
    kept = TURN_READS.get()
    if kept is not None:
        kept[("read", id(form))] = (
            form,
            latest,
            requested,
            _values(answers),
            message,
            context,
            reading,
        )


def reading(
    form: object,
    latest: dict[str, Any],
    requested: str | None,
    answers: Answers,
    message: Message,
    context: Context,
    compute: Callable[[], Reading],
) -> Reading:
    """What `takes` read of the same message with the same inputs in this turn (used once),
    else `compute()`."""
    kept = TURN_READS.get()
    found = kept.pop(("read", id(form)), None) if kept is not None else None
    if found is not None:
        owner, parse, asked, values, read_message, read_context, result = found
        if (
            owner is form
            and parse is latest
            and asked == requested
            and read_message is message
            and read_context == context
            and values == _values(answers)
        ):
            return result
    return compute()
