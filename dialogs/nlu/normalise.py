"""Text folding shared by the classifier and the entity extractors.

Landlords type on phones: no accents, random capitals, SMS shortcuts. Folding removes those
differences so that "Déménagé", "demenage" and "DEMENAGE" look the same to every component.
`fold` keeps one output character per input character so that entity offsets found in the folded
text are valid offsets in the original message.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)?|[^\sa-z0-9]")
_SPLIT_ELISION = re.compile(r"\b([cdjlmnst]|qu)'")


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lowered = char.lower()
    if len(lowered) != 1:  # e.g. "İ" lowers to two code points; keep offsets aligned
        lowered = char
    base = unicodedata.normalize("NFD", lowered)[0]
    if base in "œæ":
        return "o" if base == "œ" else "a"
    if base in "\u00a0\u202f\t\r\n":
        return " "
    return base


@functools.lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Lower-case and strip accents, one character for one character (offsets are preserved).

    Cached: one parse folds the same message and the same tenant names in several extractors.
    """
    return "".join(_fold_char(c) for c in text.translate(_APOSTROPHES))


def tokens(text: str) -> list[str]:
    """Split folded text into words, separating French elisions ("l'apl" -> "l'", "apl")."""
    spaced = _SPLIT_ELISION.sub(r"\1' ", text)
    return [t for t in _WORD.findall(spaced) if t.strip()]


def expand(text: str, expansions: Mapping[str, str]) -> str:
    """Fold the text and replace SMS shortcuts, word by word, by their full form."""
    words = tokens(fold(text))
    out: list[str] = []
    for word in words:
        out.append(expansions.get(word, word))
    return " ".join(out)
