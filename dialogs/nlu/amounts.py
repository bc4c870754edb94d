"""Amounts of money in a folded message, with their value in cents.

A number is an amount only with a currency marker ("330 €", "330e", "330 euros", "330 balles",
"EUR 330", "€330", "trois cent trente euros") or two decimals ("328,75"); cents may follow the marker
("330€50", "500 euros 50", "500 euros et 50 centimes"). Reading the figures is
`services.money.parse_amount`'s job (text2num for numbers in words); this module only finds them.

Every pattern runs in linear time on hostile input: repetitions are bounded and each candidate
must start at a word boundary checked by a look-behind, so a 100 000-digit token costs one scan.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from services.core.errors import AmountError
from services.core.money import parse_amount

_NUMBER_WORDS = (
    r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|"
    r"quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|et)"
)
_CURRENCY = r"(?:€|euros?\b|eur\b|e\b|balles\b)"
_FIGURES = r"(?:\d{1,3}(?:[ .]\d{3}){1,3}|\d{1,9})"
_AFTER_CENTS = r"(?=\s{0,3}(?:centimes?\b|cts?\b|[,.;:!?)]|$))"

_WORDS = re.compile(
    rf"\b({_NUMBER_WORDS}(?:[\s-]{{1,3}}{_NUMBER_WORDS}){{0,8}})\s{{0,2}}(?:euros?\b|€)"
)
_DIGITS = re.compile(
    rf"(?<![\w,.])(?P<euros>{_FIGURES})(?:[.,](?P<decimals>\d{{1,2}}))?\s?(?P<currency>{_CURRENCY})"
    rf"(?:(?<=€)(?P<glued>\d{{2}})(?!\d)"
    rf"|\s?(?:et\s)?(?P<cents>\d{{2}}){_AFTER_CENTS}(?:\s{{0,3}}(?:centimes?|cts?)\b)?)?"
)
_CURRENCY_FIRST = re.compile(
    rf"(?<![\w,.])(?:€|eur\b|euros?\b)\s?(?P<euros>{_FIGURES})(?:[.,](?P<decimals>\d{{1,2}}))?(?![\w,.])"
)
# A bare number of two figures or more followed by what only a rent has: "450 hc",
# "600 hors charges", "520 par mois" ("3 par mois" is a count), or the absence of unpaid rent
# that goes with a rent ("couture 392 pas d'impayé", "392 sans impayés").
_NO_UNPAID_AFTER = r"(?:pas|sans|aucun|rien)\s{1,3}(?:d\s?'?\s?|de\s{1,3})?(?:impayes?|retards?)"
_RENT_MARKED = re.compile(
    r"(?<![\w,.])(?P<euros>\d{1,3}(?:[ .]\d{3}){1,3}|\d{2,9})(?:[.,](?P<decimals>\d{1,2}))?"
    r"(?=\s?(?:hc|cc|hors\s{1,3}charges?|charges?\s{1,3}comprises?|par\s{1,3}mois|/\s?mois"
    rf"|,?\s?{_NO_UNPAID_AFTER})\b)"
)
_DECIMAL = re.compile(
    r"(?<![\w,./-])\d{1,3}(?:[ .]\d{3}){0,3},\d{2}(?![\w,./])"
    r"|(?<![\w,./-])\d{1,9}[.,]\d{2}(?![\w,./])"
)

# The rent said with its charges ("520 cc", "520 charges comprises", "cc 520"), and the charges
# said beside it ("dont 40 de charges", "40 € de charges", "charges 40", never "hors charges 450").
WITH_CHARGES = "with_charges"
CHARGES = "charges"
# The charges said right after the amount as part of it: « dont 40 de charges », « avec 40 de
# charges » (not « … en plus »), « charges de 40 € comprises », « 40 de charges incluses ».
_SOME = r"\d{1,4}(?:[.,]\d{1,2})?\s{0,3}(?:€|e|euros?)?\s{0,3}"
_INCLUDED = r"(?:compris|inclus)(?:es?)?"
_OF_CHARGES = r"(?:de\s{1,3}|d\s?'\s?)(?:les\s{1,3})?charges?"
_WITH_CHARGES_AFTER = re.compile(
    r"\s{0,3}(?:€|e|euros?)?\s{0,3}"
    rf"(?:cc|c\.c\.?|charges?\s{{1,3}}{_INCLUDED}|toutes\s{{1,3}}charges|tout\s{{1,3}}compris"
    r"|avec\s{1,3}(?:les\s{1,3})?charges|ttc|tcc|dont\s{1,3}(?:les\s{1,3})?charges?"
    rf"|(?:dont|avec|y\s{{1,3}}compris|incluant)\s{{1,3}}{_SOME}{_OF_CHARGES}"
    r"(?!\s{0,3}en\s{1,3}(?:plus|sus))"
    rf"|[,;]?\s{{0,3}}(?:et\s{{1,3}})?(?:les\s{{1,3}}|des\s{{1,3}})?charges?\s{{0,3}}(?::|=|de|a)?"
    rf"\s{{0,3}}{_SOME}{_INCLUDED}"
    rf"|[,;]?\s{{0,3}}(?:et\s{{1,3}})?{_SOME}{_OF_CHARGES}\s{{0,3}}{_INCLUDED})"
    r"(?!\w)"
)
_WITH_CHARGES_BEFORE = re.compile(
    r"(?<!\w)(?:cc|charges?\s{1,3}(?:compris|inclus)(?:es?)?|ttc|tcc)\s{0,3}(?::|=|de)?\s{0,3}$"
)
_CHARGES_AFTER = re.compile(r"\s{0,3}(?:€|e|euros?)?\s{0,3}(?:de\s{1,3}|d\s?'\s?)charges?(?!\w)")
_CHARGES_BEFORE = re.compile(
    r"(?<!hors )(?<!sans )(?<!avec )(?<!\w)charges?\s{0,3}(?::|=|de|a)?\s{0,3}$"
)
_NUMBER = re.compile(
    r"(?<![\w,.])(?P<euros>\d{1,3}(?:[ .]\d{3}){1,3}|\d{1,9})(?:[.,](?P<decimals>\d{1,2}))?"
    r"(?![\w,.]\w)"
)

Claim = Callable[[int, int], bool]


def amount_role(folded: str, start: int, end: int) -> str | None:
    """`WITH_CHARGES` for a rent said with its charges, `CHARGES` for the charges themselves."""
    before = folded[max(0, start - 24) : start]
    if _WITH_CHARGES_AFTER.match(folded, end) or _WITH_CHARGES_BEFORE.search(before):
        return WITH_CHARGES
    if _CHARGES_AFTER.match(folded, end) or _CHARGES_BEFORE.search(before):
        return CHARGES
    return None


def _cents_of(match: re.Match[str]) -> int | None:
    euros = match.group("euros")
    decimals = match.group("decimals")
    text = euros + ("," + decimals if decimals else "")
    try:
        cents = parse_amount(text)
    except AmountError:
        return None
    groups = match.groupdict()
    extra = groups.get("cents") or groups.get("glued")
    if extra and not decimals:
        cents += int(extra)
    return cents


def find_amounts(folded: str, claim: Claim) -> list[tuple[int, int, int]]:
    """(start, end, cents) of every amount; `claim(start, end)` is False if the span is taken."""
    candidates: list[tuple[int, int, int]] = []
    for m in _DIGITS.finditer(folded):
        if m.group("currency") == "e" and len(m.group("euros")) == 1 and not m.group("decimals"):
            continue  # "2e" is an ordinal, not two euros
        if (cents := _cents_of(m)) is not None:
            candidates.append((m.start(), m.end(), cents))
    for m in _RENT_MARKED.finditer(folded):
        if (cents := _cents_of(m)) is not None:
            candidates.append((m.start(), m.end(), cents))
    for m in _CURRENCY_FIRST.finditer(folded):
        if (cents := _cents_of(m)) is not None:
            candidates.append((m.start(), m.end(), cents))
    for m in _NUMBER.finditer(folded):
        if amount_role(folded, m.start(), m.end()) and (cents := _cents_of(m)) is not None:
            candidates.append((m.start(), m.end(), cents))
    for pattern in (_WORDS, _DECIMAL):
        for m in pattern.finditer(folded):
            try:
                candidates.append((m.start(), m.end(), parse_amount(m.group())))
            except AmountError:
                continue
    found = []
    for start, end, cents in sorted(candidates, key=lambda c: (c[0], -c[1])):
        if claim(start, end):
            found.append((start, end, cents))
    return found


def euros_text(cents: int) -> str:
    """The entity value: euros with two decimals and a dot, "330.50" (Rasa-friendly string)."""
    return f"{cents // 100}.{cents % 100:02d}"
