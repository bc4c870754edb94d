"""The words the form loop reads answers with, loaded from `lexicon.yml`.

Why a lexicon and not the intent classifier: inside a form, the pending question tells what kind
of answer to expect, and what matters is which words a clause holds ("pas de coloc", "c bon",
"je sais pas"), exactly and safely (a negation must never be read as a yes). The phrases are
data; this module only folds text into words and finds phrases among them, tolerating one typo
in long words as people type on phones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from dialogs.nlu.normalise import fold, tokens
from services.core.yaml_files import read_yaml

_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufe00-\ufe0f\U0001f3fb-\U0001f3ff]")
TYPO_MIN_LENGTH = 6


def words(text: str) -> list[str]:
    """Folded words of a message, elisions apart ("l'an" -> "l'", "an"); emoji are words."""
    return list(_words(text))


@lru_cache(maxsize=256)
def _words(text: str) -> tuple[str, ...]:
    # One message is read for its words by the command check, the typed values, the agreement
    # and the rules questions of the same turn: folded and split once.
    return tuple(tokens(fold(_INVISIBLE.sub("", text))))


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    negative: bool = False


@dataclass(frozen=True)
class Hit:
    """Where a phrase was found, in word positions [start, end)."""

    start: int
    end: int
    negative: bool


def _close(word: str, wanted: str, exact: bool = False) -> bool:
    if word == wanted:
        return True
    if exact:
        return False
    if len(wanted) < TYPO_MIN_LENGTH or abs(len(word) - len(wanted)) > 1:
        return False
    return OSA.distance(word, wanted, score_cutoff=1) <= 1


def _nested(groups: dict[str, tuple[Phrase, ...]], prefix: str, items: dict[str, object]) -> None:
    for key, value in items.items():
        if isinstance(value, dict):
            _nested(groups, f"{prefix}.{key}", value)
        elif isinstance(value, list):
            groups[f"{prefix}.{key}"] = tuple(_phrase(str(p)) for p in value)


def _phrase(raw: str) -> Phrase:
    negative = raw.startswith("-")
    return Phrase(tuple(words(raw.removeprefix("-"))), negative)


class Lexicon:
    """Groups of phrases by name (agree, refuse, negation, cues.<name>, ...) and the commands
    (an exact message -> intent)."""

    def __init__(
        self, groups: dict[str, tuple[Phrase, ...]], commands: dict[str, str] | None = None
    ) -> None:
        self.groups = groups
        self.commands = commands or {}
        # A word the lexicon holds is read as itself, never as a typo of another one
        # (« partir » of « à partir de » is no « partie » nor « partira »).
        self.known = frozenset(w for phrases in groups.values() for p in phrases for w in p.words)

    @classmethod
    def from_mapping(cls, data: dict[str, object]) -> Lexicon:
        groups: dict[str, tuple[Phrase, ...]] = {}
        commands: dict[str, str] = {}
        for name, items in data.items():
            if name == "commands" and isinstance(items, dict):
                for intent, typed in items.items():
                    for command in typed:
                        key = (
                            str(command)
                            if str(command).startswith("/")
                            else " ".join(words(str(command)))
                        )
                        commands[key] = str(intent)
            elif name in ("cues", "options", "opening_words") and isinstance(items, dict):
                _nested(groups, name, items)
            elif isinstance(items, list):
                groups[name] = tuple(_phrase(str(p)) for p in items)
        return cls(groups, commands)

    def phrases(self, group: str) -> tuple[Phrase, ...]:
        return self.groups.get(group, ())

    def find(self, group: str, message: Sequence[str], exact: bool = False) -> list[Hit]:
        """Every occurrence of the group's phrases among the words, longest phrases first,
        without overlaps; `exact`: no typo tolerated."""
        return list(self._find(group, tuple(message), exact))

    @lru_cache(maxsize=4096)  # noqa: B019 - one lexicon per process; a turn asks the same often
    def _find(self, group: str, message: tuple[str, ...], exact: bool) -> tuple[Hit, ...]:
        phrases, by_first, long_firsts = self._index(group)
        # Where each phrase may start: its first word typed there (a typo allowed in a long
        # word, found for all of the group's first words in one rapidfuzz call); then the
        # phrases are tried longest first, left to right, as one pass over them all would.
        starts: list[tuple[int, int]] = []
        for start, word in enumerate(message):
            firsts = [word] if word in by_first else []
            typo = not exact and word not in self.known
            if typo and long_firsts and len(word) >= TYPO_MIN_LENGTH - 1:
                firsts += [
                    found
                    for found, _, _ in process.extract(
                        word, long_firsts, scorer=OSA.distance, score_cutoff=1, limit=None
                    )
                    if found != word
                ]
            starts += [(rank, start) for first in firsts for rank in by_first[first]]
        hits: list[Hit] = []
        taken: set[int] = set()
        for rank, start in sorted(starts):
            phrase = phrases[rank]
            size = len(phrase.words)
            span = range(start, start + size)
            if start + size > len(message) or taken.intersection(span):
                continue
            if all(
                _close(typed, w, exact or typed in self.known)
                for typed, w in zip(message[start : start + size], phrase.words, strict=True)
            ):
                hits.append(Hit(start, start + size, phrase.negative))
                taken.update(span)
        return tuple(sorted(hits, key=lambda h: h.start))

    @cache  # noqa: B019 - groups are fixed once loaded
    def _index(self, group: str) -> tuple[tuple[Phrase, ...], dict[str, list[int]], list[str]]:
        """The group's phrases longest first, their ranks by first word, and the first words
        long enough to be recognised with a typo."""
        phrases = self._longest_first(group)
        by_first: dict[str, list[int]] = {}
        for rank, phrase in enumerate(phrases):
            by_first.setdefault(phrase.words[0], []).append(rank)
        long_firsts = [w for w in by_first if len(w) >= TYPO_MIN_LENGTH]
        return phrases, by_first, long_firsts

    @cache  # noqa: B019 - groups are fixed once loaded
    def _longest_first(self, group: str) -> tuple[Phrase, ...]:
        return tuple(
            sorted((p for p in self.phrases(group) if p.words), key=lambda p: -len(p.words))
        )

    def has(self, group: str, message: Sequence[str], exact: bool = False) -> bool:
        return bool(self.find(group, message, exact))

    def covers(self, message: Sequence[str], groups: Iterable[str]) -> bool:
        """True when every word belongs to a phrase of one of the groups."""
        covered: set[int] = set()
        for group in groups:
            for hit in self.find(group, message):
                covered.update(range(hit.start, hit.end))
        return len(covered) == len(message)


@cache
def _split(phrase: str) -> tuple[str, ...]:
    return tuple(words(phrase))


def says_any(message: Sequence[str], phrases: Iterable[str], *, prefix: int) -> bool:
    """Whether the message (folded words) holds one of the phrases: several words as they are,
    one word of `prefix` letters or more also as the start of a longer one (« coloc »)."""
    joined = f" {' '.join(message)} "
    for phrase in phrases:
        parts = _split(phrase)
        if len(parts) == 1:
            (word,) = parts
            if any(w == word or (len(word) >= prefix and w.startswith(word)) for w in message):
                return True
        elif f" {' '.join(parts)} " in joined:
            return True
    return False


@dataclass(frozen=True)
class Wording:
    """Phrases prepared once for `says_any`'s test (a list read at every message was split and
    joined again each time): single words, those of `prefix` letters or more also as the start
    of a longer word, and word sequences as they appear between spaces."""

    exact: frozenset[str]
    starts: tuple[str, ...]
    sequences: tuple[str, ...]

    @classmethod
    def of(cls, phrases: Iterable[str], *, prefix: int) -> Wording:
        split = [_split(phrase) for phrase in phrases]
        singles = [parts[0] for parts in split if len(parts) == 1]
        return cls(
            exact=frozenset(singles),
            starts=tuple(word for word in singles if len(word) >= prefix),
            sequences=tuple(f" {' '.join(parts)} " for parts in split if len(parts) != 1),
        )

    def said(self, message: Sequence[str]) -> bool:
        """`says_any(message, phrases, prefix=prefix)`."""
        if any(w in self.exact or w.startswith(self.starts) for w in message):
            return True
        if not self.sequences:
            return False
        joined = f" {' '.join(message)} "
        return any(sequence in joined for sequence in self.sequences)


@cache
def lexicon() -> Lexicon:
    """The lexicon of the package, read once."""
    return Lexicon.from_mapping(read_yaml("dialogs.forms", "lexicon.yml"))
