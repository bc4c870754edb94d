"""Training time only: fitting the intent classifier with scikit-learn.

Kept apart from `classifier` so that loading a saved model and parsing never import
scikit-learn or spaCy (a second of start-up for nothing). The fit learns one weight per sparse
feature (TF-IDF of words, word pairs, character n-grams) and, with `use_vectors=True` and
spaCy's French vectors installed, one per dimension of the message's mean word vector. Measured
(README, NLU): the vectors gain a point on the held-out sets but lose 6 to 8 points on messages
with typos, so they are off by default.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from dialogs.nlu.classifier import IntentClassifier, features
from dialogs.nlu.normalise import tokens
from dialogs.nlu.vectors import WordVectors
from dialogs.nlu.word_vectors_source import word_vectors

REGULARISATION_C = 50.0
# How much the dense part weighs against the sparse part (both rows have norm 1).
DENSE_SCALE = 1.0
MIN_DF = 1
# The solver's stopping tolerance. At 1e-3 the fit stopped before converging, so a few added
# examples moved answers far from them (held-out 1 went from 0.981 to 0.962 with 23 unrelated
# examples); at 1e-4 the same data gives the same answers, for about twice the fitting time.
TOLERANCE = 1e-4


def _word_idf(texts: Sequence[str]) -> tuple[dict[str, float], float]:
    documents = [set(tokens(t)) for t in texts]
    counts: dict[str, int] = {}
    for words in documents:
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    total = len(documents)
    idf = {w: float(np.log((1 + total) / (1 + c)) + 1.0) for w, c in counts.items()}
    return idf, float(np.log(1 + total) + 1.0)


def _dense(texts: Sequence[str], vectors: WordVectors, scale: float) -> np.ndarray:
    rows = np.zeros((len(texts), vectors.dimensions), dtype=np.float64)
    for i, text in enumerate(texts):
        mean = vectors.sentence(tokens(text))
        if mean is not None:
            rows[i] = mean * scale
    return rows


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    use_vectors: bool = False,
    regularisation: float = REGULARISATION_C,
    dense_scale: float = DENSE_SCALE,
    min_df: int = MIN_DF,
    tolerance: float = TOLERANCE,
) -> IntentClassifier:
    """Fit the classifier on already normalised texts."""
    vectoriser = TfidfVectorizer(
        analyzer=features, sublinear_tf=True, lowercase=False, min_df=min_df
    )
    sparse = vectoriser.fit_transform(texts)
    vectors = None
    if use_vectors:
        idf, default = _word_idf(texts)
        vectors = word_vectors(idf, default)
    matrix = sparse
    if vectors is not None:
        matrix = hstack([sparse, csr_matrix(_dense(texts, vectors, dense_scale))]).tocsr()
    model = LogisticRegression(
        C=regularisation, max_iter=3000, tol=tolerance, class_weight="balanced"
    )
    # One BLAS thread: on a shared machine several threads fight over the cores and the solver,
    # which makes many tiny matrix products, runs three times slower (measured: 38 s -> 15 s).
    with threadpool_limits(limits=1):
        model.fit(matrix, list(labels))
    coefficients = np.asarray(model.coef_.T, dtype=np.float64)
    n_sparse = sparse.shape[1]
    return IntentClassifier(
        labels=[str(c) for c in model.classes_],
        vocabulary={str(k): int(v) for k, v in vectoriser.vocabulary_.items()},
        idf=np.asarray(vectoriser.idf_, dtype=np.float64),
        weights=np.ascontiguousarray(coefficients[:n_sparse]),
        bias=np.asarray(model.intercept_, dtype=np.float64),
        vectors=vectors,
        dense_weights=None if vectors is None else np.ascontiguousarray(coefficients[n_sparse:]),
        dense_scale=dense_scale,
    )
