"""Questions about the rules of a declaration are told apart from the declaration itself, and
each names its topic; every topic has a French answer and a next step the domain knows."""

from __future__ import annotations

import pytest

from dialogs.domain import Domain
from dialogs.rules_questions import faq_file, rules_question, topics


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("j'ai combien de temps pour declarer un depart", "departure"),
        ("quel délai pour signaler le départ d'un locataire", "departure"),
        ("mon locataire est parti il y a 2 mois, c'est trop tard pour le declarer ?", "departure"),
        ("a partir de quand je peux signaler un impaye", "unpaid"),
        ("il me doit 2 mois c'est deja un impayé ?", "unpaid"),
        ("je dois mettre les charges dans le loyer ?", "rent"),
        ("c koi le loyer hors charges", "rent"),
        ("c'est quoi la date limite pour le loyer de juillet", "campaign"),
        ("je me suis trompé dans le loyer transmis, comment on corrige ?", "campaign"),
        ("c quoi une colocation pour la caf ?", "flatshare"),
        ("c'est quoi une fin de gestion", "end_of_management"),
        ("la coloc ça marche comment pour la caf ?", "flatshare"),
        ("delai declaration depart ?", "departure"),
        ("on declare le loyer cc ou hc ?", "rent"),
        ("que dois-je faire si mon locataire part", "departure"),
        ("mon locataire paye plus que faire ?", "unpaid"),
    ],
)
def test_a_question_about_the_rules_names_its_topic(text: str, topic: str) -> None:
    assert rules_question(text, []) == topic


@pytest.mark.parametrize(
    "text",
    [
        "je veux declarer un depart",
        "je dois declarer un depart",
        "est-ce que je peux declarer le loyer ?",
        "loyer brisson 330 hors charges",
        "brisson est partie le 10/11",
        "pourquoi je n'arrive pas a me connecter",
        "couture paye plus depuis septembre",
    ],
)
def test_a_request_is_no_question_about_the_rules(text: str) -> None:
    assert rules_question(text, []) is None


def test_a_question_about_one_tenant_is_about_that_tenant() -> None:
    tenant = {"entity": "tenant_name", "value": "BRISSON Isabelle"}
    assert rules_question("c'est quoi le delai pour le depart de brisson", [tenant]) is None


def test_every_topic_has_an_answer_a_title_and_next_steps_the_domain_knows() -> None:
    intents = set(Domain.load().data["intents"])
    assert faq_file()["faq_rules"]["text"]
    answers = faq_file()["faq"]
    for name, topic in topics().items():
        topic = {**topic, **answers.get(topic.get("answer", ""), {})}
        assert 80 < len(topic["text"]) < 1200, name
        assert topic["title"] and topic["words"], name
        for button in topic["buttons"]:
            assert button["payload"][1:].split("{")[0] in intents, name
