"""Money as integer cents: reading amounts the way French landlords type them, and writing them back.

Floats never carry money here: text goes to `Decimal`, then to whole cents.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from text_to_num import alpha2digit

from services.core.errors import AmountError

_CURRENCY = re.compile(r"(€|eur(?:o|os)?\b|e\b)", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[ .\u00a0\u202f']\d{3})+(?:,\d{1,2})?$")
_HAS_DIGIT = re.compile(r"\d")

MAX_CENTS = 10_000_000_00


def parse_amount(text: str) -> int:
    """Read an amount in euros and return it in cents.

    Accepts "328,75", "328.75 €", "330 euros", "330e", "1 250,00 €", "1.250,00" and amounts in
    words ("trois cent trente euros"). Raises `AmountError` with a reason code when the text is not
    an amount, has more than two decimals, or is not strictly positive.
    """
    raw = text.strip().lower()
    if not raw:
        raise AmountError("empty")
    if not _HAS_DIGIT.search(raw):
        raw = alpha2digit(raw, "fr")
    raw = raw.replace("euros", " ").replace("euro", " ")
    raw = _CURRENCY.sub(" ", raw).strip()
    raw = raw.replace("−", "-")
    compact = _SPACES.sub(" ", raw).strip()
    if _GROUPED.match(compact):
        compact = re.sub(r"[ .\u00a0\u202f']", "", compact)
    else:
        compact = compact.replace(" ", "")
    if not _NUMBER.match(compact):
        raise AmountError("not_a_number")
    try:
        value = Decimal(compact.replace(",", "."))
    except InvalidOperation as exc:
        raise AmountError("not_a_number") from exc
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise AmountError("too_many_decimals")
    cents = int((value * 100).to_integral_value())
    if cents <= 0:
        raise AmountError("not_positive")
    if cents > MAX_CENTS:
        raise AmountError("too_large")
    return cents


def format_euros(cents: int) -> str:
    """Write cents the French way (plain spaces, so every channel and PDF font shows them):
    32875 -> "328,75 €", 125000 -> "1 250,00 €"."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", " ")
    return f"{sign}{grouped},{rest:02d} €"
