"""Which habilitation group a typed answer names: « privés 14 », « logements prives du calvados »,
« conventionnes calvados », with a typo or without accents.

A département said by its name stands for its number, as the groups' labels carry it; every other
word must be a word of the label, a typo away at most (rapidfuzz), and the answer names a group
only when exactly one group has every word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

from rapidfuzz import fuzz

from dialogs.forms.lexicon import lexicon, words
from dialogs.nlu.normalise import fold
from services.core.yaml_files import read_yaml

G = TypeVar("G")
CLOSE = 85
FUZZY_FROM = 5


@cache
def _departements() -> tuple[tuple[tuple[str, ...], str], ...]:
    """(the words of a département's name, its number), longest names first."""
    table: dict[str, str] = read_yaml("dialogs", "departements.yml")
    named = [(tuple(words(name.replace("-", " "))), str(code)) for code, name in table.items()]
    return tuple(sorted(named, key=lambda item: -len(item[0])))


def _with_numbers(said: list[str]) -> list[str]:
    """The words, a département's name replaced by its number (« seine maritime » → 76)."""
    out: list[str] = []
    position = 0
    while position < len(said):
        for name, code in _departements():
            if tuple(said[position : position + len(name)]) == name:
                out.append(code.lower())
                position += len(name)
                break
        else:
            out.append(said[position])
            position += 1
    return out


def _fits(word: str, label: list[str]) -> bool:
    if word in label:
        return True
    return len(word) >= FUZZY_FROM and any(fuzz.ratio(word, w) >= CLOSE for w in label)


def group_named(text: str, groups: Iterable[G], label: Callable[[G], str]) -> G | None:
    """The one group whose label has every word of `text` (fillers aside), else None."""
    said = [w for w in words(text) if w.isalnum() and not lexicon().has("group_filler", [w])]
    typed = _with_numbers(said)
    if not typed:
        return None
    labelled = [(g, words(fold(label(g)))) for g in groups]
    matches = [g for g, own in labelled if all(_fits(w, own) for w in typed)]
    return matches[0] if len(matches) == 1 else None
