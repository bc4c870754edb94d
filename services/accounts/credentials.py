"""Pure rules about credentials and contact details: no database, testable on their own.

- the personal-password rule (long enough and at most 128 characters as typed, spaces included, letters, digits
  and symbols, not the identifier, not a common or published password: `refused_passwords.yml`);
- provisional passwords that are easy to copy from a letter (no 0/O, 1/l/I);
- identifiers `prenom.nom` for new users;
- email and French phone numbers as the CAF stores them (phones read by `phonenumbers`, Google's
  libphonenumber: metropolitan France and the overseas départements);
- the 14-character N° utilisateur, typed with spaces or in lower case.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from functools import cache

from services.core.errors import InvalidValue
from services.core.yaml_files import read_yaml

# Long enough for any passphrase, short enough that hashing an input never costs much.
MAX_PASSWORD_LENGTH = 128
USER_NUMBER_LENGTH = 14
MAX_PHONE_TEXT = 40
# Regions whose numbers the CAF stores as 10 national digits: metropolitan France first, then
# the overseas départements and collectivités that share the French numbering plan.
PHONE_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF")
_PHONE_CHARACTERS = re.compile(r"^\+?[\d\s.\-/()]+$")

_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_DIGITS = "23456789"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


@cache
def refused_passwords() -> frozenset[str]:
    """Common and published passwords (the demo accounts' among them), folded: never personal."""
    data = read_yaml("services.accounts", "refused_passwords.yml") or {}
    return frozenset(str(p).strip().casefold() for group in data.values() for p in group or [])


def password_rule_reasons(password: str, *, login: str, min_length: int) -> list[str]:
    """Every part of the personal-password rule `password` breaks, as reason codes; the length
    comes from the rules table. The password is judged as typed: leading and trailing spaces are
    part of it."""
    reasons = []
    if len(password) < min_length:
        reasons.append("too_short")
    if len(password) > MAX_PASSWORD_LENGTH:
        reasons.append("too_long")
    if not any(char.isalpha() for char in password):
        reasons.append("no_letter")
    if not any(char.isdigit() for char in password):
        reasons.append("no_digit")
    if not any(not char.isalnum() and not char.isspace() for char in password):
        reasons.append("no_symbol")
    if login and login.strip().lower() in password.lower():
        reasons.append("contains_identifier")
    if password.strip().casefold() in refused_passwords():
        reasons.append("common")
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
    """A valid French number as its 10 national digits ("+33 6 12 34 56 78" → "0612345678",
    "0262 12 34 56" → "0262123456").

    Raises `InvalidValue("phone_format")` for anything else (letters, a foreign or unassigned
    number, a digit too many).
    """
    value = text.strip()
    if len(value) > MAX_PHONE_TEXT or not _PHONE_CHARACTERS.match(value):
        raise InvalidValue("phone_format")
    if value.startswith("00"):
        value = "+" + value[2:]
    import phonenumbers  # its metadata is loaded by the first phone number read, not at start-up

    for region in PHONE_REGIONS:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            raise InvalidValue("phone_format") from None
        if (
            phonenumbers.is_valid_number(number)
            and phonenumbers.region_code_for_number(number) in PHONE_REGIONS
        ):
            digits = "0" + phonenumbers.national_significant_number(number)
            if len(digits) == 10:
                return digits
        if value.startswith("+"):
            break  # an international number has one reading only
    raise InvalidValue("phone_format")


def normalise_user_number(text: str) -> str:
    """The N° utilisateur without spaces, in capitals; `InvalidValue("user_number_format")`
    unless 14 letters or digits remain."""
    value = re.sub(r"\s+", "", text).upper()
    if len(value) != USER_NUMBER_LENGTH or not value.isascii() or not value.isalnum():
        raise InvalidValue("user_number_format")
    return value
