"""Rule-based entity extraction with normalised values.

Rules, not a learned tagger: the values must be exact (cents, ISO dates, ids) and the formats are
few and regular. Extractors run in priority order and a span already taken is never tagged again,
so one piece of text is never two entities.

Numbers (documented for the engine): a number is an `amount` only with a currency marker
("330 €", "330e", "330 euros", "trois cent trente euros") or two decimals ("328,75"); a bare
number of 1 to 7 digits is an `allocataire_number` when a word like "allocataire", "dossier" or
"numéro" precedes it, or when it has 6 or 7 digits, or 5 digits not followed by a word (which
would make it a postcode) nor said as a rent ("loyer brisson 95000": an amount far out of range,
for the form to question). Other bare numbers ("330", "3 mois") are not tagged: the engine reads
them in the context of the question it asked.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogs.nlu.amounts import amount_role, euros_text, find_amounts
from dialogs.nlu.dates import find_dates, month_number
from dialogs.nlu.normalise import fold
from dialogs.nlu.tenants import TenantCandidate, match_tenants

EXTRACTOR = "bailleur_rules"

# Bounded repetitions and a look-behind at every start: linear time on any input (issue 11).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}")
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)\s?)?|0)([1-9])((?:[\s.-]?\d{2}){4})(?!\d)"
)
_ALNUM = re.compile(r"[a-z0-9]{1,20}")
_USER_NUMBER_CUE = re.compile(r"utilisateur|numero|\bnum\b|n°|\bno\b|identifiant")
_DIGITS = re.compile(
    r"(?<![\w,.])(\d{1,3}(?:[ .]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s?(€|euros?\b|eur\b|e\b)"
)
_AMOUNT_DECIMAL = re.compile(
    r"(?<![\w,./-])\d{1,3}(?:[ .]\d{3})*,\d{2}(?![\w,./])"
    r"|(?<![\w,./-])\d+[.,]\d{2}(?![\w,./])"
)
_DIGITS = re.compile(r"(?<![\w.,/+-])\d{1,7}(?![\w.,/])")
_ALLOCATAIRE_CUE = re.compile(
    r"(?:allocataire|alloc|dossier|numero|\bnum\b|n°|\bno\b|matricule)\W{0,3}(?:\w{1,20}\W{1,3}){0,3}$"
)
# "loyer brisson 95000", "loyer brisson 3300000": a number said as a rent is an amount to check
# (far out of range), not an allocataire number.
_RENT_CUE = re.compile(r"(?:loyer|montant)s?\W{0,3}(?:\w{1,20}\W{1,3}){0,3}$")
# Words of a rent, never the letters of a N° utilisateur typed in groups.
_RENT_WORDS = frozenset({"cc", "hc", "ttc", "tcc", "charges", "charge", "loyer", "euros", "eur"})
_FOLLOWED_BY_WORD = re.compile(r"\s{1,3}[a-z]{3}")
# "14 caractères", "3 mois": a count, whatever word came before it.
_FOLLOWED_BY_UNIT = re.compile(
    r"\s{0,3}(?:caracteres?|chiffres?|lettres?|mois|jours?|ans?|semaines?)\b"
)


class _Spans:
    """Spans already claimed by a higher-priority extractor."""

    def __init__(self) -> None:
        self.taken: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.taken)

    def claim(self, start: int, end: int) -> None:
        self.taken.append((start, end))


def _entity(name: str, start: int, end: int, value: Any, **extra: Any) -> dict[str, Any]:
    return {
        "entity": name,
        "start": start,
        "end": end,
        "value": value,
        "extractor": EXTRACTOR,
        **extra,
    }


def _emails(text: str, spans: _Spans) -> list[dict[str, Any]]:
    out = []
    for m in _EMAIL.finditer(text):
        spans.claim(*m.span())
        out.append(_entity("email", m.start(), m.end(), m.group().lower()))
    return out


def _phones(folded: str, spans: _Spans) -> list[dict[str, Any]]:
    out = []
    for m in _PHONE.finditer(folded):
        if spans.free(*m.span()):
            spans.claim(*m.span())
            digits = "0" + m.group(1) + re.sub(r"\D", "", m.group(2))
            out.append(_entity("phone", m.start(), m.end(), digits))
    return out


def _user_numbers(text: str, folded: str, spans: _Spans) -> list[dict[str, Any]]:
    """14 letters and digits, possibly typed in groups ("14 oliviers 0001")."""
    out = []
    words = list(_ALNUM.finditer(folded))
    cue = _USER_NUMBER_CUE.search(folded) is not None
    i = 0
    while i < len(words):
        joined = ""
        for j in range(i, min(i + 4, len(words))):
            if j > i and folded[words[j - 1].end() : words[j].start()] not in {" ", "-"}:
                break
            joined += words[j].group()
            if len(joined) > 14:
                break
            if len(joined) == 14 and _looks_like_user_number(joined, words[i : j + 1], text, cue):
                start, end = words[i].start(), words[j].end()
                if spans.free(start, end):
                    spans.claim(start, end)
                    out.append(_entity("user_number", start, end, joined.upper()))
                    i = j
                break
        i += 1
    return out


def _looks_like_user_number(
    joined: str, parts: Sequence[re.Match[str]], text: str, cue: bool
) -> bool:
    digits = sum(c.isdigit() for c in joined)
    if digits < 3 or len(joined) - digits < 3:
        return False
    if len(parts) == 1:
        return True
    # Several words: only digits at both ends, and typed in capitals or announced as a number,
    # so that "2 mois depuis 2026" is not read as one.
    if not (parts[0].group().isdigit() and parts[-1].group().isdigit()):
        return False
    if any(p.group() in _RENT_WORDS for p in parts[1:-1]):
        return False  # « 380 cc charges 40 » is a rent and its charges
    original = text[parts[0].start() : parts[-1].end()]
    letters = [c for c in original if c.isalpha()]
    alone = text.strip() == original
    if cue or alone or all(c.isupper() for c in letters):
        return True
    # Lower case in a sentence: figures, one word, figures ("c'est 14 oliviers 0001"), unless
    # the word is a month ("12 novembre 2026" is a date).
    middle = [p.group() for p in parts[1:-1]]
    return len(middle) == 1 and middle[0].isalpha() and month_number(middle[0]) is None


def _amounts(folded: str, spans: _Spans) -> list[dict[str, Any]]:
    def claim(start: int, end: int) -> bool:
        if not spans.free(start, end):
            return False
        spans.claim(start, end)
        return True

    found = []
    for start, end, cents in find_amounts(folded, claim):
        role = amount_role(folded, start, end)
        extra = {"role": role} if role else {}
        found.append(_entity("amount", start, end, euros_text(cents), cents=cents, **extra))
    return found


def _allocataire_numbers(folded: str, spans: _Spans) -> list[dict[str, Any]]:
    out = []
    for m in _DIGITS.finditer(folded):
        if not spans.free(*m.span()):
            continue
        number = m.group()
        if _FOLLOWED_BY_UNIT.match(folded, m.end()):
            continue
        cued = _ALLOCATAIRE_CUE.search(folded[max(0, m.start() - 40) : m.start()]) is not None
        followed = _FOLLOWED_BY_WORD.match(folded, m.end()) is not None
        before = folded[max(0, m.start() - 40) : m.start()]
        rent = not cued and _RENT_CUE.search(before) is not None
        if cued or (not rent and (len(number) >= 6 or (len(number) == 5 and not followed))):
            spans.claim(*m.span())
            out.append(_entity("allocataire_number", m.start(), m.end(), number))
    return out


# "pas de coloc", "sans colocataire", "il n'est pas parti": a change type said to be absent is no
# change ("plus de coloc" is one: the flat-share ended).
_NEGATED = re.compile(
    r"\b(?:pas|sans|aucune?|jamais|ni|non)(?:\s{1,3}(?:encore|de|du|des|en|une?|la|le|eu))*"
    r"(?:\s{1,3}d'|\s{1,3})$"
)


@functools.lru_cache(maxsize=8)
def _change_type_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation, longest phrases first, so "fin de gestion" wins over "gestion"."""
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")


@dataclass(frozen=True)
class ChangeTypes:
    """The change-type phrases (folded phrase -> change type) with their pattern, sorted and
    compiled once (the NLU model keeps one) instead of at every message."""

    phrases: Mapping[str, str]
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, phrases: Mapping[str, str]) -> ChangeTypes:
        return cls(dict(phrases), _change_type_pattern(tuple(sorted(phrases))))


def _change_types(folded: str, types: ChangeTypes, spans: _Spans) -> list[dict[str, Any]]:
    out = []
    phrases = types.phrases
    for m in types.pattern.finditer(folded):
        if _NEGATED.search(folded, max(0, m.start() - 30), m.start()):
            continue
        if spans.free(*m.span()):
            spans.claim(*m.span())
            out.append(_entity("change_type", m.start(), m.end(), phrases[m.group()]))
    return out


def extract(
    text: str,
    *,
    today: date,
    tenants: Sequence[TenantCandidate] = (),
    change_type_phrases: Mapping[str, str] | ChangeTypes | None = None,
    real_words: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """All entities of a message, sorted by position; `real_words`: French words, never read as
    a typo of a tenant's name."""
    folded = fold(text)
    spans = _Spans()
    entities = _emails(text, spans)
    entities += _phones(folded, spans)
    entities += _user_numbers(text, folded, spans)
    for found in find_dates(folded, today):
        if spans.free(found.start, found.end):
            spans.claim(found.start, found.end)
            entities.append(_entity(found.entity, found.start, found.end, found.value))
    entities += _amounts(folded, spans)
    entities += _allocataire_numbers(folded, spans)
    if isinstance(change_type_phrases, ChangeTypes):
        if change_type_phrases.phrases:
            entities += _change_types(folded, change_type_phrases, spans)
    elif change_type_phrases:
        entities += _change_types(folded, ChangeTypes.of(change_type_phrases), spans)
    for mention in match_tenants(text, tenants, real_words):
        if spans.free(mention["start"], mention["end"]):
            spans.claim(mention["start"], mention["end"])
            entities.append({**mention, "extractor": EXTRACTOR})
    entities.sort(key=lambda e: e["start"])
    return entities
