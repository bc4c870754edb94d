"""Training time only: the compact vector table taken from spaCy's `fr_core_news_md`.

Reading the spaCy model costs seconds (10 MB of strings, 500 000 keys), so the compact table is
built once per machine and cached (`$XDG_CACHE_HOME/bailleur-bot/`); cross-validation folds reuse
it from memory. The table does not depend on our training data: it holds the words spaCy's model
ranks most frequent, so an unseen word of a message still has its vector at run time. Without
spaCy installed the model is trained without vectors (character n-grams only) and says so.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from pathlib import Path

import numpy as np

from dialogs.nlu.normalise import fold
from dialogs.nlu.vectors import WordVectors

logger = logging.getLogger(__name__)

SPACY_MODEL = "fr_core_news_md"
KEPT_WORDS = 80_000
# The lexicon saved in the model: enough to know common words, small enough to load fast.
LEXICON_WORDS = 40_000
DIMENSIONS = 150
_CACHE_VERSION = 1
# Only the vocabulary is read: every pipeline component is left out.
_PIPES = ["tok2vec", "morphologizer", "parser", "senter", "ner", "attribute_ruler", "lemmatizer"]
_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ]+(?:'[a-z]+)?")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bailleur-bot"


def _build() -> tuple[list[str], np.ndarray, str] | None:
    try:
        import spacy
    except ImportError:
        return None
    try:
        nlp = spacy.load(SPACY_MODEL, exclude=_PIPES)
    except OSError:
        return None
    vectors = nlp.vocab.vectors
    strings = nlp.vocab.strings
    words: list[str] = []
    rows: list[int] = []
    seen: set[str] = set()
    for key, row in vectors.key2row.items():  # most frequent first
        text = strings[key] if key in strings else ""  # noqa: SIM401 - StringStore has no get
        if not _WORD.fullmatch(text):
            continue
        folded = fold(text)
        if folded in seen:
            continue
        seen.add(folded)
        words.append(folded)
        rows.append(int(row))
        if len(words) >= KEPT_WORDS:
            break
    data = np.asarray(vectors.data, dtype=np.float32)
    used = sorted(set(rows))
    # Principal directions of the rows we keep: fewer dimensions, same neighbourhoods.
    centred = data[used] - data[used].mean(axis=0)
    _, _, basis = np.linalg.svd(centred, full_matrices=False)
    projected = data @ basis[:DIMENSIONS].T
    table = projected[rows]
    table /= np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-6)
    version = f"{SPACY_MODEL}-{nlp.meta.get('version', '?')}"
    return words, table.astype(np.float16), version


@functools.cache
def load_table() -> tuple[tuple[str, ...], np.ndarray] | None:
    """(words, vectors) of the compact table, from the cache or built from spaCy's model."""
    path = cache_dir() / f"{SPACY_MODEL}-compact-v{_CACHE_VERSION}-{KEPT_WORDS}-{DIMENSIONS}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as saved:
            return tuple(str(w) for w in saved["words"]), saved["table"]
    built = _build()
    if built is None:
        logger.warning("%s is not installed: training without word vectors", SPACY_MODEL)
        return None
    words, table, _ = built
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp.npz")
    np.savez(temporary, words=np.asarray(words), table=table)
    temporary.replace(path)
    return tuple(words), table


def word_vectors(idf: dict[str, float], default_weight: float) -> WordVectors | None:
    """The compact table with per-word weights (the training data's idf, rarer words count more)."""
    loaded = load_table()
    if loaded is None:
        return None
    words, table = loaded
    weights = np.asarray([idf.get(w, default_weight) for w in words], dtype=np.float32)
    return WordVectors({w: i for i, w in enumerate(words)}, table, weights)


def french_lexicon() -> frozenset[str]:
    """The most frequent words of spaCy's French vocabulary, folded: real words, not typos.

    Empty without spaCy's model (then every unknown word may be corrected).
    """
    loaded = load_table()
    if loaded is None:
        return frozenset()
    words, _ = loaded
    return frozenset(words[:LEXICON_WORDS])
