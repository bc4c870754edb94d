"""What « looks like a password » when none was asked: the CAF's password rules (letters of both
cases, digits and a sign), never an identifier, a N° utilisateur, an email or a reference."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from dialogs.engine.inbound import looks_like_password


def test_passwords_of_the_caf_rules_look_like_passwords() -> None:
    for typed in ("Lettre-Provisoire-1", "Oliviers-Demo-2026", "MonNouveau-Mdp-2026!"):
        assert looks_like_password(typed)


@given(st.text(alphabet=string.ascii_lowercase + string.digits + "._-", min_size=1, max_size=60))
def test_identifiers_in_lower_case_never_do(identifier: str) -> None:
    assert not looks_like_password(identifier)


@given(st.text(alphabet=string.ascii_letters + string.digits, min_size=14, max_size=14))
def test_a_user_number_of_letters_and_digits_never_does(number: str) -> None:
    assert not looks_like_password(number)


@given(st.lists(st.text(min_size=1, max_size=40), min_size=2, max_size=6))
def test_a_sentence_never_does(words: list[str]) -> None:
    assert not looks_like_password(" ".join(words))
