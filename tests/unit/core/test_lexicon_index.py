"""The lexicon's phrase search, indexed by first word, finds exactly what trying every phrase at
every position finds (the definition of a hit: `_close` word by word, a word the lexicon holds
only exactly, longest phrases first, no overlap), on the training sentences and on random sequences of the lexicon's own words, typos
included."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.forms.lexicon import Hit, Lexicon, _close, lexicon, words
from dialogs.nlu import training_data
from dialogs.nlu.paths import nlu_data_dir


def _reference(lex: Lexicon, group: str, message: tuple[str, ...], exact: bool) -> list[Hit]:
    hits: list[Hit] = []
    taken: set[int] = set()
    phrases = sorted((p for p in lex.phrases(group) if p.words), key=lambda p: -len(p.words))
    for phrase in phrases:
        size = len(phrase.words)
        for start in range(len(message) - size + 1):
            span = range(start, start + size)
            if taken.intersection(span):
                continue
            typed = message[start : start + size]
            # a word the lexicon holds is read as itself, never as a typo of another one
            if all(
                _close(t, w, exact or t in lex.known)
                for t, w in zip(typed, phrase.words, strict=True)
            ):
                hits.append(Hit(start, start + size, phrase.negative))
                taken.update(span)
    return sorted(hits, key=lambda h: h.start)


LEX = lexicon()
GROUPS = sorted(LEX.groups)
VOCABULARY = sorted({w for phrases in LEX.groups.values() for p in phrases for w in p.words})


def test_the_index_finds_what_every_phrase_tried_everywhere_finds_in_the_training_data() -> None:
    examples = training_data.load(nlu_data_dir()).examples[::7]
    assert len(examples) > 300
    for example in examples:
        message = tuple(words(example.text))
        for group in GROUPS:
            for exact in (False, True):
                assert LEX.find(group, message, exact) == _reference(LEX, group, message, exact)


def _typo(word: str, at: int) -> str:
    return word if len(word) < 5 else word[: at % len(word)] + word[at % len(word) + 1 :]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(VOCABULARY), st.integers(0, 30), st.booleans()),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(GROUPS),
)
def test_the_index_finds_the_same_hits_in_random_sentences_with_typos(
    drawn: list[tuple[str, int, bool]], group: str
) -> None:
    message = tuple(_typo(w, at) if typo else w for w, at, typo in drawn)
    for exact in (False, True):
        assert LEX.find(group, message, exact) == _reference(LEX, group, message, exact)
