"""Intent classifier: TF-IDF over words and character n-grams, multinomial logistic regression.

Character n-grams carry the robustness to typos and missing accents; word n-grams carry meaning.
scikit-learn fits the model, but prediction reads the learned weights directly: building a sparse
matrix through the vectoriser costs more than the whole prediction for one short message.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from dialogs.nlu.normalise import tokens

CHAR_SIZES = (2, 3, 4, 5)
REGULARISATION_C = 20.0


def features(text: str) -> list[str]:
    """Feature names of an already normalised text: words, word pairs, n-grams inside words."""
    words = tokens(text)
    out = [f"w:{w}" for w in words]
    out += [f"b:{a}_{b}" for a, b in itertools.pairwise(words)]
    for word in words:
        padded = f" {word} "
        for size in CHAR_SIZES:
            out += [f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1)]
    return out


@dataclass
class IntentClassifier:
    """Learned weights, small enough to pickle and fast to apply to one message."""

    labels: list[str]
    vocabulary: dict[str, int]
    idf: NDArray[np.float64]
    weights: NDArray[np.float64]  # (n_features, n_labels), column-major reads for one message
    bias: NDArray[np.float64]

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str]) -> IntentClassifier:
        vectoriser = TfidfVectorizer(analyzer=features, sublinear_tf=True, lowercase=False)
        matrix = vectoriser.fit_transform(texts)
        model = LogisticRegression(C=REGULARISATION_C, max_iter=3000, class_weight="balanced")
        model.fit(matrix, list(labels))
        return cls(
            labels=[str(c) for c in model.classes_],
            vocabulary={str(k): int(v) for k, v in vectoriser.vocabulary_.items()},
            idf=np.asarray(vectoriser.idf_, dtype=np.float64),
            weights=np.ascontiguousarray(model.coef_.T, dtype=np.float64),
            bias=np.asarray(model.intercept_, dtype=np.float64),
        )

    def probabilities(self, text: str) -> NDArray[np.float64]:
        """Softmax over the labels, the same numbers `LogisticRegression.predict_proba` gives."""
        counts = Counter(f for f in features(text) if f in self.vocabulary)
        if counts:
            index = np.fromiter((self.vocabulary[f] for f in counts), dtype=np.intp)
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64)
            values = tf * self.idf[index]
            values /= np.sqrt(values @ values)
            scores = values @ self.weights[index] + self.bias
        else:
            scores = self.bias.copy()
        scores -= scores.max()
        exp = np.exp(scores)
        result: NDArray[np.float64] = exp / exp.sum()
        return result
