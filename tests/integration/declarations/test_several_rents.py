"""Several tenants with their rents in one message: the recap holds those rents, each one
transmitted at « valider », never one rent declared and the others silently lost."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from tests.integration.chat import MARTIN, Chat, rents


@pytest.mark.parametrize(
    "typed", ["brisson 330 et couture 390", "loyer brisson 330 €, couture 390 €"]
)
def test_two_rents_in_one_message_are_both_in_the_recap_and_both_sent(app: App, typed: str) -> None:
    chat = Chat(app)
    chat.log_in()
    before = rents(app)
    recap = chat.say(typed)
    assert "2 loyers, 720,00 € au total" in recap
    assert "BRISSON Isabelle (n° 171842) : 330,00 €" in recap
    assert "COUTURE Anthony (n° 580592) : 390,00 €" in recap
    assert "MILOME" not in recap and "Non transmis cette fois" not in recap
    assert "2 loyers de juillet" in chat.say("valider")
    assert rents(app) == before + 2


def test_a_rent_added_at_the_recap_of_several_joins_them(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("brisson 330 et couture 390")
    assert "3 loyers, 1 180,00 € au total" in chat.say("murot 460")


@pytest.mark.parametrize("typed", ["loyer brisson 345 et petit 410", "petit 410, brisson 345"])
def test_a_name_that_is_no_tenant_of_the_user_never_gives_its_rent_to_another(
    app: App, typed: str
) -> None:
    chat = Chat(app)
    chat.log_in(MARTIN)  # Brisson is another organisation's tenant
    recap = chat.say(typed)
    assert "Je ne trouve pas « brisson »" in recap
    assert "1 loyer, 410,00 € au total" in recap
    assert "PETIT Lucie (n° 4410263) : 410,00 €" in recap
    assert "345,00" not in recap and "LEBRUN" not in recap


@pytest.mark.parametrize("typed", ["loyer petit 480, 12 rue des lilas", "petit 480, au 12 rue"])
def test_a_number_of_an_address_beside_a_rent_is_no_second_rent(app: App, typed: str) -> None:
    chat = Chat(app)
    chat.log_in(MARTIN)
    recap = chat.say(typed)
    assert "Récapitulatif de votre déclaration du loyer de juillet 2026" in recap
    assert "Loyer hors charges : 480,00 €" in recap
