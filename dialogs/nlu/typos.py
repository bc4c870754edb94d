"""Typo correction before intent classification: an unknown word becomes the training word it
is one or two edits away from.

Character n-grams already soften typos, but a long message with a typo in every long word loses
most of its evidence: "declaraton" shares few 4- and 5-grams with "declaration". Looking the
word up among the words the classifier was trained on (rapidfuzz, optimal string alignment)
gives it back its full weight. A real French word is never corrected (spaCy's vocabulary, kept
in the model as a plain set): "ajout" is not a typo of "aout", nor "recontacte" of
"reconnecte". Only the classifier's input is corrected: the domain-vocabulary check and the
entity extractors read the message as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from dialogs.nlu.normalise import tokens


def among(word: str, known: Collection[str]) -> bool:
    """`word` is one of `known`, or a typo away from one from 4 letters (two from 8 letters):
    « conpte » is « compte », « identifian » is « identifiant »."""
    if word in known:
        return True
    if len(word) < 4:
        return False
    allowed = 2 if len(word) >= 8 else 1
    return process.extractOne(word, known, scorer=OSA.distance, score_cutoff=allowed) is not None


# Shorter words have too many neighbours one edit away ("loue", "loge", "lune") to guess.
# A candidate starts with the same letter: typos rarely hit the first one, while prefixes change
# the meaning ("deconnecter" is two edits from "reconnecter" and from "connecter").
MIN_LENGTH = 5
LONG_WORD = 8
CACHE_SIZE = 4096
_WORD = re.compile(r"[a-z]+")


@dataclass
class TypoCorrector:
    """`words`: the training words, most frequent first (a tie goes to the commoner word)."""

    words: tuple[str, ...] = ()
    lexicon: frozenset[str] = frozenset()
    _known: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _seen: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _by_initial: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._known = frozenset(self.words)
        self._seen = {}
        self._by_initial = {}
        for word in self.words:
            self._by_initial.setdefault(word[0], []).append(word)

    @classmethod
    def from_texts(
        cls, texts: Iterable[str], lexicon: frozenset[str] = frozenset()
    ) -> TypoCorrector:
        """`lexicon`: real French words, never taken for typos ("ajout" is not "aout")."""
        counts = Counter(w for text in texts for w in tokens(text) if _WORD.fullmatch(w))
        return cls(tuple(w for w, _ in counts.most_common()), lexicon)

    def __getstate__(self) -> dict[str, Any]:
        return {"words": self.words, "lexicon": self.lexicon}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.words = state["words"]
        self.lexicon = state["lexicon"]
        self.__post_init__()

    def correct(self, prepared: str) -> str:
        """The text with each unknown word of at least `MIN_LENGTH` letters replaced by its
        nearest training word, when one is close enough."""
        if not self.words:
            return prepared
        words = prepared.split(" ")
        return " ".join(self._word(w) for w in words)

    def _word(self, word: str) -> str:
        if word in self._known or word in self.lexicon:
            return word
        if len(word) < MIN_LENGTH or not _WORD.fullmatch(word):
            return word
        nearest = self._seen.get(word)
        if nearest is None:
            allowed = 2 if len(word) >= LONG_WORD else 1
            candidates = self._by_initial.get(word[0], [])
            found = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=allowed)
            nearest = word if found is None else str(found[0])
            if len(self._seen) >= CACHE_SIZE:
                self._seen.clear()
            self._seen[word] = nearest
        return nearest
