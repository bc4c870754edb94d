"""Button payloads in Rasa's form: "/intent" or "/intent{"entity": value}"."""

from __future__ import annotations

import json
import re
from typing import Any

_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$", re.DOTALL)


def payload(intent: str, **entities: Any) -> str:
    """Build a payload; entity values must be JSON-serialisable."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}{json.dumps(entities, ensure_ascii=False, separators=(',', ':'))}"


def parse_payload(text: str) -> dict[str, Any] | None:
    """A parse result (Rasa format, confidence 1) for a payload, or None if it is not one."""
    match = _PAYLOAD.match(text.strip())
    if match is None:
        return None
    entities: list[dict[str, Any]] = []
    if match.group("entities"):
        try:
            values = json.loads(match.group("entities"))
        except json.JSONDecodeError:
            return None
        if not isinstance(values, dict):
            return None
        entities = [{"entity": key, "value": value} for key, value in values.items()]
    return {
        "text": text,
        "intent": {"name": match.group("intent"), "confidence": 1.0},
        "intent_ranking": [{"name": match.group("intent"), "confidence": 1.0}],
        "entities": entities,
    }
