"""Which of the landlord's tenants a message names.

Landlords write "mme brisson", "Isabelle Brison", "BRISSON ISABELLE" or just "isabelle". Names are
compared word by word after folding, tolerating one typo (two in names of eight letters or more),
in any order. A surname shared by several tenants yields one mention with all their ids, so the
engine can ask which one was meant instead of guessing.
"""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from dialogs.nlu.normalise import fold

_WORD = re.compile(r"[a-z]+")
_MIN_FUZZY_LENGTH = 4
# Frequent words that sit one typo away from plausible names; never read as a name.
_NEVER_NAMES = frozenset(
    """
        avec bien dans depuis elle elles euros euro fois leur leurs loyer loyers mais mois merci
        madame monsieur mademoiselle mme mlle locataire locataires paye payer paie plus pour
        rien sans sont tous tout toute toutes votre vous nous notre mars juin juillet aout avril
        mai janvier fevrier septembre octobre novembre decembre caf apl declarer declare fait
        faire quoi quand comment aussi encore jamais toujours date montant nom prenom oui non
        bonjour
    """.split()  # noqa: SIM905 - a word list reads better as text
)


@dataclass(frozen=True)
class TenantCandidate:
    """A tenant the user may name, as the engine knows it within the user's scope."""

    id: int
    first_name: str
    last_name: str

    @property
    def canonical(self) -> str:
        """Display form used as the entity value: "BRISSON Isabelle"."""
        first = self.first_name.strip()
        if first.isupper():
            first = first.title()
        return f"{self.last_name.strip().upper()} {first}".strip()


@dataclass(frozen=True)
class _Hit:
    token: int
    tenant: TenantCandidate
    surname: bool
    exact: bool


@functools.lru_cache(maxsize=1024)
def _name_words(name: str) -> tuple[str, ...]:
    words = _WORD.findall(fold(name))
    significant = [w for w in words if len(w) >= 3]
    return tuple(significant or words)


def _close(word: str, name_word: str) -> tuple[bool, bool]:
    """(matches, exactly) for one word of the message against one word of a name."""
    if word == name_word:
        return True, True
    if len(word) < _MIN_FUZZY_LENGTH or len(name_word) < _MIN_FUZZY_LENGTH:
        return False, False
    allowed = 2 if len(name_word) >= 8 else 1
    if abs(len(word) - len(name_word)) > allowed:
        return False, False
    return OSA.distance(word, name_word, score_cutoff=allowed) <= allowed, False


Owners = dict[str, list[tuple[int, bool, int]]]
# The index of the last few tenant lists, by identity: the engine hands the same list to every
# turn while the user's scope holds (`dialogs.engine.scope`), and building the index of 200
# tenants' name words was a quarter of the name matching. The list is kept with its index, so
# its identity cannot be reused by another list while it is here.
_INDEXES: OrderedDict[int, tuple[Sequence[TenantCandidate], int, Owners, list[str]]] = OrderedDict()
_INDEXES_KEPT = 64
_INDEXES_LOCK = Lock()


def _owners(tenants: Sequence[TenantCandidate]) -> tuple[Owners, list[str]]:
    """Each distinct name word -> (tenant position, is surname, word order), and those words."""
    with _INDEXES_LOCK:
        kept = _INDEXES.get(id(tenants))
        if kept is not None and kept[0] is tenants and kept[1] == len(tenants):
            _INDEXES.move_to_end(id(tenants))
            return kept[2], kept[3]
    owners: Owners = {}
    for position, tenant in enumerate(tenants):
        for is_surname, name in ((True, tenant.last_name), (False, tenant.first_name)):
            for order, part in enumerate(_name_words(name)):
                owners.setdefault(part, []).append((position, is_surname, order))
    choices = list(owners)
    with _INDEXES_LOCK:
        _INDEXES[id(tenants)] = (tenants, len(tenants), owners, choices)
        while len(_INDEXES) > _INDEXES_KEPT:
            _INDEXES.popitem(last=False)
    return owners, choices


def _may_name(word: str) -> bool:
    return len(word) >= 3 and word not in _NEVER_NAMES


def _hits(
    words: list[str], tenants: Sequence[TenantCandidate], real_words: frozenset[str]
) -> list[_Hit]:
    """For each word of the message, the tenants whose surname or first name it matches (at most
    one hit per word, tenant and kind of name: the name's first matching word says whether it
    matched exactly), in the tenants' order, surname first.

    The names' distinct words are compared with each message word in one rapidfuzz call (the
    tenants of a scope share many words); only the few close ones are looked at in Python:
    comparing each word with each tenant's each name in Python was a tenth of a turn's CPU with
    200 tenants. A real French word (`real_words`) names a tenant only exactly: « petite »,
    « clair », « mairie » are no typos of Petit, Claire or Marie."""
    read = [(index, word) for index, word in enumerate(words) if _may_name(word)]
    if not read:
        return []
    owners, choices = _owners(tenants)
    hits: list[_Hit] = []
    for index, word in read:
        close: dict[str, bool] = {word: True} if word in owners else {}
        if len(word) >= _MIN_FUZZY_LENGTH and word not in real_words:
            for part, _distance, _at in process.extract(
                word, choices, scorer=OSA.distance, score_cutoff=2, limit=None
            ):
                if part != word and _close(word, part)[0]:
                    close[part] = False
        first: dict[tuple[int, bool], tuple[int, bool]] = {}
        for part, exact in close.items():
            for position, is_surname, order in owners[part]:
                known = first.get((position, is_surname))
                if known is None or order < known[0]:
                    first[(position, is_surname)] = (order, exact)
        for (position, is_surname), (_order, exact) in sorted(
            first.items(), key=lambda item: (item[0][0], not item[0][1])
        ):
            hits.append(_Hit(index, tenants[position], is_surname, exact))
    return hits


def _entity(
    spans: list[tuple[int, int]], tenants: list[TenantCandidate], first: int, last: int
) -> dict[str, Any]:
    unique = sorted({t.id: t for t in tenants}.values(), key=lambda t: t.id)
    entity: dict[str, Any] = {
        "entity": "tenant_name",
        "start": spans[first][0],
        "end": spans[last][1],
    }
    if len(unique) == 1:
        entity["value"] = unique[0].canonical
        entity["tenant_id"] = unique[0].id
    else:
        entity["value"] = unique[0].last_name.strip().upper()
        entity["candidates"] = [t.id for t in unique]
    return entity


def _best(hits: list[_Hit]) -> list[_Hit]:
    """Exact matches beat typo matches; surnames beat first names."""
    for surname in (True, False):
        for exact in (True, False):
            chosen = [h for h in hits if h.surname == surname and h.exact == exact]
            if chosen:
                return chosen
    return []


def match_tenants(
    text: str, tenants: Sequence[TenantCandidate], real_words: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """Tenant mentions in `text`, as Rasa entities (`tenant_id`, or `candidates` when ambiguous);
    `real_words`: French words, matched to a name only exactly."""
    if not tenants:
        return []
    found = list(_WORD.finditer(fold(text)))
    words = [m.group() for m in found]
    spans = [m.span() for m in found]
    hits = _hits(words, tenants, real_words)
    used: set[int] = set()
    entities: list[dict[str, Any]] = []

    # Surname and first name next to each other (either order, one word may sit between).
    by_tenant: dict[int, list[_Hit]] = {}
    for hit in hits:
        by_tenant.setdefault(hit.tenant.id, []).append(hit)
    full: dict[tuple[int, int], list[TenantCandidate]] = {}
    for tenant_hits in by_tenant.values():
        for s in (h for h in tenant_hits if h.surname):
            for g in (h for h in tenant_hits if not h.surname):
                if 0 < abs(s.token - g.token) <= 2:
                    key = (min(s.token, g.token), max(s.token, g.token))
                    full.setdefault(key, []).append(s.tenant)
    for (first, last), group in sorted(full.items()):
        if first in used or last in used:
            continue
        used.update({first, last})
        entities.append(_entity(spans, group, first, last))

    by_token: dict[int, list[_Hit]] = {}
    for hit in hits:
        if hit.token not in used:
            by_token.setdefault(hit.token, []).append(hit)
    for token, token_hits in sorted(by_token.items()):
        best = _best(token_hits)
        entities.append(_entity(spans, [h.tenant for h in best], token, token))
    entities.sort(key=lambda e: e["start"])
    return entities


# The tenants of the CAF guide's example screen: the fallback when no database is reachable and
# the reference list of the held-out evaluation.
DEMO_TENANTS: tuple[TenantCandidate, ...] = (
    TenantCandidate(1, "Vincent", "BEAUVOIS"),
    TenantCandidate(2, "Isabelle", "BRISSON"),
    TenantCandidate(3, "Anthony", "COUTURE"),
    TenantCandidate(4, "Maryline", "DUPONT"),
    TenantCandidate(5, "Syndy", "MILOME"),
    TenantCandidate(6, "Esther", "MUROT"),
)
