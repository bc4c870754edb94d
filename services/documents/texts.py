"""The French of the services, read from `texts.yml`: what the documents, letters and emails say,
how a day, a moment or a month is written, and the few labels the services return.

Why a file of its own: the dialogs' texts are responses of the Rasa domain, which the services may
not read (they never import `dialogs`); everything the services write in French is here instead.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from services.core.clock import PARIS
from services.core.yaml_files import read_yaml


@cache
def _texts() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml("services.documents", "texts.yml")
    return data


def _entry(key: str) -> Any:
    value: Any = _texts()
    for part in key.split("."):
        value = value[part]
    return value


def text(key: str, /, **values: Any) -> str:
    """The text at the dotted `key` ("receipt.rows.tenant"), its {placeholders} filled."""
    template = str(_entry(key))
    return template.format(**values) if values else template


def texts(key: str) -> tuple[str, ...]:
    """A list of texts (the columns of a table)."""
    return tuple(str(item) for item in _entry(key))


def yes_no(value: bool) -> str:
    return text("words.affirmative" if value else "words.negative")


def month_label(month: date) -> str:
    """How the French receipts and statements name a month: "novembre 2026"."""
    return text("month", name=texts("months")[month.month - 1], year=month.year)


def format_paris(moment: datetime) -> str:
    """A timestamp as the user reads it: "23/11/2026 à 10:05" in Paris time."""
    return moment.astimezone(PARIS).strftime(text("moment_format"))


def group_label(dwelling_kind: str, departement: str) -> str:
    """A habilitation group as the services name it: "Logements conventionnés (14)"."""
    kind = text(f"dwelling_kinds.{dwelling_kind}")
    return text("group", kind=kind, departement=departement)
