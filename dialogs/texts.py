"""The French words the dialogs use beyond whole messages, read from data instead of code.

- `text(name, ...)`: a response of the domain (`domain/*.yml`) used as a piece of a message: a
  button title, a recap row, a label; placeholders are filled as in any response;
- `words(name)` / `word_groups(name)`: what users type that a form recognises (`vocabulary.yml`):
  keywords, not texts the user reads.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from dialogs.domain import Domain
from services.core.yaml_files import read_yaml


def text(name: str, /, **values: Any) -> str:
    """The text of the response `name`, its placeholders filled from `values`."""
    return Domain.load().render(name, **values).text


@cache
def _vocabulary() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml("dialogs", "vocabulary.yml")
    return data


def words(name: str) -> tuple[str, ...]:
    """A list of keywords, in the file's order."""
    return tuple(str(word) for word in _vocabulary()[name])


def numbers(name: str) -> dict[str, int]:
    """Words that stand for numbers ("deux" → 2)."""
    table: dict[str, int] = _vocabulary()[name]
    return {str(word): int(value) for word, value in table.items()}


def word_groups(name: str) -> dict[str, tuple[str, ...]]:
    """Keywords by meaning (e.g. "valider" → the words that mean it), in the file's order."""
    groups: dict[str, list[Any]] = _vocabulary()[name]
    return {str(key): tuple(str(word) for word in values) for key, values in groups.items()}
