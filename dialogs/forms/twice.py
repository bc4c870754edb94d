"""Answers typed twice, as the CAF's screens ask for an email, a phone or a new password.

The second typing (`Question.again_of`) must match the first: an email whatever its case, a
phone whatever its spacing or +33 form, a password exactly. A mismatch asks both again; a reply that is no email or phone at all (« oui »)
asks the second typing again, the first kept. A
password is never kept between two messages: while its second typing is awaited, only an argon2
hash of the first waits in the form (`FormSpec.typed_once_slot`), and it goes once compared.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from dialogs.forms.spec import FormSpec, Kind, Question
from services.accounts.credentials import normalise_phone
from services.core.db import PasswordHashing
from services.core.errors import InvalidValue


def typed_again(
    spec: FormSpec,
    question: Question,
    value: Any,
    answers: dict[str, Any],
    dispatcher: CollectingDispatcher,
    passwords: PasswordHashing,
) -> bool:
    """True when the second typing matches the first; otherwise says so (`utter_<first>_
    mismatch`) and clears both, so the first is asked again."""
    first = spec.question(question.again_of or "")
    if first is None:
        return True
    if first.kind in (Kind.EMAIL, Kind.PHONE) and not looks_like(first.kind, value):
        # « oui », « c'est la même »: not a second typing; the first one still waits for it
        dispatcher.utter_message(response=f"utter_form_again_not_{first.kind.value}")
        answers[question.slot] = None
        return False
    if first.kind is Kind.SECRET:
        digest = answers.get(spec.typed_once_slot)
        same = bool(digest) and passwords.verify(str(digest), str(value))
    else:
        same = same_typing(first.kind, answers.get(first.slot), value)
    if not same:
        dispatcher.utter_message(response=f"utter_{first.slot}_mismatch")
        answers[first.slot] = None
        answers[question.slot] = None
        if answers.get(spec.typed_once_slot) is not None:
            answers[spec.typed_once_slot] = None
    return same


def secret_typed(
    spec: FormSpec,
    question: Question,
    accepted: Any,
    answers: dict[str, Any],
    passwords: PasswordHashing,
) -> None:
    """A first typing accepted waits as a hash for its repeat; after a repeat (or a refusal)
    the hash goes."""
    once = spec.typed_once_slot
    if accepted is not None and spec.repeats(question.slot):
        answers[once] = passwords.hash(str(accepted))
    elif answers.get(once) is not None:
        answers[once] = None


def looks_like(kind: Kind, value: Any) -> bool:
    """Whether a typing is an email, or a phone number, at all (its own checks come after)."""
    if kind is Kind.EMAIL:
        return "@" in str(value)
    try:
        normalise_phone(str(value))
    except InvalidValue:
        return False
    return True


def same_typing(kind: Kind, first: Any, again: Any) -> bool:
    """Two typings of one answer: an email whatever its case, a phone whatever its spacing."""
    if first is None:
        return False
    if kind is Kind.EMAIL:
        return str(first).strip().casefold() == str(again).strip().casefold()
    if kind is Kind.PHONE:
        try:
            return normalise_phone(str(first)) == normalise_phone(str(again))
        except InvalidValue:
            return False
    return str(first).strip() == str(again).strip()
