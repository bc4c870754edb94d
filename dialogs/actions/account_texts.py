"""Small helpers shared by the account dialogs: French texts kept in the domain, buttons' options."""

from __future__ import annotations

import math
import unicodedata
from datetime import timedelta
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from dialogs.actions.base import entities


def response_text(domain: DomainDict, name: str) -> str:
    """The text of a response, for sentences assembled from parts (e.g. password-rule reasons),
    so every French word stays in the domain."""
    variants: list[dict[str, Any]] = domain.get("responses", {}).get(name, [])
    return str(variants[0].get("text", "")) if variants else name


def plain(text: str) -> str:
    """Lower case without accents, to compare what users type with keywords."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def option(tracker: Tracker) -> str | None:
    """The `option` a pressed button carries, if any."""
    found = entities(tracker, "option")
    return str(found[0]["value"]) if found else None


def wait_text(delay: timedelta) -> str:
    """A French duration, rounded up: "12 minutes", "2 heures"."""
    minutes = max(1, math.ceil(delay.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} heure{'s' if hours > 1 else ''}"


def active_form(tracker: Tracker) -> str | None:
    loop = tracker.active_loop or {}
    name = loop.get("name")
    return str(name) if name else None
