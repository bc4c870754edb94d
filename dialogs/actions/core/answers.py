"""How the dialogs read an answer, shared by every form: text folded for keyword tests, the option a
pressed button carries, Valider / Modifier / Quitter on a recap, an optional answer skipped, ISO
dates and months from the NLU, and a response's text for sentences assembled from parts."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import entities
from dialogs.payloads import payload
from dialogs.texts import text, word_groups, words

CONFIRM_WORDS = word_groups("recap_choices")
SKIP_WORDS = words("skip_words")
SKIP_STARTS = words("skip_starts")
SKIP = "skip"


def plain(text: str) -> str:
    """Lower case without accents, for keyword tests on free text."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def option(tracker: Tracker) -> str | None:
    found = entities(tracker, "option")
    return str(found[0]["value"]) if found else None


def recap_buttons() -> list[dict[str, Any]]:
    return [
        {"title": text("utter_button_valider"), "payload": payload("choose", option="valider")},
        {"title": text("utter_button_modifier"), "payload": payload("choose", option="modifier")},
        {"title": text("utter_button_quitter"), "payload": payload("choose", option="quitter")},
    ]


def skip_button(response: str = "utter_button_skip") -> dict[str, Any]:
    """A button that skips an optional answer, titled by `response`."""
    return {"title": text(response), "payload": payload("choose", option=SKIP)}


def yes_no(value: bool) -> str:
    """ "Oui" or "Non", as the recaps write an answer."""
    return text("utter_word_yes" if value else "utter_word_no")


def choice(tracker: Tracker, value: Any, words: Mapping[str, tuple[str, ...]]) -> str | None:
    """The option of a pressed button, else the first keyword group found in the text."""
    pressed = option(tracker)
    if pressed in words:
        return pressed
    text = plain(str(value or ""))
    for key, keywords in words.items():
        if any(word in text for word in keywords):
            return key
    return None


def optional_text(value: Any) -> str | None:
    """An optional free answer: "" when skipped (so the form moves on), else the text."""
    text = str(value or "").strip()
    folded = plain(text)
    if text == SKIP or not text or folded in SKIP_WORDS or folded.startswith(SKIP_STARTS):
        return ""
    return text


def parse_iso_date(value: Any) -> date | None:
    """A `date` entity value (YYYY-MM-DD); None for anything else (free text not understood)."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def parse_iso_month(value: Any) -> date | None:
    """A `month` entity value (YYYY-MM) or a date, as the first day of the month."""
    text = str(value)
    try:
        if len(text) == 7:
            return date.fromisoformat(f"{text}-01")
        return date.fromisoformat(text).replace(day=1)
    except ValueError:
        return None


def format_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def response_text(domain: DomainDict, name: str) -> str:
    """The text of a response, for sentences assembled from parts (e.g. password-rule reasons),
    so every French word stays in the domain."""
    variants: list[dict[str, Any]] = domain.get("responses", {}).get(name, [])
    return str(variants[0].get("text", "")) if variants else name


def active_form(tracker: Tracker) -> str | None:
    loop = tracker.active_loop or {}
    name = loop.get("name")
    return str(name) if name else None
