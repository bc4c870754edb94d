"""The bulk recap's choices: a clear yes transmits every rent, a negation never does."""

from __future__ import annotations

import pytest

from dialogs.actions.declarations.bulk_reading import choice_of


@pytest.mark.parametrize("said", ["oui", "ok", "Valider", "c bon", "go", "valide", "👍 ok"])
def test_a_clear_yes_is_valider(said: str) -> None:
    assert choice_of(said) == "valider"


@pytest.mark.parametrize(
    "said",
    [
        "je ne veux pas valider",
        "ne validez pas",
        "ne transmettez pas",
        "invalide",
        "pas encore",
        "non",
        "je veux quitter sans valider",
        "oui mais pas murot",
    ],
)
def test_a_negation_is_never_valider(said: str) -> None:
    assert choice_of(said) != "valider"
