"""Pure credential rules and the user form: no database."""

from __future__ import annotations

from datetime import date

import pytest

from services.accounts.credentials import (
    login_stem,
    new_provisional_password,
    normalise_email,
    normalise_phone,
    normalise_user_number,
    password_rule_reasons,
)
from services.accounts.user_form import parse_new_user
from services.core.errors import InvalidFields, InvalidValue
from services.core.rules import account_rules


@pytest.mark.parametrize(
    ("password", "reasons"),
    [
        ("Bateau-Vert-2027!", []),
        ("mot de passe 12 !", []),
        ("Court-1", ["too_short"]),
        ("!!!!!!!!!!!!1", ["no_letter"]),
        ("Sans-Chiffre-Ici", ["no_digit"]),
        ("SansSymbole2027", ["no_symbol"]),
        ("espaces seuls 2027", ["no_symbol"]),
        ("mon-JEAN.DUPONT-2027", ["contains_identifier"]),
        ("", ["too_short", "no_letter", "no_digit", "no_symbol"]),
        ("Bateau-Vert-" + "7" * 117, ["too_long"]),
        ("Password123!", ["common"]),
        ("  PASSWORD123!  ", ["common"]),
        ("Oliviers-Demo-2026", ["common"]),  # a demo password published in the README
        ("Martin-Demo-2026", ["common"]),
    ],
)
def test_the_personal_password_rule(password, reasons):
    min_length = account_rules(date(2026, 11, 23)).min_password_length
    assert password_rule_reasons(password, login="jean.dupont", min_length=min_length) == reasons


def test_a_password_is_judged_as_typed_spaces_included():
    # Twelve characters only with the spaces typed around it: they count, they are not cut.
    assert password_rule_reasons("  Vert-2027!  ", login="", min_length=12) == []
    assert password_rule_reasons("Vert-2027!", login="", min_length=12) == ["too_short"]
    assert password_rule_reasons("B" * 120 + "-2027!", login="", min_length=12) == []


def test_provisional_passwords_are_readable_and_varied():
    passwords = {new_provisional_password() for _ in range(50)}

    assert len(passwords) == 50
    for password in passwords:
        assert len(password) == 14 and password.count("-") == 2
        assert not set(password) & set("0O1lI")
        assert any(c.isupper() for c in password) and any(c.islower() for c in password)
        assert any(c.isdigit() for c in password)


@pytest.mark.parametrize(
    ("first", "last", "stem"),
    [
        ("Élodie", "Martin", "elodie.martin"),
        ("Jean Pierre", "D'Argent-Lévêque", "jean-pierre.d-argent-leveque"),
        ("", "", "utilisateur"),
    ],
)
def test_identifier_stems(first, last, stem):
    assert login_stem(first, last) == stem


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("06 12 34 56 78", "0612345678"),
        ("06.12.34.56.78", "0612345678"),
        ("+33 6 12 34 56 78", "0612345678"),
        ("0033546410000", "0546410000"),
        ("(05) 46-41-00-00", "0546410000"),
        ("0262 12 34 56", "0262123456"),  # La Réunion
        ("+590 590 12 34 56", "0590123456"),  # Guadeloupe
    ],
)
def test_french_phone_numbers_are_normalised_to_ten_digits(typed, expected):
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "0012345678",
        "061234567",
        "06123456789",
        "+44 20 7946 0958",
        "06 12 34 56 7a",
        "1" * 200,
        "",
    ],
)
def test_other_phone_numbers_are_refused(typed):
    with pytest.raises(InvalidValue) as error:
        normalise_phone(typed)
    assert error.value.reason == "phone_format"


def test_emails():
    assert normalise_email(" Claire@LesOliviers.EXAMPLE ") == "Claire@lesoliviers.example"
    for typed in ("claire", "claire@", "claire@oliviers", "a b@c.fr", "a@@b.fr"):
        with pytest.raises(InvalidValue):
            normalise_email(typed)


def test_user_numbers_tolerate_spaces_and_case():
    assert normalise_user_number(" 14 oliviers 0001 ") == "14OLIVIERS0001"
    for typed in ("14OLIVIERS001", "14OLIVIERS00012", "14OLIVIERS-001", "14OLIVIÉRS0001"):
        with pytest.raises(InvalidValue) as error:
            normalise_user_number(typed)
        assert error.value.reason == "user_number_format"


def test_the_user_form_lists_every_field_in_error():
    with pytest.raises(InvalidFields) as error:
        parse_new_user(
            last_name="",
            first_name="",
            email="x@y.fr",
            email_confirmation="z@y.fr",
            phone="0612345678",
            phone_confirmation=None,
            group_ids=(),
            opened_on=date(2026, 12, 1),
            closed_on=date(2026, 11, 30),
        )
    assert error.value.fields == {
        "last_name": "required",
        "first_name": "required",
        "email_confirmation": "mismatch",
        "phone_confirmation": "confirmation_required",
        "group_ids": "required",
        "closed_on": "before_opening",
    }


def test_the_user_form_normalises_what_it_accepts():
    form = parse_new_user(
        last_name=" Martin ",
        first_name="Élodie",
        email="E.Martin@Oliviers.EXAMPLE",
        email_confirmation="e.martin@oliviers.example",
        phone="06 12 34 56 78",
        phone_confirmation="+33612345678",
        group_ids=[3, 3, 4],
        opened_on=date(2026, 12, 1),
    )
    assert (form.last_name, form.email, form.phone, form.group_ids) == (
        "Martin",
        "E.Martin@oliviers.example",
        "0612345678",
        (3, 4),
    )
