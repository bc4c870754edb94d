"""Reading what a landlord types at the bulk recap: the exceptions ("sauf brisson 340 €",
"pas murot", "couture 400, milome 410 et pas dupuis") and the recap's choices.

A pure function of the text and the candidates (the tenants still to declare): names are matched
with rapidfuzz (one typo tolerated in longer names), amounts read by `parse_amount`. A clause is
a part of the message between commas, semicolons or "et"; in it, each amount goes to the tenant
named just before it (or just after, "340 pour brisson"); a tenant named with no amount is taken
out when the clause says so ("pas", "sans", "sauf" alone). Words that name no candidate are
returned, so the user hears which name was not found instead of silence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from dialogs.forms.lexicon import Wording, lexicon, says_any, words
from dialogs.forms.message import find_numbers
from dialogs.nlu.amounts import CHARGES, WITH_CHARGES, amount_role
from dialogs.nlu.normalise import fold
from dialogs.texts import word_groups
from dialogs.texts import words as vocabulary
from services.core.errors import AmountError
from services.core.money import parse_amount

_AMOUNT = re.compile(
    r"(?<![\w])\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?(?![\w])|\d+(?:[.,]\d+)?"
)
_CLAUSES = re.compile(r"[;,\n]|\s(?:et|puis|ensuite)\s")
_PLACEHOLDER = "montantbulk"
NAME_SCORE = 85
SHORT_NAME = 4
# A keyword this long also matches the words it starts ("quit" -> "quitter").
PREFIX = 4


@dataclass(frozen=True)
class Candidate:
    tenant_id: int
    last_name: str
    first_name: str


@dataclass
class Exceptions:
    """What a message changes: new amounts (tenant id -> cents), tenants taken out, and what
    could not be placed (unknown names, amounts with no tenant, tenants whose amount is wrong,
    names that fit several tenants)."""

    amounts: dict[int, int] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)
    orphan_amounts: list[str] = field(default_factory=list)
    bad_amounts: dict[int, str] = field(default_factory=dict)
    ambiguous: list[Candidate] = field(default_factory=list)
    # Rents said with their charges and no charges beside them (tenant id -> cents): never
    # declared as typed, since the CAF asks for the rent without charges; the tenant is taken
    # out meanwhile.
    with_charges: dict[int, int] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return bool(self.amounts or self.removed or self.bad_amounts or self.with_charges)

    @property
    def anything(self) -> bool:
        return self.found or bool(self.unknown or self.orphan_amounts or self.ambiguous)


def _has(message: list[str], phrases: Sequence[str]) -> bool:
    return says_any(message, phrases, prefix=PREFIX)


def asks_everyone(text: str) -> bool:
    """ "tous mes loyers sont inchangés", "même loyer pour tout le monde"."""
    message = words(text)
    return _wording("bulk_everyone").said(message) and _wording("bulk_unchanged").said(message)


@cache
def _fillers() -> frozenset[str]:
    """Words of the bulk recap that name nobody, read once."""
    return frozenset(vocabulary("bulk_fillers"))


@cache
def _wording(group: str) -> Wording:
    """A vocabulary group prepared once: asked of every message a logged-in user types."""
    return Wording.of(vocabulary(group), prefix=PREFIX)


SEVERAL = 2


def several_rents(text: str, entities: Sequence[dict[str, Any]]) -> bool:
    """« brisson 330 et couture 390 »: two tenants or more, each with an amount, in one message
    (the recap of those rents, never one rent with the others lost)."""
    tenants = {str(e.get("value")) for e in entities if e.get("entity") == "tenant_name"}
    amounts = [e for e in entities if e.get("entity") == "amount"]
    folded = fold(text)
    bare = find_numbers(folded, list(entities))
    if len(tenants) >= SEVERAL and len(amounts) + len(bare) >= SEVERAL:
        return True
    # « brisson 345 et petit 410 » where brisson is no tenant of the user: a rent in each of
    # two clauses is two rents, never petit's with the other amount; the recap of several rents
    # says which name it did not find.
    starts = [e["start"] for e in amounts if e.get("role") != CHARGES and "start" in e]
    starts += [number.start for number in bare if not number.negated]
    cuts = [match.start() for match in _CLAUSES.finditer(folded)]
    fillers = _fillers()
    clauses = {
        sum(cut < start for cut in cuts)
        for start in starts
        if _named_before(folded[max([0, *(cut for cut in cuts if cut < start)]) : start], fillers)
    }
    return bool(tenants) and len(clauses) >= SEVERAL


def _named_before(before: str, fillers: frozenset[str]) -> bool:
    """An amount right after a word that may be a name (« brisson 345 »), not after nothing or
    a filler (« 12 rue des lilas », « au 12 », « loyer de 480 »)."""
    said = [word for word in words(before) if word.isalnum()]
    return bool(said) and said[-1].isalpha() and len(said[-1]) > 1 and said[-1] not in fillers


def asks_bulk(text: str) -> bool:
    """A message only the recap of every rent answers, wherever it is typed: every rent
    unchanged, or an exception to that recap ("sauf couture 400", "sauf murot")."""
    message = [w for w in words(text) if w.isalnum()]
    return asks_everyone(text) or (len(message) >= 2 and message[0] == "sauf")


def rent_opening(text: str, entities: Sequence[dict[str, Any]]) -> str | None:
    """What a rent request opens instead of one rent: "bulk", the recap of every rent or of
    several ("tous inchangés", "brisson 330 et couture 390"); "template", the spreadsheet to fill
    in (« envoie moi le tableau des loyers », with no tenant or amount named)."""
    if asks_bulk(text) or several_rents(text, entities):
        return "bulk"
    named = {e.get("entity") for e in entities} & {"tenant_name", "amount"}
    message = [w for w in words(text) if w.isalnum()]
    if not named and _has(message, word_groups("bulk_choices")["template"]):
        return "template"
    return None


def choice_of(text: str) -> str | None:
    """The recap choice a message makes on its own (valider, page, template, quitter)."""
    message = [w for w in words(text) if w.isalnum()]
    if not message or len(message) > 4 or _AMOUNT.search(text):
        return None
    forms, said = lexicon(), words(text)
    if forms.has("negation", said) or forms.has("refuse", said):
        return None  # "ne validez pas", "pas encore": never a choice, least of all Valider
    for choice, phrases in word_groups("bulk_choices").items():
        if _has(message, phrases):
            if choice == "valider" and not forms.covers(said, ("confirm", "agree", "filler")):
                return None  # a yes with other words in it is asked again, as at every recap
            return choice
    return None


class NameIndex:
    """The candidates' names, folded, for matching the words of a message."""

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.last: dict[str, list[Candidate]] = {}
        self.first: dict[int, set[str]] = {}
        for candidate in candidates:
            for part in words(candidate.last_name):
                if part.isalnum():
                    self.last.setdefault(part, []).append(candidate)
            self.first[candidate.tenant_id] = set(words(candidate.first_name))

    def match(self, word: str) -> list[Candidate]:
        if word in self.last:
            return self.last[word]
        if len(word) < SHORT_NAME:
            return []
        scored = [
            (fuzz.ratio(word, name), name)
            for name in self.last
            if abs(len(name) - len(word)) <= 1 and len(name) >= SHORT_NAME
        ]
        best = max(scored, default=(0.0, ""))
        return self.last[best[1]] if best[0] >= NAME_SCORE else []


def read_exceptions(text: str, candidates: Sequence[Candidate]) -> Exceptions:
    """The exceptions a message states about these candidates."""
    index = NameIndex(candidates)
    fillers = _fillers()
    remove_words = vocabulary("bulk_remove")
    amounts: list[str] = []
    roles: list[str | None] = []
    source = text.replace("€", " ")
    folded = fold(source)

    def hold(match: re.Match[str]) -> str:
        amounts.append(match.group(0))
        roles.append(amount_role(folded, match.start(), match.end()))
        return f" {_PLACEHOLDER}{len(amounts) - 1} "

    held = _AMOUNT.sub(hold, source)
    result = Exceptions()
    removing = False
    previous: list[Candidate] = []  # the last tenant named, for charges said in the next clause
    for clause in _CLAUSES.split(f" {held} "):
        message = words(clause)
        has_amount = any(w.startswith(_PLACEHOLDER) for w in message)
        # "retire murot et milome": a clause of names alone goes on with the previous one.
        removing = _has(message, remove_words) or (removing and not has_amount)
        named: list[list[Candidate]] = []
        pending: list[int] = []  # positions in `named` still waiting for an amount
        loose: list[int] = []  # amounts (their numbers) said before their tenant

        def give(group: list[Candidate], number: int) -> None:
            if roles[number] == WITH_CHARGES:
                _with_charges(result, group, amounts[number])
            else:
                _amount(result, group, amounts[number])

        for position, word in enumerate(message):
            if word.startswith(_PLACEHOLDER):
                number = int(word.removeprefix(_PLACEHOLDER))
                if roles[number] == CHARGES:
                    _charges(result, named[-1] if named else previous, amounts[number])
                elif pending:
                    give(named[pending.pop(0)], number)
                else:
                    loose.append(number)
                continue
            if not word.isalpha() or word in fillers or _has([word], remove_words):
                continue
            found = index.match(word)
            if not found:
                if not any(word in index.first[c.tenant_id] for group in named for c in group):
                    result.unknown.append(word)
                continue
            if len(found) > 1:
                following = set(message[position + 1 : position + 3]) | set(
                    message[max(0, position - 2) : position]
                )
                narrowed = [c for c in found if index.first[c.tenant_id] & following]
                found = narrowed or found
            named.append(found)
            if loose:
                give(found, loose.pop(0))
            else:
                pending.append(len(named) - 1)
        for position in pending:
            group = named[position]
            if removing or "sauf" in message:
                if len(group) == 1:
                    result.removed.add(group[0].tenant_id)
                    result.amounts.pop(group[0].tenant_id, None)
                else:
                    result.ambiguous.append(group[0])
        previous = named[-1] if named else previous
        unknown_here = any(w.isalpha() and w in result.unknown for w in message)
        if not unknown_here:
            result.orphan_amounts.extend(amounts[number] for number in loose)
    return result


def _with_charges(result: Exceptions, group: list[Candidate], raw: str) -> None:
    """A rent said with its charges: kept aside until the charges beside it take it down."""
    _amount(result, group, raw)
    if len(group) == 1 and group[0].tenant_id in result.amounts:
        result.with_charges[group[0].tenant_id] = result.amounts.pop(group[0].tenant_id)
        result.removed.add(group[0].tenant_id)  # never last year's amount by default


def _charges(result: Exceptions, group: list[Candidate], raw: str) -> None:
    """Charges said after a rent with its charges (« milome 400 cc dont 40 de charges »)."""
    if len(group) != 1 or group[0].tenant_id not in result.with_charges:
        return
    try:
        charges = parse_amount(raw)
    except AmountError:
        return
    total = result.with_charges[group[0].tenant_id]
    if 0 < charges < total:
        del result.with_charges[group[0].tenant_id]
        result.removed.discard(group[0].tenant_id)
        result.amounts[group[0].tenant_id] = total - charges


def _amount(result: Exceptions, group: list[Candidate], raw: str) -> None:
    if len(group) > 1:
        result.ambiguous.append(group[0])
        return
    tenant = group[0].tenant_id
    try:
        result.amounts[tenant] = parse_amount(raw)
    except AmountError:
        result.bad_amounts[tenant] = raw
        return
    result.removed.discard(tenant)
    result.bad_amounts.pop(tenant, None)
