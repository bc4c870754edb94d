"""Intent classifier at run time: saved weights applied with numpy, no training library.

The features are TF-IDF weights of words, word pairs and character n-grams (robust to typos and
missing accents), plus, when the model was trained with them, the mean word vector of the message
(meaning beyond the exact words). `dialogs.nlu.training` fits the weights with scikit-learn; this
module only reads them, so starting the bot never imports scikit-learn: building a sparse matrix
through a vectoriser would also cost more than the whole prediction for one short message.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from dialogs.nlu.normalise import tokens
from dialogs.nlu.vectors import WordVectors

CHAR_SIZES = (2, 3, 4, 5)
# Longer "words" (pasted links, keyboard mashing) only cost time: their n-grams are cut here.
MAX_WORD_LENGTH = 30


def features(text: str) -> list[str]:
    """Feature names of an already normalised text: words, word pairs, n-grams inside words."""
    words = [w[:MAX_WORD_LENGTH] for w in tokens(text)]
    out = [f"w:{w}" for w in words]
    out += [f"b:{a}_{b}" for a, b in itertools.pairwise(words)]
    for word in words:
        padded = f" {word} "
        for size in CHAR_SIZES:
            out += [f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1)]
    return out


@dataclass
class IntentClassifier:
    """Learned weights, small enough to pickle and fast to apply to one message.

    `weights` has one row per sparse feature and one column per label; `dense_weights` one row
    per dimension of the word vectors (None when the model uses no vectors).
    """

    labels: list[str]
    vocabulary: dict[str, int]
    idf: NDArray[np.float64]
    weights: NDArray[np.float64]
    bias: NDArray[np.float64]
    vectors: WordVectors | None = None
    dense_weights: NDArray[np.float64] | None = None
    dense_scale: float = 1.0

    def sparse_row(self, text: str) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Indices and L2-normalised TF-IDF values of the features of `text` (sublinear tf)."""
        counts = Counter(f for f in features(text) if f in self.vocabulary)
        if not counts:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float64)
        index = np.fromiter((self.vocabulary[f] for f in counts), dtype=np.intp)
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64)
        values = tf * self.idf[index]
        values /= np.sqrt(values @ values)
        return index, values

    def dense_row(self, text: str) -> NDArray[np.float64] | None:
        if self.vectors is None:
            return None
        mean = self.vectors.sentence(tokens(text))
        return None if mean is None else mean * self.dense_scale

    def scores(self, text: str) -> NDArray[np.float64]:
        """Raw linear scores, one per label."""
        index, values = self.sparse_row(text)
        scores = self.bias.copy()
        if len(index):
            scores += values @ self.weights[index]
        dense = self.dense_row(text)
        if dense is not None and self.dense_weights is not None:
            scores += dense @ self.dense_weights
        return scores

    def probabilities(self, text: str) -> NDArray[np.float64]:
        """Softmax over the labels, the numbers `LogisticRegression.predict_proba` gives."""
        scores = self.scores(text)
        scores -= scores.max()
        exp = np.exp(scores)
        result: NDArray[np.float64] = exp / exp.sum()
        return result
