"""How far each evaluated message is from the training data, so evaluations compare fairly.

Cross-validation and the held-out sets do not test the same thing: the training data holds
the rare phrasings on purpose, each once, so a cross-validation fold is made of messages further
from the rest of the data than a held-out message is from all of it. The similarity of a
message to its nearest training example (cosine of character 2- to 4-gram TF-IDF) measures
this; accuracy per similarity band, and the cross-validation reweighted to a held-out set's
bands, tell whether the two disagree because of the model or because of the distance.
Training-time module: it imports scikit-learn.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from dialogs.nlu.normalise import fold

# Lower edges of the similarity bands.
BANDS = (0.0, 0.5, 0.7, 0.9)


def nearest_similarity(train: Sequence[str], test: Sequence[str]) -> NDArray[np.float64]:
    """For each test text, the cosine similarity of its nearest training text."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    known = vectoriser.fit_transform([fold(t) for t in train])
    asked = vectoriser.transform([fold(t) for t in test])
    nearest = (asked @ known.T).max(axis=1).toarray().ravel()
    return np.asarray(nearest, dtype=np.float64)


def band_of(similarities: NDArray[np.float64]) -> NDArray[np.intp]:
    return np.searchsorted(np.asarray(BANDS), similarities, side="right") - 1


def band_labels() -> list[str]:
    edges = [*BANDS, 1.0]
    return [f"{low:.1f}-{high:.1f}" for low, high in itertools.pairwise(edges)]


def by_band(
    similarities: NDArray[np.float64], correct: NDArray[np.bool_]
) -> list[tuple[int, float | None]]:
    """(examples, accuracy) in each band, accuracy None when the band is empty."""
    bands = band_of(similarities)
    rows: list[tuple[int, float | None]] = []
    for band in range(len(BANDS)):
        inside = bands == band
        count = int(inside.sum())
        rows.append((count, float(correct[inside].mean()) if count else None))
    return rows


def reweighted_accuracy(
    similarities: NDArray[np.float64],
    correct: NDArray[np.bool_],
    target_similarities: NDArray[np.float64],
) -> float:
    """Accuracy of the first evaluation if its messages were as far from the training data as
    the target's: each band's accuracy weighted by the target's share of that band."""
    ours = by_band(similarities, correct)
    target = band_of(target_similarities)
    total = 0.0
    weight = 0.0
    for band, (_, accuracy) in enumerate(ours):
        share = float((target == band).mean())
        if accuracy is not None:
            total += share * accuracy
            weight += share
    return total / weight if weight else float("nan")
