"""The letters and emails that carry credentials, as the outbox stores them: a subject and a
body, written from `texts.yml`. Credentials travel only in these, never in the chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.documents.texts import format_paris, text


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def _common() -> dict[str, str]:
    return {"not_you": text("letters.not_you"), "signature": text("letters.signature")}


def credentials_email(
    *, organisation: str, login: str, password: str, expires_at: datetime, subject_key: str
) -> Letter:
    """The identifier and a provisional password by email, valid until `expires_at`."""
    body = text(
        "letters.credentials_email",
        organisation=organisation,
        login=login,
        password=password,
        expiry=format_paris(expires_at),
        **_common(),
    )
    return Letter(subject=text(f"letters.{subject_key}"), body=body)


def credentials_letters(
    *, user_number: str, login: str, password: str, valid_days: int
) -> tuple[Letter, Letter]:
    """By post, the identifier and the password (valid `valid_days` days) in two letters."""
    subject = text("letters.credentials_subject")
    values = {
        "user_number": user_number,
        "login": login,
        "password": password,
        "valid_days": valid_days,
        **_common(),
    }
    return (
        Letter(
            subject=text("letters.identifier_letter_subject", subject=subject),
            body=text("letters.identifier_letter", **values),
        ),
        Letter(
            subject=text("letters.password_letter_subject", subject=subject),
            body=text("letters.password_letter", **values),
        ),
    )


def welcome_email(
    *,
    first_name: str,
    last_name: str,
    organisation: str,
    login: str,
    password: str,
    expires_at: datetime | None,
) -> Letter:
    """A new user's identifier and provisional password."""
    until = text("letters.welcome_until", expiry=format_paris(expires_at)) if expires_at else ""
    body = text(
        "letters.welcome_email",
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        login=login,
        password=password,
        until=until,
        signature=text("letters.signature"),
    )
    return Letter(subject=text("letters.welcome_subject"), body=body)
