"""Typo correction reads a mistyped word as the training word it was meant to be."""

from __future__ import annotations

import pickle

from dialogs.nlu import NluModel
from dialogs.nlu.typos import TypoCorrector


def corrector() -> TypoCorrector:
    return TypoCorrector.from_texts(
        ["declarer le loyer", "signaler un impaye", "declaration du loyer"],
        lexicon=frozenset({"declarations", "ajout"}),
    )


def test_a_word_one_or_two_edits_away_becomes_the_training_word() -> None:
    assert corrector().correct("declaraton du loyr") == "declaration du loyr"
    assert corrector().correct("signalre un impaye") == "signaler un impaye"


def test_known_short_and_far_words_are_kept() -> None:
    assert corrector().correct("declarer le loyer") == "declarer le loyer"
    assert corrector().correct("loye") == "loye"  # too short to guess
    assert corrector().correct("meteorologie") == "meteorologie"


def test_a_real_word_is_never_a_typo() -> None:
    assert corrector().correct("declarations du loyr") == "declarations du loyr"


def test_survives_pickling() -> None:
    copy = pickle.loads(pickle.dumps(corrector()))
    assert copy.correct("declaraton declarations") == "declaration declarations"


def test_the_trained_model_reads_typos_of_long_words(nlu: NluModel) -> None:
    parsed = nlu.parse("je voudrias declareer le loyre de mes locatiares")
    assert parsed["intent"]["name"] == "declare_rent"


def test_a_prefix_that_changes_the_meaning_is_not_a_typo() -> None:
    corrector = TypoCorrector.from_texts(["je veux me reconnecter", "me connecter"])
    assert corrector.correct("me deconnecter") == "me deconnecter"
