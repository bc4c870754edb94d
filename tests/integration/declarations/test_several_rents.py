"""Several tenants with their rents in one message: the recap holds those rents, each one
transmitted at « valider », never one rent declared and the others silently lost."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from tests.integration.chat import Chat, rents


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
