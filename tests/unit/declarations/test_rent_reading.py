"""Reading one message against a whole form: answers, fills, corrections and the recap's choice.

Pure: the message's entities come from the project's rule extractors; no database, no model.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

import pytest
import yaml

from dialogs.actions.declarations.rent import RENT
from dialogs.forms.lexicon import lexicon
from dialogs.forms.message import split
from dialogs.forms.reading import Context, Reading, read
from dialogs.forms.values import SAME, UNKNOWN
from dialogs.nlu.entities import extract
from dialogs.nlu.tenants import TenantCandidate

TODAY = date(2026, 11, 23)
TENANTS = [
    TenantCandidate(id=1, first_name="Isabelle", last_name="BRISSON"),
    TenantCandidate(id=2, first_name="Anthony", last_name="COUTURE"),
    TenantCandidate(id=3, first_name="Luc", last_name="LEBRUN"),
]
LABELS = {
    "rent_still_manager": "Toujours gestionnaire du logement",
    "rent_still_living": "Locataire toujours dans le logement",
    "rent_flatshare": "Colocation",
    "rent_amount": "Loyer hors charges",
    "rent_unpaid": "Impayé à signaler",
}
DECLARED = {
    "rent_tenant": 1,
    "rent_still_manager": True,
    "rent_still_living": True,
    "rent_flatshare": False,
    "rent_amount": 38000,
    "rent_unpaid": False,
    "rent_last_amount": 33000,
}


def reading(
    text: str, requested: str | None, answers: dict[str, Any], opening: bool = False
) -> Reading:
    context = Context(today=TODAY, lexicon=lexicon(), slot_labels=LABELS, opening=opening)
    entities = extract(text, today=TODAY, tenants=TENANTS)
    return read(RENT, answers, requested, split(text, entities), context)


def taken(result: Reading) -> dict[str, tuple[Any, str]]:
    return {t.slot: (t.value, t.how) for t in result.taken}


@pytest.mark.parametrize(
    ("text", "tenant", "amount"),
    [
        ("loyer brisson 330", 1, 33000),
        ("brisson 330 €", 1, 33000),
        ("loyer de juillet couture 412,50", 2, 41250),
        ("même loyer que l'an dernier pour couture", 2, SAME),
        ("loyer inchangé pour lebrun", 3, SAME),
    ],
)
def test_the_opening_message_gives_the_tenant_and_the_amount(
    text: str, tenant: int, amount: Any
) -> None:
    result = taken(reading(text, None, {}, opening=True))
    assert result["rent_tenant"] == ({"id": tenant}, "fill")
    assert result["rent_amount"][0] == amount


def test_one_message_answers_four_questions() -> None:
    text = "oui elle est tjrs la, pas de coloc, 450e et pas d'impayé"
    result = taken(reading(text, "rent_amount", {"rent_tenant": 1}))
    assert result == {
        "rent_still_living": (True, "fill"),
        "rent_flatshare": (False, "fill"),
        "rent_amount": (45000, "answer"),
        "rent_unpaid": (False, "fill"),
    }


def test_a_negation_without_commas_stays_with_its_own_fact() -> None:
    text = "elle est tjrs la pas de coloc 352e"
    result = taken(reading(text, "rent_amount", {"rent_tenant": 1}))
    assert result == {
        "rent_still_living": (True, "fill"),
        "rent_flatshare": (False, "fill"),
        "rent_amount": (35200, "answer"),
    }


@pytest.mark.parametrize(
    "text",
    ["ah non attends le loyer c 385 pas 380", "non c'est 385", "le loyer c 385 pas 380", "385 €"],
)
def test_a_correction_is_never_the_answer_to_the_pending_question(text: str) -> None:
    answers = {**DECLARED, "rent_unpaid": None}
    result = taken(reading(text, "rent_unpaid", answers))
    assert result == {"rent_amount": (38500, "correction")}


def test_the_wrong_tenant_is_corrected() -> None:
    result = taken(
        reading("je me suis trompé de locataire, c'est lebrun", "rent_amount", {"rent_tenant": 1})
    )
    assert result == {"rent_tenant": ({"id": 3}, "correction")}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("pareil", SAME),
        ("le même", SAME),
        ("inchangé", SAME),
        ("comme l'an dernier", SAME),
        ("330", 33000),
        ("330,50", 33050),
        ("trois cent trente euros", 33000),
    ],
)
def test_the_amount_question_reads_answers_in_context(text: str, value: Any) -> None:
    assert taken(reading(text, "rent_amount", {"rent_tenant": 1})) == {
        "rent_amount": (value, "answer")
    }


def test_a_bare_number_is_not_taken_where_no_number_is_expected() -> None:
    assert taken(reading("330", "rent_unpaid", {"rent_tenant": 1})) == {}


@pytest.mark.parametrize(
    "text",
    [
        "oui",
        "ok",
        "ok c bon",
        "c'est bon",
        "valide",
        "valider",
        "go",
        "👍",
        "oui valider merci",
        "Validez s'il vous plaît",
        "yes",
        "c'est tout bon",
    ],
)
def test_a_plain_yes_at_the_recap_validates(text: str) -> None:
    assert reading(text, "rent_confirm", DECLARED).recap == "valider"


NEGATIONS = [
    "je ne veux pas valider",
    "ne validez pas",
    "ne transmettez pas",
    "invalide",
    "non",
    "pas encore",
    "n'envoyez rien",
    "surtout pas",
    "non merci",
    "je veux pas",
    "ok mais pas maintenant",
    "oui mais non",
    "no",
]


@pytest.mark.parametrize("text", NEGATIONS)
def test_a_negation_never_validates(text: str) -> None:
    assert reading(text, "rent_confirm", DECLARED).recap != "valider"


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("je veux modifier avant de valider", "modifier"),
        ("pas encore, je veux vérifier avant d'envoyer", "modifier"),
        ("je veux quitter sans valider", "quitter"),
        ("abandonner", "quitter"),
    ],
)
def test_the_recap_choice_is_read_as_a_whole(text: str, choice: str) -> None:
    assert reading(text, "rent_confirm", DECLARED).recap == choice


def test_modifier_names_the_answer_to_change_or_changes_it_directly() -> None:
    named = reading("modifier la coloc", "rent_confirm", DECLARED)
    assert (named.recap, named.edit) == ("modifier", "rent_flatshare")
    direct = reading("modifier le loyer c 440", "rent_confirm", DECLARED)
    assert taken(direct) == {"rent_amount": (44000, "correction")}


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("toujours gestionnaire", "rent_still_manager"),
        ("toujours présent", "rent_still_living"),
        ("le montant", "rent_amount"),
        ("impayé", "rent_unpaid"),
    ],
)
def test_modifier_reaches_every_answer(text: str, slot: str) -> None:
    assert reading(text, "rent_edit", {**DECLARED, "rent_confirm": "modifier"}).edit == slot


def test_typed_payload_text_is_not_a_button() -> None:
    result = reading('/choose{"option":"valider"}', "rent_confirm", DECLARED)
    assert result.recap is None


def test_unknown_is_read_for_optional_questions_only() -> None:
    assert UNKNOWN not in [
        t.value for t in reading("je sais pas", "rent_amount", {"rent_tenant": 1}).taken
    ]


@pytest.mark.parametrize(
    "text", ["non c'est 360", "non pas ça, 360", "non, 360 €", "en fait 360", "pardon 360"]
)
def test_a_corrected_amount_at_the_recap_is_a_correction_wherever_the_no_is(text: str) -> None:
    result = reading(text, "rent_confirm", DECLARED)
    assert taken(result) == {"rent_amount": (36000, "correction")}
    assert result.recap is None


def test_every_word_list_holds_words_not_yaml_booleans() -> None:
    """ "yes", "no", "on" unquoted are booleans to YAML: the word would silently never match."""
    for name in ("forms/lexicon.yml", "vocabulary.yml"):
        data = yaml.safe_load(resources.files("dialogs").joinpath(name).read_text("utf-8"))
        stack: list[Any] = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
            else:
                assert isinstance(node, (str, int)) and not isinstance(node, bool), (name, node)


@pytest.mark.parametrize(
    ("text", "slot", "close"),
    [
        ("locatair toujours la", "rent_still_living", []),
        ("le locataire", "rent_tenant", []),
        ("toujours", None, ["rent_still_manager", "rent_still_living"]),
    ],
)
def test_modifier_tells_close_answers_apart_by_their_labels_or_asks(
    text: str, slot: str | None, close: list[str]
) -> None:
    result = reading(text, "rent_edit", {**DECLARED, "rent_confirm": "modifier"})
    assert (result.edit, result.close_options) == (slot, close)
