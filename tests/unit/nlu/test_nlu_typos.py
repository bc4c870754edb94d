"""Typo correction and vector synonyms read unseen words as the words the classifier knows."""

from __future__ import annotations

import pickle

from dialogs.nlu import NluModel
from dialogs.nlu.typos import TypoCorrector


def corrector() -> TypoCorrector:
    return TypoCorrector.from_texts(
        ["declarer le loyer", "signaler un impaye", "declaration du loyer"],
        synonyms=lambda words: {"absolument": "oui"} if "loyer" in words else {},
    )


def test_a_word_one_or_two_edits_away_becomes_the_training_word() -> None:
    assert corrector().correct("declaraton du loyr") == "declaration du loyr"
    assert corrector().correct("signalre un impaye") == "signaler un impaye"


def test_known_short_and_far_words_are_kept() -> None:
    assert corrector().correct("declarer le loyer") == "declarer le loyer"
    assert corrector().correct("loye") == "loye"  # too short to guess
    assert corrector().correct("meteorologie") == "meteorologie"


def test_an_unseen_word_with_a_close_meaning_is_read_as_its_synonym() -> None:
    assert corrector().correct("absolument") == "oui"


def test_survives_pickling() -> None:
    copy = pickle.loads(pickle.dumps(corrector()))
    assert copy.correct("declaraton absolument") == "declaration oui"


def test_the_trained_model_reads_typos_of_long_words(nlu: NluModel) -> None:
    parsed = nlu.parse("je voudrias declareer le loyre de mes locatiares")
    assert parsed["intent"]["name"] == "declare_rent"


def test_a_prefix_that_changes_the_meaning_is_not_a_typo() -> None:
    corrector = TypoCorrector.from_texts(["je veux me reconnecter", "me connecter"])
    assert corrector.correct("me deconnecter") == "me deconnecter"
