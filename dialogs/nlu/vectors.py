"""A compact table of French word vectors, read at run time with numpy only.

The vectors come from spaCy's `fr_core_news_md` at training time (see `dialogs.nlu.training`):
only the most frequent words of that model are kept, folded like our text (no accents, lower
case) and projected on fewer dimensions, so that the saved model stays small and loads in
milliseconds without spaCy. A word missing from the table falls back to the same word without
its plural mark, then to nothing (the character n-grams of the classifier still see it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass
class WordVectors:
    """`index[word]` is a row of `table`; `weights[row]` how much that word counts in a mean."""

    index: dict[str, int]
    table: NDArray[np.float16]
    weights: NDArray[np.float32]

    @property
    def dimensions(self) -> int:
        return int(self.table.shape[1])

    def row(self, word: str) -> int | None:
        found = self.index.get(word)
        if found is None and len(word) > 3 and word[-1] in "sx":
            found = self.index.get(word[:-1])
        return found

    def sentence(self, words: Sequence[str]) -> NDArray[np.float64] | None:
        """Weighted mean of the known words' vectors, L2-normalised; None if no word is known."""
        rows = [r for w in words if (r := self.row(w)) is not None]
        if not rows:
            return None
        index = np.asarray(rows, dtype=np.intp)
        mean = self.weights[index].astype(np.float64) @ self.table[index].astype(np.float64)
        norm = float(np.sqrt(mean @ mean))
        if norm == 0.0:
            return None
        result: NDArray[np.float64] = mean / norm
        return result
