from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from dialogs.nlu.entities import extract
from dialogs.nlu.paths import nlu_data_dir
from dialogs.nlu.training_data import CHANGE_TYPES, load

TODAY = date(2026, 11, 16)
PHRASES = load(nlu_data_dir()).change_type_phrases


def entities(text: str, name: str) -> list[dict[str, Any]]:
    found = extract(text, today=TODAY, change_type_phrases=PHRASES)
    return [e for e in found if e["entity"] == name]


def only(text: str, name: str) -> dict[str, Any]:
    found = entities(text, name)
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    ("text", "euros", "cents", "span"),
    [
        ("328,75 €", "328.75", 32875, "328,75 €"),
        ("le loyer est de 328.75", "328.75", 32875, "328.75"),
        ("330e", "330.00", 33000, "330e"),
        ("oui 330 euros", "330.00", 33000, "330 euros"),
        ("1 250,00 €", "1250.00", 125000, "1 250,00 €"),
        ("elle me doit 1.200 €", "1200.00", 120000, "1.200 €"),
        ("trois cent trente euros", "330.00", 33000, "trois cent trente euros"),
        ("330 balles", "330.00", 33000, "330 balles"),
        ("quatre cent vingt euros", "420.00", 42000, "quatre cent vingt euros"),
        ("c'est mille deux cents euros", "1200.00", 120000, "mille deux cents euros"),
        ("450 EUR", "450.00", 45000, "450 EUR"),
        ("il paye 330€50 de loyer", "330.50", 33050, "330€50"),
        ("500 euros 50", "500.50", 50050, "500 euros 50"),
        ("500 euros et 50 centimes", "500.50", 50050, "500 euros et 50 centimes"),
        ("€ 420,50", "420.50", 42050, "€ 420,50"),
        ("EUR 380", "380.00", 38000, "EUR 380"),
        ("brisson paye 450 hc", "450.00", 45000, "450"),
        ("loyer 612,30 charges comprises", "612.30", 61230, "612,30"),
        ("c'est 520 par mois", "520.00", 52000, "520"),
    ],
)
def test_amounts(text: str, euros: str, cents: int, span: str) -> None:
    amount = only(text, "amount")
    assert amount["value"] == euros
    assert amount["cents"] == cents
    assert text[amount["start"] : amount["end"]] == span


@pytest.mark.parametrize(
    "text",
    [
        "330",
        "depuis 3 mois",
        "3 par mois",
        "2 ccs",
        "au 2e étage",
        "171842",
        "le 10/07/2012",
        "06 12 34 56 78",
        "pas d'argent",
        "0 €",
        "au 12 rue de la Paix, 14000 Caen, 2 étages",
    ],
)
def test_not_amounts(text: str) -> None:
    assert entities(text, "amount") == []


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("lebrun 520 cc dont 40 de charges", [("520.00", "with_charges"), ("40.00", "charges")]),
        ("loyer 612,30 charges comprises", [("612.30", "with_charges")]),
        ("loyer cc 520 €, charges 45", [("520.00", "with_charges"), ("45.00", "charges")]),
        ("450 tout compris", [("450.00", "with_charges")]),
        ("520 avec les charges", [("520.00", "with_charges")]),
        ("450 hc + 40 € de charges", [("450.00", None), ("40.00", "charges")]),
        ("480 euros et 40 d'charges", [("480.00", None), ("40.00", "charges")]),
        ("brisson paye 450 hc", [("450.00", None)]),
        ("loyer hors charges 450 €", [("450.00", None)]),
        ("loyer brisson 330 €", [("330.00", None)]),
        ("loyer brisson 380 charges incluses", [("380.00", "with_charges")]),
        ("loyer 380 dont charges 40", [("380.00", "with_charges"), ("40.00", "charges")]),
        ("380 dont 40 de charges", [("380.00", "with_charges"), ("40.00", "charges")]),
        ("380 tcc", [("380.00", "with_charges")]),
        # typed alone, four groups are no N° utilisateur when they are a rent's words
        ("380 cc charges 40", [("380.00", "with_charges"), ("40.00", "charges")]),
        # the charges said after the amount as part of it
        (
            "loyer de 380 euros, charges de 40 euros comprises",
            [("380.00", "with_charges"), ("40.00", "charges")],
        ),
        ("380 € charges 40 € comprises", [("380.00", "with_charges"), ("40.00", "charges")]),
        ("loyer 380e charges 40e incluses", [("380.00", "with_charges"), ("40.00", "charges")]),
        ("380 avec 40 de charges", [("380.00", "with_charges"), ("40.00", "charges")]),
        ("380 y compris 40 € de charges", [("380.00", "with_charges"), ("40.00", "charges")]),
        ("380, 40 de charges comprises", [("380.00", "with_charges"), ("40.00", "charges")]),
        ("380 et les charges de 40 comprises", [("380.00", "with_charges"), ("40.00", "charges")]),
        ("charges de 40 comprises", [("40.00", "charges")]),
        ("charges de 40 €", [("40.00", "charges")]),
        # charges added to the rent, not part of it
        ("380 € avec 40 de charges en plus", [("380.00", None), ("40.00", "charges")]),
        ("loyer 380 €, charges 40 €", [("380.00", None), ("40.00", "charges")]),
    ],
)
def test_amounts_said_with_or_as_charges_carry_a_role(
    text: str, roles: list[tuple[str, str | None]]
) -> None:
    found = [(e["value"], e.get("role")) for e in entities(text, "amount")]
    assert found == roles


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("171842", "171842"),
        ("mon numéro allocataire est 21083", "21083"),
        ("n° allocataire : 580 est faux, c'est 5", None),
        ("dossier 1234567", "1234567"),
        ("numero de dossier 42", "42"),
        ("loyer de l'allocataire 21083", "21083"),
    ],
)
def test_allocataire_numbers(text: str, value: str | None) -> None:
    found = entities(text, "allocataire_number")
    if value is None:
        assert found  # the cue makes even a short number an allocataire number
    else:
        assert [e["value"] for e in found] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "loyer brisson 95000",
        "le loyer de couture 12000",
        "montant 95000",
        "loyer brisson 3300000",
        "loyer murot 455000",
    ],
)
def test_a_number_said_as_a_rent_is_no_allocataire_number(text: str) -> None:
    """An amount far out of range, left for the form to question, not a tenant's number."""
    assert entities(text, "allocataire_number") == []


@pytest.mark.parametrize(
    "text",
    [
        "330",
        "330 euros",
        "12345678",
        "le numero utilisateur a 14 caracteres",
        "14000 CAEN",
        "depuis 2 mois",
        "en 2026",
        "06 12 34 56 78",
    ],
)
def test_not_allocataire_numbers(text: str) -> None:
    assert entities(text, "allocataire_number") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("14OLIVIERS0001", "14OLIVIERS0001"),
        ("mon n° utilisateur 14oliviers0001", "14OLIVIERS0001"),
        ("14 OLIVIERS 0001", "14OLIVIERS0001"),
        ("le numero c'est 14 oliviers 0001", "14OLIVIERS0001"),
    ],
)
def test_user_numbers(text: str, value: str) -> None:
    assert only(text, "user_number")["value"] == value


@pytest.mark.parametrize(
    "text",
    ["2 mois depuis 2026", "14OLIVIERS001", "ABCDEFGHIJKLMN", "12345678901234"],
)
def test_not_user_numbers(text: str) -> None:
    assert entities(text, "user_number") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Jean.Martin@Gmail.com", "jean.martin@gmail.com"),
        ("mail : contact@immo-normandie.fr merci", "contact@immo-normandie.fr"),
    ],
)
def test_emails(text: str, value: str) -> None:
    assert only(text, "email")["value"] == value


@pytest.mark.parametrize("text", ["jean.martin@", "@gmail.com", "jean martin gmail com"])
def test_not_emails(text: str) -> None:
    assert entities(text, "email") == []


@pytest.mark.parametrize(
    "text",
    [
        "06 12 34 56 78",
        "+33 6 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "06-12-34-56-78",
        "0033 6 12 34 56 78",
        "+33612345678",
    ],
)
def test_phones(text: str) -> None:
    assert only(text, "phone")["value"] == "0612345678"


@pytest.mark.parametrize("text", ["06 12 34 56", "061234567", "00 12 34 56 78", "171842"])
def test_not_phones(text: str) -> None:
    assert entities(text, "phone") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("le 10/07/2012", "2012-07-10"),
        ("1er mars", "2026-03-01"),
        ("le premier mars", "2026-03-01"),
        ("le 15 septembre 2026", "2026-09-15"),
        ("parti le 30/09/26", "2026-09-30"),
        ("le 16 novembre", "2026-11-16"),  # today counts as the most recent past
        ("le 20 novembre", "2025-11-20"),  # not yet reached this year
        ("le 20 novembre prochain", "2026-11-20"),
        ("le 16 novembre dernier", "2025-11-16"),
        ("le 3 aout", "2026-08-03"),
        ("le 12 sept", "2026-09-12"),
        ("15 septmbre", "2026-09-15"),
        ("15/10", "2026-10-15"),
        ("hier", "2026-11-15"),
        ("aujourd'hui", "2026-11-16"),
        ("il y a 2 semaines", "2026-11-02"),
        ("le 29 février 2024", "2024-02-29"),
        ("fin octobre", "2026-10-31"),  # the month's year as for a month alone
        ("parti fin decembre", "2025-12-31"),
        ("mi-mars", "2026-03-15"),
        ("début d'août", "2026-08-01"),
        ("fin février 2024", "2024-02-29"),
        ("fin de septembre dernier", "2026-09-30"),
        ("il est parti le 28", "2026-10-28"),  # the most recent 28th
        ("le 16", "2026-11-16"),
        ("parti le 1er, il a rendu les clés", "2026-11-01"),
        ("apl du 25", "2026-10-25"),
        ("le 31", "2026-10-31"),
        ("le 28 prochain", "2026-11-28"),
        ("le 16 dernier", "2026-10-16"),
        ("depuis le 5 du mois", "2026-11-05"),
        # a day of the week: the most recent one (today, a Monday, included), or the next
        ("parti lundi", "2026-11-16"),
        ("depuis vendredi", "2026-11-13"),
        ("ce mercredi", "2026-11-11"),
        ("jeudi dernier", "2026-11-12"),
        ("lundi prochain", "2026-11-23"),
    ],
)
def test_dates(text: str, value: str) -> None:
    assert only(text, "date")["value"] == value


@pytest.mark.parametrize(
    "text",
    [
        "le 31/02/2026",
        "le 32 mars",
        "3 mois",
        "le nombre de colocataires",
        "sept mois",
        "1/2 loyer",
        "le 3 place de la République",
        "le 2 mois de retard",
        "le loyer de brisson c'est le 330",
        "le 12 €",
        "si je me connecte le premier",
    ],
)
def test_not_dates(text: str) -> None:
    assert entities(text, "date") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("depuis mars", "2026-03"),
        ("septembre dernier", "2026-09"),
        ("depuis novembre", "2026-11"),
        ("novembre dernier", "2025-11"),
        ("décembre", "2025-12"),
        ("decembre prochain", "2026-12"),
        ("septembre 2026", "2026-09"),
        ("09/2026", "2026-09"),
        ("le mois dernier", "2026-10"),
        ("ce mois-ci", "2026-11"),
        ("OCTOBRE", "2026-10"),
        ("depuis fevier", "2026-02"),
    ],
)
def test_months(text: str, value: str) -> None:
    assert only(text, "month")["value"] == value


@pytest.mark.parametrize(
    "text", ["le nombre de mois", "mais non", "marie", "sept mois", "depuis 3 mois"]
)
def test_not_months(text: str) -> None:
    assert entities(text, "month") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("j'ai vendu l'appartement", "end_of_management"),
        ("c'est une fin de gestion", "end_of_management"),
        ("il est parti", "tenant_departure"),
        ("elle a quitté le logement", "tenant_departure"),
        ("mon locataire a DEMENAGE", "tenant_departure"),
        ("la colocation", "flatshare"),
        ("une coloc", "flatshare"),
        ("il n'y a plus de coloc", "flatshare"),
    ],
)
def test_change_types(text: str, value: str) -> None:
    assert only(text, "change_type")["value"] == value


@pytest.mark.parametrize(
    "text",
    [
        "je quitte mon compte",
        "il paye une partie du loyer",
        "déclarer le loyer",
        "milome tjrs la pas de coloc 352e",
        "toujours là, sans colocataire",
        "il n'est pas encore parti",
        "aucun départ ce mois-ci",
    ],
)
def test_not_change_types(text: str) -> None:
    assert entities(text, "change_type") == []


def test_change_type_values_are_the_three_documented() -> None:
    assert set(PHRASES.values()) == set(CHANGE_TYPES)


def test_one_span_is_never_two_entities() -> None:
    text = "171842 330 euros 10/07/2012 06 12 34 56 78 14OLIVIERS0001 a@b.fr septembre"
    found = extract(text, today=TODAY)
    spans = sorted((e["start"], e["end"]) for e in found)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start
    assert sorted(e["entity"] for e in found) == sorted(
        ["allocataire_number", "amount", "date", "phone", "user_number", "email", "month"]
    )


def test_cents_after_the_currency_never_take_a_day() -> None:
    found = extract("330 € 15 septembre", today=TODAY, change_type_phrases=PHRASES)
    assert [(e["entity"], e["value"]) for e in found] == [
        ("amount", "330.00"),
        ("date", "2026-09-15"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [("c'est 14 oliviers 0002", "14OLIVIERS0002"), ("sept 2026", None)],
)
def test_grouped_lower_case_user_number_and_abbreviated_month(text: str, value: str | None) -> None:
    if value is None:
        assert only(text, "month")["value"] == "2026-09"
    else:
        assert only(text, "user_number")["value"] == value


def test_a_date_is_not_a_user_number() -> None:
    assert entities("le 12 novembre 2026", "user_number") == []
    assert only("le 12 novembre 2026", "date")["value"] == "2026-11-12"
