"""Pure rules about credentials and contact details: no database, testable on their own.

- the personal-password rule (long enough, letters, digits and symbols, not the identifier);
- provisional passwords that are easy to copy from a letter (no 0/O, 1/l/I);
- identifiers `prenom.nom` for new users;
- email and French phone numbers as the CAF stores them;
- the 14-character N° utilisateur, typed with spaces or in lower case.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from services.core.errors import InvalidValue

USER_NUMBER_LENGTH = 14

_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_DIGITS = "23456789"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def password_rule_reasons(password: str, *, login: str, min_length: int) -> list[str]:
    """Every part of the personal-password rule `password` breaks, as reason codes; the length
    comes from the rules table."""
    reasons = []
    if len(password) < min_length:
        reasons.append("too_short")
    if not any(char.isalpha() for char in password):
        reasons.append("no_letter")
    if not any(char.isdigit() for char in password):
        reasons.append("no_digit")
    if not any(not char.isalnum() and not char.isspace() for char in password):
        reasons.append("no_symbol")
    if login and login.strip().lower() in password.lower():
        reasons.append("contains_identifier")
    return reasons


def new_provisional_password() -> str:
    """A random password like `Kp7d-M3xq-Rt9z`: 3 groups of 4, both cases, digits, dashes."""
    alphabet = _UPPER + _LOWER + _DIGITS
    while True:
        groups = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3)]
        candidate = "-".join(groups)
        if (
            any(c in _UPPER for c in candidate)
            and any(c in _LOWER for c in candidate)
            and any(c in _DIGITS for c in candidate)
        ):
            return candidate


def slug(text: str) -> str:
    """ASCII lower-case letters, digits and dashes: "Éloïse-Marie" → "eloise-marie"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned


def login_stem(first_name: str, last_name: str) -> str:
    """The identifier before its digits: `prenom.nom`, short enough for the column."""
    return f"{slug(first_name)[:30]}.{slug(last_name)[:40]}".strip(".") or "utilisateur"


def normalise_email(text: str) -> str:
    """A trimmed email with its domain in lower case; `InvalidValue("email_format")` if not one."""
    value = text.strip()
    if len(value) > 200 or not _EMAIL.match(value):
        raise InvalidValue("email_format")
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def normalise_phone(text: str) -> str:
    """A French number as 10 digits ("+33 6 12 34 56 78" → "0612345678").

    Raises `InvalidValue("phone_format")` for anything else.
    """
    value = re.sub(r"[\s.\-/()]", "", text.strip())
    if value.startswith("+33"):
        value = "0" + value[3:]
    elif value.startswith("0033"):
        value = "0" + value[4:]
    if not re.fullmatch(r"0[1-9]\d{8}", value):
        raise InvalidValue("phone_format")
    return value


def normalise_user_number(text: str) -> str:
    """The N° utilisateur without spaces, in capitals; `InvalidValue("user_number_format")`
    unless 14 letters or digits remain."""
    value = re.sub(r"\s+", "", text).upper()
    if len(value) != USER_NUMBER_LENGTH or not value.isascii() or not value.isalnum():
        raise InvalidValue("user_number_format")
    return value
