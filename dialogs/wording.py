"""Numbers and words as French readers expect them: counted nouns agreed ("1 loyer", "2 loyers"),
thousands apart ("1 987 lignes", "+28 471 %") and elision decided ("d'août"). The nouns are
data (`units.yml`)."""

from __future__ import annotations

import unicodedata
from functools import cache

from services.core.yaml_files import read_yaml

THIN_SPACE = "\u202f"
VOWELS = frozenset("aeiouy")


@cache
def _units() -> dict[str, tuple[str, str]]:
    units: dict[str, list[str]] = read_yaml("dialogs", "units.yml")
    return {name: (forms[0], forms[1]) for name, forms in units.items()}


def number(value: int) -> str:
    """A whole number with its thousands apart: 1 987 (narrow no-break spaces)."""
    return f"{value:,}".replace(",", THIN_SPACE)


def signed(value: int) -> str:
    """A change with its sign: +28 471, −12."""
    return ("+" if value > 0 else "") + number(value)


def elides(word: str) -> bool:
    """Whether "de", "que", "le" before `word` become "d'", "qu'", "l'": a vowel first ("d'août",
    "d'avril", "qu'Anne"). An h is left alone: it is mute or aspirated word by word."""
    first = unicodedata.normalize("NFKD", word.strip()[:1].casefold())[:1]
    return first in VOWELS


def count(value: int, unit: str) -> str:
    """ "1 loyer", "2 loyers": plural from 2 on, as French counts (0 and 1 are singular)."""
    singular, plural = _units()[unit]
    return f"{number(value)} {plural if abs(value) >= 2 else singular}"
