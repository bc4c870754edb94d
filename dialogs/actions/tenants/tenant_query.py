"""What a request for « Mes locataires » asks, from a button's payload or typed words: a search
text (a name, a numéro allocataire, a postcode, a commune, or what else the request says), a
declaration state ("non saisi", "transmis"), the former tenants ("partis"), or one tenant's card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasa_sdk import Tracker

from dialogs.actions.core.answers import plain
from dialogs.actions.core.base import entities
from dialogs.texts import word_groups, words
from services.declarations.models import DeclarationState

STATE_WORDS = {
    DeclarationState(state): keywords
    for state, keywords in word_groups("declaration_states").items()
}
# "mes locataires à Caen", "locataires de Mondeville", "code postal 14540"
_INTRODUCERS = sorted(words("place_introducers"), key=len, reverse=True)
_PLACE = re.compile(
    rf"(?:\b(?:{'|'.join(re.escape(word) for word in _INTRODUCERS)})\s+)([a-z][a-z' -]{{2,40}})$"
)
_POSTCODE = re.compile(r"\b(\d{5})\b")
_NOT_PLACES = set(words("not_places"))
_FORMER_WORDS = tuple(words("former_tenants"))
_LIST_WORDS = set(words("tenant_list_words"))
# « qui reste à faire »: a state's words are never part of a place.
_STATE_PHRASES = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(word)
        for word in sorted({w for ws in STATE_WORDS.values() for w in ws}, key=len, reverse=True)
    )
    + r")\b"
)


def state_of(text: str) -> DeclarationState | None:
    folded = plain(text)
    for state in (DeclarationState.NON_SAISI, DeclarationState.TRANSMIS):
        if any(word in folded for word in STATE_WORDS[state]):
            return state
    return None


def asks_former(text: str) -> bool:
    """ "mes locataires partis", "anciens locataires": the tenants no longer expected."""
    folded = f" {plain(text)} "
    return any(f" {word} " in folded for word in _FORMER_WORDS)


@dataclass(frozen=True)
class Asked:
    """What a message or a button asks of the list: a search text, a state, former tenants, or
    one tenant's card."""

    text: str = ""
    state: DeclarationState | None = None
    former: bool = False
    tenant_id: int | None = None
    # The text is what was left of a request once its own words were taken out, not a name, a
    # number or a place the words designate: matching nothing, it lists every tenant.
    guessed: bool = False


def query_from_message(tracker: Tracker) -> Asked:
    """What is asked, from a payload's entities or a free-text message."""
    values = {e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities", [])}
    if "tenant_query" in values or "tenant_state" in values or "tenant_former" in values:
        state = values.get("tenant_state")
        return Asked(
            text=str(values.get("tenant_query") or ""),
            state=DeclarationState(state) if state else None,
            former=bool(values.get("tenant_former")),
        )
    text = str(tracker.latest_message.get("text") or "")
    if text.startswith("/"):
        return Asked()
    state, former = state_of(text), asks_former(text)
    names = entities(tracker, "tenant_name")
    if names and names[0].get("tenant_id") is not None:
        return Asked(state=state, tenant_id=int(names[0]["tenant_id"]))
    if names:
        named = str(names[0].get("text") or text[names[0]["start"] : names[0]["end"]])
        return Asked(text=named, state=state, former=former)
    numbers = entities(tracker, "allocataire_number")
    if numbers:
        return Asked(text=str(numbers[0]["value"]), state=state, former=former)
    folded = plain(text)
    postcode = _POSTCODE.search(folded)
    if postcode:
        return Asked(text=postcode.group(1), state=state, former=former)
    if place := _place(folded):
        return Asked(text=place, state=state, former=former)
    rest = _rest(folded) if state is None and not former else ""
    return Asked(text=rest, state=state, former=former, guessed=bool(rest))


def _place(folded: str) -> str | None:
    """The commune a request ends on, read in each stretch between a state's words:
    « locataires à Mondeville à déclarer », but no commune « faire » in « reste à faire »."""
    for stretch in reversed(_STATE_PHRASES.split(folded)):
        place = _PLACE.search(stretch.strip())
        if place and _is_place(place.group(1).strip()):
            return place.group(1).strip()
    return None


def _is_place(words_after: str) -> bool:
    """« Mondeville », « saint aubin »; not « loyers a declarer » (« combien de loyers à
    déclarer »), whose first word is one of the list's own words, nor a declaration state."""
    first = words_after.split()[0]
    return (
        words_after not in _NOT_PLACES
        and first not in _LIST_WORDS
        and state_of(words_after) is None
    )


def _rest(folded: str) -> str:
    """What a request for the list says besides asking for it ("mes locataires durand"): a
    search, so that a name with no match is said to match nothing."""
    rest = [word for word in re.findall(r"[a-z0-9'-]+", folded) if word not in _LIST_WORDS]
    return " ".join(rest) if 0 < len(rest) <= 3 else ""
