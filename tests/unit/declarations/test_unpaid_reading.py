"""Reading a message against the unpaid report: which month amount each number is, "rien",
"pareil", a month named in passing, and the recap. Pure: no database, no model."""

from __future__ import annotations

from typing import Any

import pytest

from dialogs.actions.declarations.unpaid_months import UNPAID
from dialogs.forms.lexicon import lexicon
from dialogs.forms.message import split
from dialogs.forms.reading import Context, Reading, read
from dialogs.forms.values import SAME
from dialogs.nlu.entities import extract
from tests.unit.declarations.test_rent_reading import TENANTS, TODAY

# August is asked; its due is the tenant's share, filled by default: "paid" is the question.
ASKING = {
    "unpaid_tenant": 2,
    "unpaid_first_month": "2026-08",
    "unpaid_month": "2026-08-01",
    "unpaid_lines": [],
    "unpaid_due": 28690,
    "unpaid_defaulted": ["unpaid_due"],
}
# Every month known: the recap.
RECAP = {
    "unpaid_tenant": 2,
    "unpaid_first_month": "2026-09",
    "unpaid_month": None,
    "unpaid_lines": [["2026-09-01", 28690, 0], ["2026-10-01", 28690, 0], ["2026-11-01", 28690, 0]],
}


def reading(text: str, requested: str | None, answers: dict[str, Any]) -> Reading:
    context = Context(today=TODAY, lexicon=lexicon(), opening=requested is None)
    entities = extract(text, today=TODAY, tenants=TENANTS)
    return read(UNPAID, answers, requested, split(text, entities), context)


def taken(result: Reading) -> dict[str, Any]:
    return {t.slot: t.value for t in result.taken}


def test_the_opening_message_gives_the_tenant_and_the_first_month() -> None:
    result = taken(reading("couture paye plus depuis août", None, {}))
    assert result == {"unpaid_tenant": {"id": 2}, "unpaid_first_month": "2026-08"}


@pytest.mark.parametrize(
    "text",
    ["dû 450, payé 200", "450 et 200", "450, 200", "dû 450 payé 200", "450 dû 200 payé"],
)
def test_both_amounts_of_a_month_in_one_message(text: str) -> None:
    result = reading(text, "unpaid_paid", ASKING)
    assert taken(result) == {"unpaid_due": 45000, "unpaid_paid": 20000}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100", {"unpaid_paid": 10000}),
        ("80 €", {"unpaid_paid": 8000}),
        ("rien", {"unpaid_paid": 0}),
        ("0", {"unpaid_paid": 0}),
        ("payé 0 €", {"unpaid_paid": 0}),
        ("dû 0", {"unpaid_due": 0}),  # read as said; the check refuses it with the reason
        ("il n'a rien payé du tout", {"unpaid_paid": 0}),
        ("pas un centime", {"unpaid_paid": 0}),
        ("pareil", {"unpaid_paid": SAME}),
        ("dû 300 rien payé", {"unpaid_due": 30000, "unpaid_paid": 0}),
        ("il a payé 100 du loyer", {"unpaid_paid": 10000}),
    ],
)
def test_what_was_paid(text: str, expected: dict[str, Any]) -> None:
    assert taken(reading(text, "unpaid_paid", ASKING)) == expected


@pytest.mark.parametrize(
    "text", ["non le loyer dû c'est 480", "le loyer c'est 480", "il devait 480"]
)
def test_a_due_given_at_the_paid_question_is_not_what_was_paid(text: str) -> None:
    assert taken(reading(text, "unpaid_paid", ASKING)) == {"unpaid_due": 48000}


def test_a_month_named_in_passing_does_not_change_the_first_month() -> None:
    in_passing = taken(reading("en septembre il a payé 120", "unpaid_paid", ASKING))
    assert in_passing == {"unpaid_paid": 12000}
    named = taken(reading("non, depuis septembre", "unpaid_paid", ASKING))
    assert named == {"unpaid_first_month": "2026-09"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("payé 50 en octobre", {"unpaid_paid": 5000}),
        ("non le loyer dû c'est 290", {"unpaid_due": 29000}),
        ("en octobre il n'a rien payé", {"unpaid_paid": 0}),
        ("430", {}),  # a bare number at the recap answers nothing
    ],
)
def test_amounts_are_read_at_the_recap(text: str, expected: dict[str, Any]) -> None:
    assert taken(reading(text, "unpaid_confirm", RECAP)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "je ne veux pas valider",
        "ne transmettez pas",
        "non",
        "invalide",
        "pas encore, je veux vérifier avant d'envoyer",
        "n'envoyez rien",
    ],
)
def test_a_negation_at_the_unpaid_recap_never_validates(text: str) -> None:
    result = reading(text, "unpaid_confirm", RECAP)
    assert result.recap != "valider"
    assert not result.taken


@pytest.mark.parametrize("text", ["oui", "ok c bon", "valide", "Valider", "c'est bon merci 👍"])
def test_a_plain_yes_at_the_unpaid_recap_validates(text: str) -> None:
    result = reading(text, "unpaid_confirm", RECAP)
    assert result.recap == "valider"
    assert not result.taken
