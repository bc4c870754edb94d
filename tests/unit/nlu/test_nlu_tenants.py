from __future__ import annotations

import pytest

from dialogs.nlu import NluModel, TenantCandidate, match_tenants
from dialogs.nlu.tenants import DEMO_TENANTS

WITH_HOMONYM = (
    *DEMO_TENANTS,
    TenantCandidate(7, "Jean", "DUPONT"),
    TenantCandidate(8, "Élodie", "LÉGER"),
)


@pytest.mark.parametrize(
    ("text", "tenant_id", "span"),
    [
        ("bjr mme brisson paye plus depuis septembre", 2, "brisson"),
        ("BRISSON ISABELLE", 2, "BRISSON ISABELLE"),
        ("isabelle brisson", 2, "isabelle brisson"),
        ("Isabel Brison", 2, "Isabel Brison"),
        ("mme brison", 2, "brison"),
        ("c'est pour murot", 6, "murot"),
        ("esther", 6, "esther"),
        ("M. Beauvoi", 1, "Beauvoi"),
        ("syndi milome", 5, "syndi milome"),
        ("Maryline Dupont", 4, "Maryline Dupont"),
        ("elodie leger", 8, "elodie leger"),
        ("Élodie Léger", 8, "Élodie Léger"),
        ("couture anthony", 3, "couture anthony"),
        ("anthony couturre", 3, "anthony couturre"),
    ],
)
def test_matches_one_tenant(text: str, tenant_id: int, span: str) -> None:
    found = match_tenants(text, WITH_HOMONYM)
    assert len(found) == 1, found
    assert found[0]["tenant_id"] == tenant_id
    assert "candidates" not in found[0]
    assert text[found[0]["start"] : found[0]["end"]] == span


def test_canonical_value() -> None:
    [found] = match_tenants("isabelle brisson", DEMO_TENANTS)
    assert found["value"] == "BRISSON Isabelle"
    assert found["entity"] == "tenant_name"


def test_shared_surname_gives_candidates() -> None:
    [found] = match_tenants("mme dupont ne paie plus", WITH_HOMONYM)
    assert found["candidates"] == [4, 7]
    assert "tenant_id" not in found


def test_first_name_resolves_shared_surname() -> None:
    [found] = match_tenants("jean dupont", WITH_HOMONYM)
    assert found["tenant_id"] == 7


def test_two_tenants_in_one_message() -> None:
    found = match_tenants("murot et beauvois ont payé", DEMO_TENANTS)
    assert [f["tenant_id"] for f in found] == [6, 1]


@pytest.mark.parametrize(
    "text",
    [
        "mon locataire ne paie plus depuis septembre",
        "la culture",
        "bonjour madame",
        "depuis le mois de mars",
        "isa",
        "le loyer de juillet",
        "",
    ],
)
def test_no_false_match(text: str) -> None:
    assert match_tenants(text, WITH_HOMONYM) == []


def test_no_tenants_no_match() -> None:
    assert match_tenants("brisson", ()) == []


LEXICON_NAMES = (TenantCandidate(1, "Lucie", "PETIT"), TenantCandidate(2, "Claire", "MARIE"))


@pytest.mark.parametrize(
    "text", ["bonjour, petite question", "merci c'est clair", "numero de la mairie"]
)
def test_a_real_word_is_no_typo_of_a_name(text: str) -> None:
    real = frozenset({"petite", "clair", "mairie"})
    assert match_tenants(text, LEXICON_NAMES, real) == []
    assert match_tenants(text, LEXICON_NAMES) != []  # without the lexicon, one typo away


def test_a_name_that_is_a_word_still_names_the_tenant_exactly() -> None:
    found = match_tenants("loyer de petit", LEXICON_NAMES, frozenset({"petit", "petite"}))
    assert [e["tenant_id"] for e in found] == [1]


def test_the_model_reads_french_words_as_words_not_as_tenants(nlu: NluModel) -> None:
    tenants = (TenantCandidate(1, "Lucie", "PETIT"), TenantCandidate(2, "Camille", "LEBRUN"))
    parse = nlu.parse("bonjour, petite question sur la caf", tenants=tenants)
    assert [e for e in parse["entities"] if e["entity"] == "tenant_name"] == []
    named = nlu.parse("loyer petit 490", tenants=tenants)
    assert [e["tenant_id"] for e in named["entities"] if e["entity"] == "tenant_name"] == [1]
