"""Reading messages against the account forms: several answers in one message, names, typed
twice, unknown answers, passwords. Pure: the rule extractors only, no database, no model."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dialogs.actions.accounts.first_login import FIRST_LOGIN
from dialogs.actions.accounts.new_user import NEW_USER
from dialogs.actions.accounts.recovery import LOST_IDENTIFIER
from dialogs.forms.lexicon import lexicon
from dialogs.forms.message import split
from dialogs.forms.reading import Context, read
from dialogs.forms.spec import FormSpec
from dialogs.forms.values import UNKNOWN
from dialogs.nlu.entities import extract

TODAY = date(2026, 11, 23)
MEDIUM_LABELS = {"lost_identifier_medium": {"post": ["Par courrier"], "email": ["Par courriel"]}}


def taken(
    spec: FormSpec, text: str, requested: str | None, answers: dict[str, Any] | None = None
) -> dict[str, tuple[Any, str]]:
    context = Context(today=TODAY, lexicon=lexicon(), option_labels=MEDIUM_LABELS)
    message = split(text, extract(text, today=TODAY))
    reading = read(spec, answers or {}, requested, message, context)
    return {t.slot: (t.value, t.how) for t in reading.taken}


def test_names_email_and_phone_in_one_message_fill_four_questions():
    found = taken(NEW_USER, "Marc Dupuis marc.dupuis@mail.fr 06 12 34 56 78", "new_user_last_name")

    assert found == {
        "new_user_last_name": ("Dupuis", "answer"),
        "new_user_first_name": ("Marc", "fill"),
        "new_user_email": ("marc.dupuis@mail.fr", "fill"),
        "new_user_phone": ("0612345678", "fill"),
    }


@pytest.mark.parametrize(
    ("text", "last", "first"),
    [
        ("Marc Dupuis", "Dupuis", "Marc"),
        ("DUPUIS Marc", "DUPUIS", "Marc"),
        ("Jean-Pierre de la Fontaine", "de la Fontaine", "Jean-Pierre"),
        ("Dupuis, le prénom c'est Marc", "Dupuis", "Marc"),
    ],
)
def test_a_first_and_family_name_given_together(text, last, first):
    found = taken(NEW_USER, text, "new_user_last_name")

    assert found["new_user_last_name"][0] == last
    assert found["new_user_first_name"][0] == first


def test_one_name_answers_only_the_question_asked():
    assert taken(NEW_USER, "Dupuis", "new_user_last_name") == {
        "new_user_last_name": ("Dupuis", "answer")
    }
    answered = {"new_user_last_name": "DUPUIS"}
    assert taken(NEW_USER, "Marc Antoine", "new_user_first_name", answered) == {
        "new_user_first_name": ("Marc Antoine", "answer")
    }


def test_i_do_not_know_is_never_a_name_and_skips_an_optional_phone():
    assert taken(NEW_USER, "je sais pas", "new_user_last_name") == {}
    assert taken(NEW_USER, "jsp", "new_user_first_name", {"new_user_last_name": "X"}) == {}
    assert taken(NEW_USER, "je sais pas", "new_user_phone") == {
        "new_user_phone": (UNKNOWN, "answer")
    }


def test_an_answer_typed_twice_is_never_filled_from_another_message():
    answers = {"new_user_last_name": "DUPUIS", "new_user_first_name": "Marc"}
    found = taken(NEW_USER, "marc@mail.fr", "new_user_email", answers)

    assert found == {"new_user_email": ("marc@mail.fr", "answer")}
    answers |= {"new_user_email": "marc@mail.fr"}
    found = taken(NEW_USER, "marc@mail.fr 0612345678", "new_user_email_again", answers)
    assert found == {
        "new_user_email_again": ("marc@mail.fr", "answer"),
        "new_user_phone": ("0612345678", "fill"),
    }


def test_a_correction_at_the_second_typing_corrects_the_first():
    answers = {"new_user_email": "marc@mail.fr"}
    found = taken(NEW_USER, "non l'email c'est marc@gmail.fr", "new_user_email_again", answers)

    assert found == {"new_user_email": ("marc@gmail.fr", "correction")}


def test_a_malformed_value_typed_alone_is_taken_for_its_validation_to_refuse():
    assert taken(NEW_USER, "12345", "new_user_phone") == {"new_user_phone": ("12345", "answer")}
    assert taken(NEW_USER, "c'est pas une adresse", "new_user_email") == {}


def test_a_password_is_read_whole_and_for_nothing_else():
    password = "  Marc.Dupuis@mail.fr 06 12 34 56 78 "
    steps = {"first_login_steps": ["contact", "password"]}
    found = taken(FIRST_LOGIN, password, "first_login_password", steps)

    assert found == {"first_login_password": (password, "answer")}


@pytest.mark.parametrize(("text", "medium"), [("courriel", "email"), ("par courrier", "post")])
def test_courriel_and_courrier_are_told_apart(text, medium):
    answers = {"lost_identifier_number": "14OLIVIERS0001"}
    found = taken(LOST_IDENTIFIER, text, "lost_identifier_medium", answers)

    assert found == {"lost_identifier_medium": (medium, "answer")}


def test_a_user_number_typed_in_groups_is_one_answer():
    found = taken(LOST_IDENTIFIER, "14 OLIVIERS 0001", "lost_identifier_number")

    assert found == {"lost_identifier_number": ("14OLIVIERS0001", "answer")}
