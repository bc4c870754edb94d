"""A form's reading of the turn's message is reused only for the same inputs, within one turn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from dialogs.context import TURN_READS
from dialogs.forms import read_once
from dialogs.forms.lexicon import lexicon
from dialogs.forms.reader_base import Context, Reading, Taken

TODAY = date(2026, 11, 23)


@pytest.fixture
def turn() -> Iterator[None]:
    token = TURN_READS.set({})
    yield
    TURN_READS.reset(token)


def _context(*, opening: bool = False) -> Context:
    return Context(today=TODAY, lexicon=lexicon(), opening=opening)


def test_outside_a_turn_nothing_is_kept() -> None:
    latest = {"text": "valider"}
    first = read_once.cut(latest, "valider", [], False)
    assert read_once.cut(latest, "valider", [], False) is not first
    form = object()
    kept = Reading(taken=[Taken("rent_amount", 33000, "answer")])
    read_once.keep(form, latest, "rent_confirm", {}, first, _context(), kept)
    fresh = Reading()
    assert (
        read_once.reading(form, latest, "rent_confirm", {}, first, _context(), lambda: fresh)
        is fresh
    )


@pytest.mark.usefixtures("turn")
def test_a_message_is_cut_once_per_parse_and_entities() -> None:
    latest = {"text": "valider 330 €"}
    entities = [{"entity": "amount", "start": 8, "end": 13, "value": 33000}]
    first = read_once.cut(latest, latest["text"], entities, False)
    assert read_once.cut(latest, latest["text"], list(entities), False) is first
    assert read_once.cut(latest, latest["text"], [], False) is not first
    assert read_once.cut(dict(latest), latest["text"], entities, False) is not first
    assert read_once.cut(latest, latest["text"], entities, True) is not first


@pytest.mark.usefixtures("turn")
def test_the_reading_of_takes_is_reused_once_for_the_same_inputs() -> None:
    form, latest = object(), {"text": "valider"}
    message = read_once.cut(latest, "valider", [], False)
    answers = {"rent_tenant": 3, "rent_amount": None, "requested_slot": "rent_confirm"}
    kept = Reading(recap="valider")

    def unread() -> Reading:
        raise AssertionError("read again")

    read_once.keep(form, latest, "rent_confirm", answers, message, _context(), kept)
    # The tracker's slots: every domain slot (None when unset) and the engine's own two.
    tracker = {**answers, "other_slot": None, "session_user_id": 7, "after_login_pending": False}
    assert (
        read_once.reading(form, latest, "rent_confirm", tracker, message, _context(), unread)
        is kept
    )
    fresh = Reading()
    assert (
        read_once.reading(form, latest, "rent_confirm", tracker, message, _context(), lambda: fresh)
        is fresh
    )


@pytest.mark.parametrize(
    "change",
    ["form", "parse", "question", "answers", "message", "opening"],
)
@pytest.mark.usefixtures("turn")
def test_any_other_input_reads_again(change: str) -> None:
    form, latest = object(), {"text": "oui"}
    message = read_once.cut(latest, "oui", [], False)
    answers = {"rent_tenant": 3}
    read_once.keep(form, latest, "rent_still_living", answers, message, _context(), Reading())
    fresh = Reading()
    assert (
        read_once.reading(
            object() if change == "form" else form,
            dict(latest) if change == "parse" else latest,
            "rent_unpaid" if change == "question" else "rent_still_living",
            {"rent_tenant": 4} if change == "answers" else answers,
            read_once.cut(latest, "oui", [], True) if change == "message" else message,
            _context(opening=change == "opening"),
            lambda: fresh,
        )
        is fresh
    )
