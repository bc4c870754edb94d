"""What a landlord types at the bulk recap is read as exceptions or as a choice, whatever the form
("sauf brisson 340 €", "pas murot", "couture 400", several at once), and what cannot be placed is
named instead of ignored."""

from __future__ import annotations

import pytest

from dialogs.actions.declarations.bulk_reading import (
    Candidate,
    asks_everyone,
    choice_of,
    read_exceptions,
)

TENANTS = [
    Candidate(1, "BRISSON", "Isabelle"),
    Candidate(2, "COUTURE", "Anthony"),
    Candidate(3, "MILOME", "Syndy"),
    Candidate(4, "MUROT", "Esther"),
    Candidate(5, "MARTIN", "Louise"),
    Candidate(6, "MARTIN", "Paul"),
]


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("sauf brisson 340 €", {1: 34000}),
        ("couture 400", {2: 40000}),
        ("Couture : 400,50 euros", {2: 40050}),
        ("340 pour brisson", {1: 34000}),
        ("brison 340", {1: 34000}),  # one typo in the name
        ("sauf brisson 340 et couture 400", {1: 34000, 2: 40000}),
        ("brisson 340, couture 1 250,00 €", {1: 34000, 2: 125000}),
        ("sauf brisson 340 couture 400", {1: 34000, 2: 40000}),
    ],
)
def test_an_amount_goes_to_the_tenant_named_with_it(text: str, amounts: dict[int, int]) -> None:
    found = read_exceptions(text, TENANTS)
    assert found.amounts == amounts
    assert found.removed == set()
    assert not found.unknown


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("pas murot", {4}),
        ("sauf murot", {4}),
        ("sans milome", {3}),
        ("retire murot et milome", {3, 4}),
        ("pas murot ni milome", {3, 4}),
    ],
)
def test_a_tenant_named_without_amount_after_pas_or_sauf_is_taken_out(
    text: str, removed: set[int]
) -> None:
    found = read_exceptions(text, TENANTS)
    assert found.removed == removed
    assert found.amounts == {}


def test_amounts_and_removals_mix_in_one_message() -> None:
    found = read_exceptions("sauf brisson 340 €, pas murot, couture 400", TENANTS)
    assert found.amounts == {1: 34000, 2: 40000}
    assert found.removed == {4}


def test_a_name_outside_the_candidates_is_named_back_and_changes_nothing() -> None:
    found = read_exceptions("dupont 500", TENANTS)
    assert found.unknown == ["dupont"]
    assert found.amounts == {}
    assert found.orphan_amounts == []  # the amount was for the unknown name


def test_an_amount_without_a_tenant_is_reported() -> None:
    assert read_exceptions("340", TENANTS).orphan_amounts == ["340"]


def test_a_shared_family_name_needs_the_first_name() -> None:
    assert [c.last_name for c in read_exceptions("martin 500", TENANTS).ambiguous] == ["MARTIN"]
    assert read_exceptions("martin paul 500", TENANTS).amounts == {6: 50000}


def test_a_wrong_amount_is_kept_apart() -> None:
    found = read_exceptions("brisson 340,555", TENANTS)
    assert found.bad_amounts == {1: "340,555"}
    assert found.amounts == {}


@pytest.mark.parametrize(
    "text",
    [
        "tous mes loyers sont inchangés",
        "même loyer pour tout le monde",
        "tous les loyers inchanges",
        "loyers identiques pour tous",
    ],
)
def test_every_rent_at_once_is_recognised(text: str) -> None:
    assert asks_everyone(text)


@pytest.mark.parametrize(
    "text", ["loyer inchangé pour murot", "déclarer un loyer", "tous mes locataires"]
)
def test_one_rent_or_a_list_is_not_every_rent(text: str) -> None:
    assert not asks_everyone(text)


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("valider", "valider"),
        ("ok", "valider"),
        ("oui c'est bon", "valider"),
        ("page suivante", "page"),
        ("le modele", "template"),
        ("quitter", "quitter"),
        ("brisson 340", None),
        ("pas murot", None),
    ],
)
def test_a_choice_is_read_from_a_short_message(text: str, choice: str | None) -> None:
    assert choice_of(text) == choice


def test_a_rent_with_charges_is_taken_out_never_declared_as_typed() -> None:
    found = read_exceptions("sauf milome 400 cc, murot 500 hc", TENANTS)
    assert found.amounts == {4: 50000}
    assert found.with_charges == {3: 40000}
    assert 3 in found.removed  # not last year's amount by default
    assert found.unknown == []  # « cc », « hc » are no names


@pytest.mark.parametrize(
    "text",
    [
        "milome 400 cc dont 40 de charges",
        "milome 400 € charges comprises, 40 € de charges",
        "milome 400 € charges 40 € comprises",
        "milome 400 avec 40 de charges",
    ],
)
def test_charges_beside_a_rent_with_charges_are_taken_off(text: str) -> None:
    found = read_exceptions(text, TENANTS)
    assert found.amounts == {3: 36000}
    assert found.with_charges == {}
    assert 3 not in found.removed
