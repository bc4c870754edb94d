"""Dates and months as landlords write them, resolved against a `today` the caller gives.

Written by hand rather than with dateparser (every pattern bounded, linear time on any input): the forms are few, dateparser costs milliseconds per
call and guesses English orders for "10/07/2012"; here every rule is explicit and testable.

Year choice when the year is missing (documented for the engine):
- a day and month ("le 1er mars") is the most recent such date on or before today; followed by
  "prochain" it is the next one on or after today; followed by "dernier", strictly before today;
- a month alone ("depuis mars") is the most recent such month, the current month included;
  "septembre dernier" is strictly before the current month; "mars prochain" the next one after.
- a day alone after « le », « du » or « au » (« parti le 28 ») is the most recent such day on or
  before today, or the next one with « prochain »; only where nothing after it can make it an
  amount, an address or a count;
- « début », « mi- » and « fin » before a month ("fin octobre", "mi-mars", "début d'août") make
  a date: the 1st, the 15th or the last day of that month, the month's year chosen as above.
Two-digit years are 20xx up to ten years ahead of today, 19xx otherwise.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from rapidfuzz.distance import OSA

MONTHS: dict[str, int] = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
# Abbreviations only count right after a day number ("15 sept"): alone, "sept" is seven.
_ABBREVIATIONS: dict[str, int] = {
    "janv": 1,
    "jan": 1,
    "fev": 2,
    "fevr": 2,
    "avr": 4,
    "juil": 7,
    "sept": 9,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_FUZZY_MIN_LENGTH = 5
_FUZZY_MAX_LENGTH = 11

_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\d/.-])")
_MY = re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{4})(?![\d/.-])")
_DM = re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{2})(?![\d/.-])")
_TOKEN = re.compile(r"\d{1,8}(?:er)?|[a-z]{1,20}")
_RELATIVE_DAYS = (
    (re.compile(r"\bavant[- ]hier\b"), -2),
    (re.compile(r"\bapres[- ]demain\b"), 2),
    (re.compile(r"\baujourd'?hui\b"), 0),
    (re.compile(r"\bhier\b"), -1),
    (re.compile(r"\bdemain\b"), 1),
)
# « lundi », « mardi prochain », « vendredi dernier »: the most recent such day (today's
# included), or the next one with « prochain » (a form that asks for a day ahead moves it on).
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_WEEKDAY = re.compile(
    r"\b(?:(?:ce|le)\s)?(" + "|".join(_WEEKDAYS) + r")(?:\s(prochain|dernier|passe))?\b"
)
_RELATIVE_MONTHS = (
    (re.compile(r"\b(?:le )?mois (?:dernier|passe)\b"), -1),
    (re.compile(r"\bce mois[- ]?(?:ci)?\b"), 0),
    (re.compile(r"\b(?:le )?mois prochain\b"), 1),
)
_AGO = re.compile(r"\bil y a (\d{1,2}) (jours?|semaines?|mois)\b")
# « il paye plus depuis 3 mois » in November: since September, the third month counting this one.
_COUNTS = ("un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze")
_SINCE_MONTHS = re.compile(
    rf"\b(?:depuis|ca fait|cela fait|voila)\s+(\d{{1,2}}|{'|'.join(_COUNTS)}|douze)\s+mois\b"
)
# « parti le 28 », « le 1er prochain »: a day alone, only where nothing after it can make it an
# amount, an address or a count (« le 3 place de la République », « le 2 mois »).
_DAY_ALONE = re.compile(
    r"\b(?:le|du|au) (\d{1,2}|1er)(?: (prochain|dernier))?"
    r"(?=\s*(?:$|[,.;:!?)]|(?:et|ou|mais|donc|car|je|j|il|elle|ils|elles|on|nous|vous|de ce mois"
    r"|du mois|ce mois|de ce mois ci|ce mois ci)\b))"
)


@dataclass(frozen=True)
class Found:
    """A date or month found in folded text; `value` is ISO (YYYY-MM-DD or YYYY-MM)."""

    entity: str
    start: int
    end: int
    value: str


def month_number(word: str) -> int | None:
    """Month of a folded word, tolerating one typo (two in the long names)."""
    if word in MONTHS:
        return MONTHS[word]
    if not _FUZZY_MIN_LENGTH <= len(word) <= _FUZZY_MAX_LENGTH:
        return None
    for name, number in MONTHS.items():
        # one typo; two only in "septembre" ("nombre" is two edits from "novembre")
        allowed = 2 if len(name) >= 9 else 1
        if len(name) < _FUZZY_MIN_LENGTH:
            continue
        if OSA.distance(word, name, score_cutoff=allowed) <= allowed:
            return number
    return None


def full_year(two_digits: int, today: date) -> int:
    return 2000 + two_digits if two_digits <= today.year % 100 + 10 else 1900 + two_digits


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_day_month(day: int, month: int, today: date, qualifier: str | None) -> date | None:
    """Pick the year of a day-month written without one (see the module docstring)."""
    candidates = [
        d
        for y in (today.year - 1, today.year, today.year + 1)
        if (d := _safe_date(y, month, day)) is not None
    ]
    if qualifier == "prochain":
        future = [d for d in candidates if d >= today]
        return min(future) if future else None
    if qualifier == "dernier":
        past = [d for d in candidates if d < today]
    else:
        past = [d for d in candidates if d <= today]
    return max(past) if past else None


def resolve_month(month: int, today: date, qualifier: str | None) -> tuple[int, int]:
    current = (today.year, today.month)
    if qualifier == "prochain":
        return (today.year, month) if (today.year, month) > current else (today.year + 1, month)
    if qualifier == "dernier":
        return (today.year, month) if (today.year, month) < current else (today.year - 1, month)
    return (today.year, month) if (today.year, month) <= current else (today.year - 1, month)


def resolve_day(day: int, today: date, qualifier: str | None) -> date | None:
    """A day of the month alone: the most recent such day on or before today (strictly before
    with « dernier »), or with « prochain » the next one on or after today."""
    step = 1 if qualifier == "prochain" else -1
    for shift in range(13):
        year, month = _shift_month(today, step * shift)
        d = _safe_date(year, month, day)
        if d is None:
            continue
        if (qualifier == "prochain" and d >= today) or (qualifier == "dernier" and d < today):
            return d
        if qualifier is None and d <= today:
            return d
    return None


def is_day_alone(written: str) -> bool:
    """« le 28 », « au 1er prochain »: a date written as a day of the month alone."""
    return _DAY_ALONE.fullmatch(written.strip()) is not None


def is_weekday(written: str) -> bool:
    """ "lundi", "ce mardi": a day of the week written alone (without « prochain »)."""
    found = _WEEKDAY.fullmatch(written.strip())
    return found is not None and found.group(2) is None


def months_around(day: date) -> list[date]:
    """The same day in the month before, this month and the month after (where it exists)."""
    return [
        d
        for delta in (-1, 0, 1)
        if (d := _safe_date(*_shift_month(day, delta), day.day)) is not None
    ]


def next_month(day: date) -> date:
    """The same day in the next month that has it."""
    return next(
        d for delta in range(1, 13) if (d := _safe_date(*_shift_month(day, delta), day.day))
    )


def _shift_month(today: date, delta: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 + delta
    return index // 12, index % 12 + 1


def _is_year(word: str) -> bool:
    return word.isdigit() and len(word) == 4


def _day_number(word: str) -> int | None:
    if word in {"1er", "premier"}:
        return 1
    if word.isdigit() and 1 <= int(word) <= 31 and len(word) <= 2:
        return int(word)
    return None


def months_back(folded: str, today: date) -> str | None:
    """YYYY-MM of the first month a count of months back names (« depuis 3 mois »), where a
    month is asked: not an entity of the NLU, which reads such a count as a length of time."""
    for m in _SINCE_MONTHS.finditer(folded):
        word = m.group(1)
        count = int(word) if word.isdigit() else [*_COUNTS, "douze"].index(word) + 1
        if 1 <= count <= 24:
            year, month = _shift_month(today, 1 - count)
            return f"{year:04d}-{month:02d}"
    return None


def find_dates(folded: str, today: date) -> list[Found]:
    """Every date and month of a folded message, left to right, without overlaps."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(entity: str, start: int, end: int, value: str) -> None:
        if free(start, end):
            found.append(Found(entity, start, end, value))
            taken.append((start, end))

    for m in _DMY.finditer(folded):
        year = int(m.group(3))
        year = full_year(year, today) if len(m.group(3)) == 2 else year
        if (d := _safe_date(year, int(m.group(2)), int(m.group(1)))) is not None:
            add("date", m.start(), m.end(), d.isoformat())
    for m in _MY.finditer(folded):
        if 1 <= int(m.group(1)) <= 12:
            add("month", m.start(), m.end(), f"{int(m.group(2)):04d}-{int(m.group(1)):02d}")
    for m in _DM.finditer(folded):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and (d := resolve_day_month(day, month, today, None)) is not None:
            add("date", m.start(), m.end(), d.isoformat())
    for pattern, days in _RELATIVE_DAYS:
        for m in pattern.finditer(folded):
            add("date", m.start(), m.end(), (today + timedelta(days=days)).isoformat())
    for pattern, months in _RELATIVE_MONTHS:
        for m in pattern.finditer(folded):
            year, month = _shift_month(today, months)
            add("month", m.start(), m.end(), f"{year:04d}-{month:02d}")
    for m in _AGO.finditer(folded):
        count, unit = int(m.group(1)), m.group(2)
        if unit.startswith("mois"):
            year, month = _shift_month(today, -count)
            add("month", m.start(), m.end(), f"{year:04d}-{month:02d}")
        else:
            days = count * (7 if unit.startswith("semaine") else 1)
            add("date", m.start(), m.end(), (today - timedelta(days=days)).isoformat())
    _find_written(folded, today, add)
    for m in _WEEKDAY.finditer(folded):
        back = (today.weekday() - _WEEKDAYS.index(m.group(1))) % 7
        weekday = today - timedelta(days=back)
        if m.group(2) == "prochain":
            weekday += timedelta(days=7)
        add("date", m.start(), m.end(), weekday.isoformat())
    for m in _DAY_ALONE.finditer(folded):
        alone = _day_number(m.group(1))
        if alone is not None and (d := resolve_day(alone, today, m.group(2))) is not None:
            add("date", m.start(), m.end(), d.isoformat())
    found.sort(key=lambda f: f.start)
    return found


def _find_written(folded: str, today: date, add: Callable[[str, int, int, str], None]) -> None:
    toks = list(_TOKEN.finditer(folded))
    for i, tok in enumerate(toks):
        word = tok.group()
        previous = _day_number(toks[i - 1].group()) if i > 0 else None
        month = month_number(word)
        following_year = i + 1 < len(toks) and _is_year(toks[i + 1].group())
        if month is None and (previous is not None or following_year):
            month = _ABBREVIATIONS.get(word)  # "15 sept", "sept 2026"; alone "sept" is seven
        if month is None:
            continue
        start, end = tok.start(), tok.end()
        year: int | None = None
        qualifier: str | None = None
        if i + 1 < len(toks):
            following = toks[i + 1].group()
            if following.isdigit() and len(following) == 4:
                year, end = int(following), toks[i + 1].end()
            elif following in {"dernier", "derniere", "prochain", "prochaine", "passe"}:
                qualifier = "prochain" if following.startswith("prochain") else "dernier"
                end = toks[i + 1].end()
        if previous is not None:
            start = toks[i - 1].start()
            if year is not None:
                resolved = _safe_date(year, month, previous)
            else:
                resolved = resolve_day_month(previous, month, today, qualifier)
            if resolved is not None:
                add("date", start, end, resolved.isoformat())
            continue
        if year is None:
            year, month = resolve_month(month, today, qualifier)
        if (part := _part_of_month(toks, i)) is not None:
            day = {"debut": 1, "mi": 15}.get(part[0]) or calendar.monthrange(year, month)[1]
            add("date", toks[part[1]].start(), end, date(year, month, day).isoformat())
            continue
        add("month", start, end, f"{year:04d}-{month:02d}")


_PARTS_OF_MONTH = frozenset({"debut", "mi", "fin"})


def _part_of_month(toks: list[re.Match[str]], i: int) -> tuple[str, int] | None:
    """« début mars », « mi-octobre », « fin d'octobre »: the part and the index of its word."""
    before = [t.group() for t in toks[max(0, i - 2) : i]]
    if before and before[-1] in _PARTS_OF_MONTH:
        return before[-1], i - 1
    if len(before) == 2 and before[0] in _PARTS_OF_MONTH and before[1] in {"de", "d"}:
        return before[0], i - 2
    return None
