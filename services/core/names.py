"""People's names as they are usually written: first names capitalised ("Marie-Claire"),
family names in capitals ("DUPUIS"), whatever case they were typed in."""

from __future__ import annotations

import re

_PARTS = re.compile(r"([\s'\u2019-]+)")


def person_name(text: str, *, family: bool) -> str:
    """The name with its usual case; spaces inside are kept single."""
    cleaned = " ".join(text.split())
    if family:
        return cleaned.upper()
    return "".join(
        part if _PARTS.fullmatch(part) else part[:1].upper() + part[1:].lower()
        for part in _PARTS.split(cleaned)
    )
