"""The "Créer un utilisateur" form, validated as a whole at the boundary with pydantic.

Every field in error is reported at once as `InvalidFields({field: reason})`; the reason codes
are: required, email_format, mismatch, phone_format, confirmation_required, before_opening,
invalid (a value of the wrong type). Group ownership needs the database: `services.accounts.users`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from services.accounts.credentials import normalise_email, normalise_phone
from services.core.errors import InvalidFields, InvalidValue


def _fail(reason: str) -> PydanticCustomError:
    return PydanticCustomError(reason, reason)


class NewUserForm(BaseModel):
    """Nom*, prénom*, email* typed twice, phone typed twice if given, dates in order."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    last_name: str
    first_name: str
    email: str
    email_confirmation: str
    phone: str | None = None
    phone_confirmation: str | None = None
    mobile_worker: bool = False
    group_ids: tuple[int, ...]
    opened_on: date
    closed_on: date | None = None

    @field_validator("last_name", "first_name")
    @classmethod
    def _required(cls, value: str) -> str:
        if not value:
            raise _fail("required")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not value:
            raise _fail("required")
        try:
            return normalise_email(value)
        except InvalidValue as exc:
            raise _fail(exc.reason) from exc

    @field_validator("email_confirmation")
    @classmethod
    def _email_twice(cls, value: str, info: ValidationInfo) -> str:
        email = info.data.get("email")
        if email is not None and value.lower() != email.lower():
            raise _fail("mismatch")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return normalise_phone(value)
        except InvalidValue as exc:
            raise _fail(exc.reason) from exc

    @field_validator("phone_confirmation")
    @classmethod
    def _phone_twice(cls, value: str | None, info: ValidationInfo) -> str | None:
        phone = info.data.get("phone")
        if "phone" not in info.data or phone is None:
            return value
        if not value:
            raise _fail("confirmation_required")
        try:
            same = normalise_phone(value) == phone
        except InvalidValue:
            same = False
        if not same:
            raise _fail("mismatch")
        return phone

    @field_validator("group_ids")
    @classmethod
    def _groups(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value:
            raise _fail("required")
        return tuple(dict.fromkeys(value))

    @field_validator("closed_on")
    @classmethod
    def _dates(cls, value: date | None, info: ValidationInfo) -> date | None:
        opened = info.data.get("opened_on")
        if value is not None and opened is not None and value <= opened:
            raise _fail("before_opening")
        return value


_OUR_REASONS = {
    "required",
    "email_format",
    "mismatch",
    "phone_format",
    "confirmation_required",
    "before_opening",
}


def parse_new_user(**values: Any) -> NewUserForm:
    """Validate the form; raises `InvalidFields` listing every field in error."""
    try:
        return NewUserForm(**values)
    except ValidationError as exc:
        fields: dict[str, str] = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            reason = error["type"] if error["type"] in _OUR_REASONS else "invalid"
            if error["type"] == "missing":
                reason = "required"
            fields.setdefault(field, reason)
        raise InvalidFields(fields) from exc
