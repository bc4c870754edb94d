"""Reading one kind of answer in a clause: yes/no, an amount, a date, a count, a choice...

Each reader returns a candidate value or None (nothing of that kind here). Candidates are raw:
the form's own validation decides whether they are acceptable. Two sentinel values carry words
rather than facts: `SAME` ("pareil", "comme l'an dernier") and `UNKNOWN` ("je sais pas").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from rapidfuzz import fuzz, process
from text_to_num import alpha2digit

from dialogs.forms.lexicon import Lexicon, words
from dialogs.forms.message import Clause, find_numbers
from dialogs.nlu import dates
from dialogs.nlu.normalise import fold
from dialogs.texts import words as vocabulary

SAME = "__same__"
UNKNOWN = "__unknown__"
CHOICE_SCORE = 80
CHOICE_MARGIN = 8
_YEAR_WRITTEN = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\b(?:19|20)\d{2}\b")


def yes_no(clause: Clause, lexicon: Lexicon, cue: str | None = None) -> bool | None:
    """True/False when the clause answers yes or no, by a cue's polarity or plain words.

    With a cue ("pas de coloc", "elle est partie"), the cue's own polarity is turned by a
    negation; without one, "oui"/"non" words decide, and both or neither give None.
    """
    if cue is not None:
        hits = lexicon.find(f"cues.{cue}", clause.words)
        if hits:
            polarity = not hits[0].negative
            return polarity != _negates(clause, lexicon, hits[0].start)
    says_yes = lexicon.has("agree", clause.words)
    says_no = lexicon.has("refuse", clause.words) or lexicon.has("negation", clause.words)
    if says_yes and not says_no:
        return True
    if says_no and not says_yes:
        return False
    return None


def _negates(clause: Clause, lexicon: Lexicon, cue_start: int) -> bool:
    """Whether the clause turns the cue at word `cue_start`: « pas d'impayé » or « plus de
    retard » negate their own noun only, never « tjrs là » said beside them."""
    said = clause.words
    for hit in (*lexicon.find("negation", said), *lexicon.find("refuse", said)):
        noun = hit.end
        while noun < len(said) and said[noun] in ("de", "d'", "d", "'"):
            noun += 1
        if noun > hit.end and cue_start not in (hit.start, noun):
            continue
        return True
    return False


def same(clause: Clause, lexicon: Lexicon) -> bool:
    return lexicon.has("same", clause.words) and not _denies_same(clause, lexicon)


def _denies_same(clause: Clause, lexicon: Lexicon) -> bool:
    hits = lexicon.find("same", clause.words)
    phrase_negative = any(clause.words[max(0, h.start - 2) : h.start].count("pas") for h in hits)
    return bool(phrase_negative) and not lexicon.has("same", ["pas", "change"])


def nothing(clause: Clause, lexicon: Lexicon) -> bool:
    """ "rien", "aucun", "0": nothing at all, for an amount where zero is an answer."""
    return lexicon.has("nothing", clause.words)


def unknown(clause: Clause, lexicon: Lexicon) -> bool:
    return lexicon.has("unknown", clause.words)


def amount_entity(clause: Clause) -> int | None:
    """Cents of the clause's amount entity ("330 €", "328,75"), if it has one."""
    for entity in clause.entity("amount"):
        if entity.get("cents") is not None:
            return int(entity["cents"])
    return None


def amount(clause: Clause) -> int | str | None:
    """Cents of the clause's amount: an amount entity, else its first bare number that is not
    the value being corrected ("385 pas 380" gives 385)."""
    for entity in clause.entity("amount"):
        if entity.get("cents") is not None:
            return int(entity["cents"])
    for number in clause.numbers:
        if not number.negated:
            # An amount the money rules refuse (0, -12, 328,755) goes to the form's check as
            # typed, so the user is told why.
            return number.cents if number.cents is not None else number.text
    converted = alpha2digit(clause.text, "fr")
    if converted != clause.text:
        for number in find_numbers(fold(converted), []):
            if not number.negated and number.cents is not None:
                return number.cents
    return None


def count(clause: Clause) -> int | None:
    """A small whole number, in digits or words ("deux", "ils sont 3"); said of the others
    beside the one counted ("avec 2 autres personnes"), one more."""
    converted = fold(alpha2digit(clause.text, "fr", threshold=0))
    found = next((n.whole for n in clause.numbers if not n.negated and n.whole is not None), None)
    if found is None:
        match = re.search(r"(?<![\d/])\d{1,3}(?![\d/])", converted)
        found = int(match.group()) if match else None
    if found is None:
        return None
    return found + 1 if _beside(converted, found) else found


def _beside(converted: str, found: int) -> bool:
    said = [w for w in words(converted) if w.isalnum()]
    if str(found) not in said:
        return False
    at = said.index(str(found))
    before, after = said[max(0, at - 3) : at], said[at + 1 : at + 2]
    return bool(set(before) & set(vocabulary("count_beside"))) or bool(
        set(after) & set(vocabulary("count_others"))
    )


def day(
    clause: Clause,
    lexicon: Lexicon,
    today: date,
    anchor: date | None = None,
    ahead: bool = False,
) -> str | None:
    """ISO date of the clause. A day and month written without a year is the last one, except
    said of the future ("va partir le 15/12": the next one), asked of the future (`ahead`: an
    access's opening), near a related date already given (a lease end near the departure: the
    one closest to it), or coming within a few weeks (on 23/11, "le 30/11" is in a week, not a
    year ago: the rules then accept or refuse it). A day of the week alone (« lundi ») is the
    last one, or the next one said or asked of the future. A month said as the start of a
    change (« depuis mai ») is its first day (`since_month`)."""
    if not clause.entity("date"):
        return since_month(clause, lexicon, today, ahead)
    for entity in clause.entity("date"):
        value = str(entity.get("value"))
        try:
            found = date.fromisoformat(value)
        except ValueError:
            continue
        start, end = entity.get("start"), entity.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            return found.isoformat()
        written = fold(clause.text[start - clause.start : end - clause.start])
        if _YEAR_WRITTEN.search(written) is not None:
            return found.isoformat()
        if dates.is_weekday(written):
            if found < today and (ahead or lexicon.has("future", clause.words)):
                found += timedelta(days=7)
            return found.isoformat()
        # « le 28 »: the choice is the month, and only a word of the future makes it the next.
        alone = dates.is_day_alone(written)
        around = dates.months_around if alone else _years_around
        following = dates.next_month if alone else _next_year
        if anchor is not None:
            found = min(around(found), key=lambda d: abs((d - anchor).days))
        elif found < today and (
            ahead
            or lexicon.has("future", clause.words)
            or (
                not alone
                and (following(found) - today).days <= NEAR_FUTURE_DAYS
                and not lexicon.has("past", clause.words)
            )
        ):
            found = following(found)
        return found.isoformat()
    return None


def since_month(clause: Clause, lexicon: Lexicon, today: date, ahead: bool = False) -> str | None:
    """ISO first day of a month said right after « depuis », « à partir de », « dès »
    (lexicon group `since`): the day the change took effect. Asked of the future (`ahead`), a
    month already past is next year's."""
    for entity in clause.entity("month"):
        start = entity.get("start")
        if not isinstance(start, int):
            continue
        before = words(clause.text[: start - clause.start])
        if not any(hit.end == len(before) for hit in lexicon.find("since", before)):
            continue
        try:
            first = date.fromisoformat(f"{str(entity.get('value'))[:7]}-01")
        except ValueError:
            continue
        if ahead and first < today.replace(day=1):
            first = first.replace(year=first.year + 1)
        return first.isoformat()
    return None


NEAR_FUTURE_DAYS = 62
"""How far ahead a day written without a year is read as the coming one rather than last year's."""


def _years_around(day_: date) -> list[date]:
    out = []
    for delta in (-1, 0, 1):
        try:
            out.append(day_.replace(year=day_.year + delta))
        except ValueError:  # 29 February
            out.append(day_.replace(year=day_.year + delta, day=28))
    return out


def _next_year(day_: date) -> date:
    try:
        return day_.replace(year=day_.year + 1)
    except ValueError:  # 29 February
        return day_.replace(year=day_.year + 1, day=28)


def month(clause: Clause, today: date) -> str | None:
    """YYYY-MM of the clause's month (or of its date, or of a count of months back: « depuis 3
    mois »)."""
    for entity in clause.entity("month"):
        return str(entity.get("value"))[:7]
    for entity in clause.entity("date"):
        return str(entity.get("value"))[:7]
    return dates.months_back(fold(clause.text), today)


def tenant(clause: Clause) -> dict[str, Any] | None:
    """The tenant a clause names: {"id": ...}, {"candidates": [...]} or {"number": "..."}."""
    for entity in clause.entity("tenant_name"):
        if entity.get("tenant_id") is not None:
            return {"id": int(entity["tenant_id"])}
        if entity.get("candidates"):
            return {"candidates": [int(i) for i in entity["candidates"]]}
    for entity in clause.entity("allocataire_number"):
        return {"number": str(entity.get("value"))}
    return None


def named_options(
    lexicon: Lexicon, option_group: str, keys: Iterable[str], message: list[str]
) -> list[str]:
    """The options whose own words are in the message; when several are, those typed exactly
    ("courriel" names the email, not "courrier" with a typo)."""
    named = [key for key in keys if lexicon.has(f"{option_group}.{key}", message)]
    if len(named) > 1:
        exact = [k for k in named if lexicon.has(f"{option_group}.{k}", message, exact=True)]
        return exact or named
    return named


def choice(
    text: str,
    options: dict[str, list[str]],
    lexicon: Lexicon,
    option_group: str,
) -> tuple[str | None, list[str]]:
    """The option a text names: by the option's own words (lexicon group
    `<option_group>.<key>`) or by a label typed with typos. Returns (option, close_options):
    when two labels are about as close, the option is None and both are returned."""
    message = words(text)
    named = named_options(lexicon, option_group, options, message)
    if len(named) == 1:
        return named[0], []
    folded = fold(text).strip()
    labels = {fold(label): key for key, variants in options.items() for label in variants}
    if not labels or not folded:
        return None, named
    scored = process.extract(folded, list(labels), scorer=fuzz.WRatio, limit=3)
    best: dict[str, float] = {}
    for label, score, _ in scored:
        key = labels[label]
        best[key] = max(best.get(key, 0.0), float(score))
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < CHOICE_SCORE:
        return None, named
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < CHOICE_MARGIN:
        return None, [ranked[0][0], ranked[1][0]]
    return ranked[0][0], []
