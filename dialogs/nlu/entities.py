"""Rule-based entity extraction with normalised values.

Rules, not a learned tagger: the values must be exact (cents, ISO dates, ids) and the formats are
few and regular. Extractors run in priority order and a span already taken is never tagged again,
so one piece of text is never two entities.

Numbers (documented for the engine): a number is an `amount` only with a currency marker
("330 €", "330e", "330 euros", "trois cent trente euros") or two decimals ("328,75"); a bare
number of 1 to 7 digits is an `allocataire_number` when a word like "allocataire", "dossier" or
"numéro" precedes it, or when it has 6 or 7 digits, or 5 digits not followed by a word (which
would make it a postcode). Other bare numbers ("330", "3 mois") are not tagged: the engine reads
them in the context of the question it asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from dialogs.nlu.dates import find_dates
from dialogs.nlu.normalise import fold
from dialogs.nlu.tenants import TenantCandidate, match_tenants
from services.core.errors import AmountError
from services.core.money import parse_amount

EXTRACTOR = "bailleur_rules"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)\s?)?|0)([1-9])((?:[\s.-]?\d{2}){4})(?!\d)"
)
_ALNUM = re.compile(r"[a-z0-9]+")
_USER_NUMBER_CUE = re.compile(r"utilisateur|numero|\bnum\b|n°|\bno\b|identifiant")
_NUMBER_WORDS = (
    r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|"
    r"quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|et)"
)
_AMOUNT_WORDS = re.compile(rf"\b({_NUMBER_WORDS}(?:[\s-]+{_NUMBER_WORDS})*)\s*(?:euros?\b|€)")
_AMOUNT_DIGITS = re.compile(
    r"(?<![\w,.])(\d{1,3}(?:[ .]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s?(€|euros?\b|eur\b|e\b)"
)
_AMOUNT_DECIMAL = re.compile(
    r"(?<![\w,./-])\d{1,3}(?:[ .]\d{3})*,\d{2}(?![\w,./])"
    r"|(?<![\w,./-])\d+[.,]\d{2}(?![\w,./])"
)
_DIGITS = re.compile(r"(?<![\w.,/+-])\d{1,7}(?![\w.,/])")
_ALLOCATAIRE_CUE = re.compile(
    r"(?:allocataire|dossier|numero|\bnum\b|n°|\bno\b|matricule)\W*(?:\w+\W+){0,3}$"
)
_FOLLOWED_BY_WORD = re.compile(r"\s+[a-z]{3,}")
# "14 caractères", "3 mois": a count, whatever word came before it.
_FOLLOWED_BY_UNIT = re.compile(
    r"\s*(?:caracteres?|chiffres?|lettres?|mois|jours?|ans?|semaines?)\b"
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
    original = text[parts[0].start() : parts[-1].end()]
    letters = [c for c in original if c.isalpha()]
    alone = text.strip() == original
    return cue or alone or all(c.isupper() for c in letters)


def _amounts(folded: str, spans: _Spans) -> list[dict[str, Any]]:
    out = []
    candidates: list[tuple[int, int]] = []
    for m in _AMOUNT_DIGITS.finditer(folded):
        if m.group(3) == "e" and len(m.group(1)) == 1 and m.group(2) is None:
            continue  # "2e" is an ordinal, not two euros
        candidates.append(m.span())
    candidates.extend(m.span() for m in _AMOUNT_WORDS.finditer(folded))
    candidates.extend(m.span() for m in _AMOUNT_DECIMAL.finditer(folded))
    for start, end in sorted(candidates, key=lambda span: (span[0], -span[1])):
        if not spans.free(start, end):
            continue
        try:
            cents = parse_amount(folded[start:end])
        except AmountError:
            continue
        spans.claim(start, end)
        out.append(_entity("amount", start, end, cents / 100, cents=cents))
    return out


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
        if cued or len(number) >= 6 or (len(number) == 5 and not followed):
            spans.claim(*m.span())
            out.append(_entity("allocataire_number", m.start(), m.end(), number))
    return out


def _change_types(folded: str, phrases: Mapping[str, str], spans: _Spans) -> list[dict[str, Any]]:
    out = []
    for phrase in sorted(phrases, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded):
            if spans.free(*m.span()):
                spans.claim(*m.span())
                out.append(_entity("change_type", m.start(), m.end(), phrases[phrase]))
    return out


def extract(
    text: str,
    *,
    today: date,
    tenants: Sequence[TenantCandidate] = (),
    change_type_phrases: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """All entities of a message, sorted by position."""
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
    if change_type_phrases:
        entities += _change_types(folded, change_type_phrases, spans)
    for mention in match_tenants(text, tenants):
        if spans.free(mention["start"], mention["end"]):
            spans.claim(mention["start"], mention["end"])
            entities.append({**mention, "extractor": EXTRACTOR})
    entities.sort(key=lambda e: e["start"])
    return entities
