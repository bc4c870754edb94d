"""Dates read in context by the change form, with no database: a day written without a year is
the last one, unless it comes within a few weeks or is said of the future; "dernier" keeps it
in the past. The rules (`check_fact_date`) then accept the date or say why not."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.actions.declarations.change_spec import CHANGE
from dialogs.forms.lexicon import lexicon
from dialogs.forms.message import split
from dialogs.forms.reading import Context, read
from dialogs.nlu.entities import extract
from dialogs.nlu.tenants import TenantCandidate

TODAY = date(2026, 11, 23)
TENANTS = [TenantCandidate(id=7, first_name="Thomas", last_name="NGUYEN")]


def dates(text: str, requested: str | None, answers: dict[str, object]) -> dict[str, object]:
    context = Context(today=TODAY, lexicon=lexicon(), opening=requested is None)
    message = split(text, extract(text, today=TODAY, tenants=TENANTS))
    return {t.slot: t.value for t in read(CHANGE, answers, requested, message, context).taken}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le 30/11", "2026-11-30"),  # in a week, not a year ago
        ("le 10/11", "2026-11-10"),
        ("le 20/05", "2026-05-20"),  # far ahead: last May
        ("le 15 décembre dernier", "2025-12-15"),
        ("15/12/2026", "2026-12-15"),
    ],
)
def test_a_day_without_a_year_is_read_as_the_landlord_means_it(text: str, expected: str) -> None:
    answers = {"change_type": "end_of_management", "change_tenant": 7}
    assert dates(text, "change_end_date", answers)["change_end_date"] == expected


def test_a_future_departure_is_a_departure_on_that_date() -> None:
    taken = dates("nguyen va partir le 15/12", None, {})
    assert taken["change_type"] == "tenant_departure"
    assert taken["change_departure_date"] == "2026-12-15"


def test_a_date_correction_at_the_lease_question_changes_the_departure() -> None:
    answers = {
        "change_type": "tenant_departure",
        "change_tenant": 7,
        "change_departure_date": "2026-11-10",
    }
    taken = dates("ah non la date de départ c'est le 12/11", "change_lease_end_date", answers)
    assert taken == {"change_departure_date": "2026-11-12"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("depuis mai", "2026-05-01"),
        ("dpuis juin", "2026-06-01"),
        ("depuis le mois d'avril", "2026-04-01"),
        ("à compter de septembre", "2026-09-01"),
        ("dès octobre", "2026-10-01"),
        ("depuis le 3 mai", "2026-05-03"),
        ("depuis debut mai", "2026-05-01"),
    ],
)
def test_a_month_said_as_the_start_of_the_change_is_its_first_day(text: str, expected: str) -> None:
    answers = {"change_type": "end_of_management", "change_tenant": 7}
    assert dates(text, "change_end_date", answers)["change_end_date"] == expected
    departure = {"change_type": "tenant_departure", "change_tenant": 7}
    assert dates(text, "change_departure_date", departure)["change_departure_date"] == expected


def test_a_month_said_with_the_flat_share_is_its_start() -> None:
    taken = dates("nguyen est en coloc depuis mai, 3 colocataires", None, {})
    assert taken["change_from_date"] == "2026-05-01"
    assert taken["change_cotenants"] == 3


@pytest.mark.parametrize("text", ["en mai", "mai", "fin de gestion en mai"])
def test_a_month_alone_is_no_date(text: str) -> None:
    answers = {"change_type": "end_of_management", "change_tenant": 7}
    assert "change_end_date" not in dates(text, "change_end_date", answers)


FLATSHARE_RECAP = {
    "change_type": "flatshare",
    "change_tenant": 7,
    "change_flatshare": True,
    "change_cotenants": 3,
    "change_cotenant_names": "",
    "change_from_date": "2026-11-01",
    "change_defaulted": ["change_cotenant_names"],
}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Paul Durand et Marie Lefèvre", "Paul Durand et Marie Lefèvre"),
        ("paul durand, marie lefevre", "paul durand, marie lefevre"),
        ("non c'est paul durand et marie lefevre", "paul durand et marie lefevre"),
        ("les colocataires sont Paul Durand et Marie Lefèvre", "Paul Durand et Marie Lefèvre"),
        ("ils s'appellent paul et sophie", "paul et sophie"),
        ("Jean-Pierre N'Diaye & Anne-Sophie Petit", "Jean-Pierre N'Diaye & Anne-Sophie Petit"),
    ],
)
def test_names_typed_at_the_flatshare_recap_correct_the_co_tenants(text: str, names: str) -> None:
    taken = dates(text, "change_confirm", FLATSHARE_RECAP)
    assert taken == {"change_cotenant_names": names}


@pytest.mark.parametrize(
    "text", ["tres bien", "ok", "non", "merci beaucoup", "paul", "quoi ?", "3 colocataires"]
)
def test_words_that_are_no_names_never_fill_the_co_tenants(text: str) -> None:
    assert "change_cotenant_names" not in dates(text, "change_confirm", FLATSHARE_RECAP)


def test_a_count_said_after_no_at_the_recap_corrects_the_count_not_the_flatshare() -> None:
    for text in ("non c'est 2 colocataires", "les colocataires sont 2"):
        assert dates(text, "change_confirm", FLATSHARE_RECAP) == {"change_cotenants": 2}


def test_from_a_day_is_no_departure_nor_the_future() -> None:
    """« à partir du » holds « partir », a word of its own: no « partie », no « partira »."""
    answers = {"change_type": "end_of_management", "change_tenant": 7}
    taken = dates("à partir du 1er novembre", "change_end_date", answers)
    assert taken == {"change_end_date": "2026-11-01"}
