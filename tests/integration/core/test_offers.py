"""Typing the words of a button offered in the previous turn presses it, outside a form."""

from __future__ import annotations

import pytest

from bot.bootstrap import App
from tests.integration.chat import Chat


@pytest.mark.parametrize(("typed", "expected"), [("grafique", "png"), ("releve pdf", "pdf")])
def test_the_words_of_an_offered_button_press_it(app: App, typed: str, expected: str) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("mes paiements")
    assert chat.last is not None
    labels = [c.label for m in chat.last.messages for c in m.choices]
    assert "Graphique des 12 derniers mois" in labels
    chat.say(typed)
    assert chat.last is not None
    documents = [m.document for m in chat.last.messages if m.document is not None]
    assert [d.filename.rsplit(".", 1)[-1] for d in documents] == [expected]


def test_a_word_of_the_tenant_cards_buttons_keeps_the_tenant(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    assert "Fiche locataire : BRISSON Isabelle" in chat.say("infos brisson")
    answer = chat.say("changement")
    assert "Locataire : BRISSON Isabelle" in answer
    assert "Quel changement voulez-vous déclarer ?" in answer


def test_words_that_name_no_single_button_are_read_as_usual(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("mes paiements")
    assert "Relevé" not in chat.say("releve")  # PDF or CSV: no single button
