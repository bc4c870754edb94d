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


def test_a_month_typed_after_the_payments_asks_that_month_not_the_chart(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("mes paiements")
    # « derniers mois » is in the chart's label, but « le mois dernier » names a month
    answer = chat.say("et le mois dernier")
    assert "Paiements de la Caf d'octobre 2026" in answer
    assert chat.last is not None
    assert not [m.document for m in chat.last.messages if m.document is not None]
    assert "Paiements de la Caf de mai 2026" in chat.say("et en mai ?")


def test_the_next_page_typed_in_words_turns_the_tenant_list(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    assert "page 1/2" in chat.say("jveux voir mes locataires")
    assert "page 2/2" in chat.say("page suivante")
    assert "page 1/2" in chat.say("page precedente")


@pytest.mark.parametrize("yes", ["oui", "ok", "d'accord", "ok merci"])
def test_a_yes_to_several_buttons_asks_which_one_with_the_same_buttons(app: App, yes: str) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("c koi le loyer hors charges")
    assert chat.last is not None
    offered = [c.label for m in chat.last.messages for c in m.choices]
    assert len(offered) >= 2
    answer = chat.say(yes)
    assert "lequel souhaitez-vous" in answer
    assert [c.label for m in chat.last.messages for c in m.choices] == offered
    # and the conversation goes on: one of them pressed, or typed again
    assert "Pour quel locataire" in chat.press("Déclarer un loyer")


def test_after_asking_which_one_the_earlier_buttons_still_work(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("c koi le loyer hors charges")
    earlier = chat.last
    chat.say("oui")
    chat.last = earlier  # the user presses the button of the earlier message
    assert "Pour quel locataire" in chat.press("Déclarer un loyer")
