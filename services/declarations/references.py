"""Receipt references of transmitted declarations: "LOY-2026-1A2B3C4D" for a July rent, "DEP-",
"FDG-", "COL-" for changes, "IMP-" for an unpaid report."""

from __future__ import annotations

import secrets


def new_reference(prefix: str, year: int) -> str:
    """A receipt reference such as "DEP-2026-1A2B3C4D"; the column is unique, so a (rare)
    collision fails the transaction instead of giving two declarations one reference."""
    return f"{prefix}-{year}-{secrets.token_hex(4).upper()}"
