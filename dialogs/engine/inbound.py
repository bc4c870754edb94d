"""Text checked at the edge, before anything reads or stores it.

A message the database would refuse later (a NUL byte on PostgreSQL, a lone surrogate from a
Latin-1 terminal) or that could hide its meaning (bidirectional overrides) is refused here,
politely, so that nothing of it reaches the NLU, a slot or a table. The length is bounded before
any parsing, so no pattern ever runs on a huge input.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 4_096
_ALLOWED_CONTROLS = {"\n", "\t"}
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


PASSWORD_LENGTHS = range(10, 129)


def looks_like_password(text: str) -> bool:
    """One word mixing lower and upper case, digits and a sign, as the CAF's passwords must:
    a password typed when none was asked (« Lettre-Provisoire-1 » at another question) is then
    never read nor kept, and the chat deletes it. Identifiers (lower case), N° utilisateur
    (letters and digits only), emails and references do not look like one."""
    if len(text) not in PASSWORD_LENGTHS or any(c.isspace() for c in text) or "@" in text:
        return False
    return (
        any(c.islower() for c in text)
        and any(c.isupper() for c in text)
        and any(c.isdigit() for c in text)
        and any(not c.isalnum() for c in text)
        and "://" not in text
    )


@dataclass(frozen=True)
class Checked:
    """The cleaned text, or the reason it is refused (`too_long`, `invalid_characters`)."""

    text: str = ""
    refused: str | None = None


def check_text(raw: str) -> Checked:
    if len(raw) > MAX_LENGTH:
        return Checked(refused="too_long")
    for char in raw:
        if char in _ALLOWED_CONTROLS:
            continue
        if "\ud800" <= char <= "\udfff" or char in _BIDI:
            return Checked(refused="invalid_characters")
        if unicodedata.category(char) == "Cc" and char != "\r":
            return Checked(refused="invalid_characters")
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return Checked(text=text)
