"""A question about the rules is answered wherever it is asked, its next step offered, and a
form in progress asks its question again."""

from __future__ import annotations

from bot.bootstrap import App
from tests.integration.chat import Chat


def test_a_question_about_the_rules_is_answered_with_the_task_offered(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    answer = chat.say("j'ai combien de temps pour declarer un depart")
    assert "dans le mois qui suit le déménagement" in answer
    assert "Pour quel locataire" not in answer  # no form started
    assert "Pour quel locataire" in chat.say("oui")  # the one button offered: the change


def test_a_question_about_the_rules_mid_form_is_answered_then_the_form_goes_on(
    app: App,
) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer brisson")
    answer = chat.say("c koi le loyer hors charges")
    assert "le loyer principal seul, sans les charges" in answer
    assert "Je ne trouve pas" not in answer
    assert answer.rstrip().endswith("(Sans les charges : la Caf les compte à part.)")
    assert "Récapitulatif" in chat.say("330")
