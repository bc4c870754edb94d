"""A rent said with its charges is never declared as typed: the CAF asks for the rent without
charges. Charges said beside it are taken off (and the subtraction said back); said alone, the
amount is asked again with a button that takes the tenant's known charges off."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from tests.integration.chat import Chat, rents


@pytest.mark.parametrize(
    "said",
    [
        "loyer couture 420 cc dont 40 de charges",
        "couture 420€ charges comprises, 40 € de charges",
        "couture loyer cc 420 charges 40",
        # the charges said after the amount as part of it
        "loyer de couture 420 euros, charges de 40 euros comprises",
        "couture 420 € charges 40 € comprises",
        "couture 420 dont charges 40",
        "couture 420 avec 40 de charges",
        "couture 420e, 40e de charges incluses",
    ],
)
def test_charges_said_beside_the_rent_are_taken_off(app: App, said: str) -> None:
    chat = Chat(app)
    chat.log_in()
    recap = chat.say(said)
    assert "420,00 € charges comprises, moins 40,00 € de charges" in recap
    assert "Loyer hors charges : 380,00 €" in recap
    assert "est transmise" in chat.say("oui")


def test_a_rent_with_charges_alone_is_asked_again_never_declared(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    before = rents(app)
    asked = chat.say("couture 420 cc")
    assert "charges comprises" in asked
    assert "Récapitulatif" not in asked
    assert "montant du loyer hors charges" in asked
    # the tenant's known charges (52 €) offered as a button, the subtraction on it
    recap = chat.press("368,00 € (420,00 € moins 52,00 € de charges)")
    assert "Loyer hors charges : 368,00 €" in recap
    assert rents(app) == before


def test_charges_given_after_a_rent_with_charges_complete_it(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("couture 420 cc")
    recap = chat.say("45 de charges")
    assert "moins 45,00 € de charges, soit un loyer hors charges de 375,00 €" in recap
    assert "Loyer hors charges : 375,00 €" in recap


@pytest.mark.parametrize(
    "said", ["charges 45 €", "charges de 45 comprises", "45e de charges incluses"]
)
def test_charges_alone_are_not_a_rent(app: App, said: str) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("je declare le loyer de couture")
    answer = chat.say(said)
    assert "ce sont les charges" in answer
    assert "Récapitulatif" not in answer


def test_a_correction_with_charges_at_the_recap_is_taken_off_too(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer brisson 330")
    recap = chat.say("non c 380 cc dont 45 de charges")
    assert "Loyer hors charges : 335,00 €" in recap
