"""Input checked at a service's boundary: a pydantic model whose refusal names the answer to fix."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.core.errors import InvalidValue

Model = TypeVar("Model", bound=BaseModel)


def validated(model: type[Model], **values: Any) -> Model:
    """Build the boundary model; a refusal becomes `InvalidValue("invalid_<field>")` so the dialog
    can say which answer to correct."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        location = exc.errors()[0]["loc"]
        field = str(location[0]) if location else "input"
        raise InvalidValue(f"invalid_{field}") from exc
