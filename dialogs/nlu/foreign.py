"""Training time only: the words that say a message is about something we do not do.

The out-of-scope examples name other accounts, benefits and organisations ("compte bancaire",
"ameli", "mutuelle"). Each such word is rare, so a message naming an organisation the training
data never mentioned ("mon compte cpam") used to be read by its in-domain words ("connexion à
mon compte") as the login. Word vectors generalise the list: a word of spaCy's French vocabulary
whose nearest training word (cosine) is a word seen only in out-of-scope examples, closer than
`MIN_SIMILARITY` and closer than any in-domain word by `MARGIN`, is foreign too; the 1 000 most
frequent words never are ("avant", "fille": measured, 2 more right in cross-validation). The
result is a plain set saved in the model: parsing needs no vectors.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from dialogs.nlu.word_vectors_source import load_table

MIN_SIMILARITY = 0.6
MARGIN = 0.05
# The most frequent words of the vocabulary say nothing of a topic ("avant", "remplir").
COMMON_WORDS = 1000
_CHUNK = 8192


def foreign_words(
    domain: Iterable[str],
    outside: Iterable[str],
    *,
    min_similarity: float = MIN_SIMILARITY,
    margin: float = MARGIN,
    common_words: int = COMMON_WORDS,
) -> frozenset[str]:
    """`outside` (words of out-of-scope examples only) and their nearest vocabulary words."""
    domain_set = frozenset(domain)
    own = frozenset(w for w in outside if w not in domain_set)
    loaded = load_table()
    if loaded is None or not own:
        return own
    words, table = loaded
    index = {w: i for i, w in enumerate(words)}
    inside_rows = [index[w] for w in sorted(domain_set) if w in index]
    outside_rows = [index[w] for w in sorted(own) if w in index]
    if not inside_rows or not outside_rows:
        return own
    inside = table[inside_rows].astype(np.float32)
    foreign = table[outside_rows].astype(np.float32)
    found = set(own)
    for start in range(0, len(words), _CHUNK):
        block = table[start : start + _CHUNK].astype(np.float32)
        best_out = (block @ foreign.T).max(axis=1)
        best_in = (block @ inside.T).max(axis=1)
        chosen = (best_out >= min_similarity) & (best_out >= best_in + margin)
        found.update(words[start + i] for i in np.flatnonzero(chosen))
    common = frozenset(words[:common_words])
    return frozenset(w for w in found if w not in domain_set and w not in common)
