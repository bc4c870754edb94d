"""Email and phone answers typed twice, as the CAF's screens ask them: the first/new-user forms
name their slots with a prefix (`first_login`, `new_user`) and their responses likewise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from services.accounts.credentials import normalise_email, normalise_phone
from services.core.errors import InvalidValue


def _normalised(
    prefix: str,
    field: str,
    normalise: Callable[[str], str],
    value: Any,
    dispatcher: CollectingDispatcher,
) -> dict[str, Any]:
    slot = f"{prefix}_{field}"
    try:
        return {slot: normalise(str(value or ""))}
    except InvalidValue:
        dispatcher.utter_message(response=f"utter_{slot}_format")
        return {slot: None}


def _typed_twice(
    prefix: str, field: str, first: str, same: bool, dispatcher: CollectingDispatcher
) -> dict[str, Any]:
    """A mismatch clears both typings, so the question starts again from the first one."""
    slot = f"{prefix}_{field}"
    if not same:
        dispatcher.utter_message(response=f"utter_{slot}_mismatch")
        return {slot: None, f"{slot}_again": None}
    return {f"{slot}_again": first}


def email_answer(prefix: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    return _normalised(prefix, "email", normalise_email, value, dispatcher)


def email_again_answer(
    prefix: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """The second typing must match the first (case aside); otherwise both are asked again."""
    email = str(tracker.get_slot(f"{prefix}_email") or "")
    same = str(value or "").strip().lower() == email.lower()
    return _typed_twice(prefix, "email", email, same, dispatcher)


def phone_answer(prefix: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    return _normalised(prefix, "phone", normalise_phone, value, dispatcher)


def phone_again_answer(
    prefix: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """The second typing must be the same number, whatever its spacing or +33 form."""
    phone = str(tracker.get_slot(f"{prefix}_phone") or "")
    try:
        same = normalise_phone(str(value or "")) == phone
    except InvalidValue:
        same = False
    return _typed_twice(prefix, "phone", phone, same, dispatcher)
