"""The Rasa-format domain and rules (`domain/*.yml`, `rules/*.yml`, one file per capability),
loaded from the package so any working directory works."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

from services.core.yaml_files import read_yaml

CAPABILITIES = ("core", "accounts", "tenants", "declarations", "payments", "reminders")
"""The domain and rules files, one per capability as in `dialogs.actions` and `services`."""


def _files(folder: str, capability: str) -> list[str]:
    """A capability's file of `folder`, then its topic files (`declarations_bulk.yml`)."""
    topics = sorted(
        entry.name
        for entry in resources.files("dialogs").joinpath(folder).iterdir()
        if entry.name.startswith(f"{capability}_") and entry.name.endswith(".yml")
    )
    return [f"{folder}/{capability}.yml", *(f"{folder}/{name}" for name in topics)]


def _load_yaml(name: str) -> dict[str, Any]:
    data: dict[str, Any] = read_yaml("dialogs", name)
    return data


class _Blank(dict[str, Any]):
    """Leaves unknown placeholders visible instead of crashing on a missing value."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class RenderedResponse:
    text: str
    buttons: tuple[dict[str, Any], ...] = ()


@dataclass
class Domain:
    """Domain and rules as data, with the few look-ups the engine needs."""

    data: dict[str, Any]
    rules: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls) -> Domain:
        """The packaged domain, read once per process and shared: nobody changes it."""
        return _packaged_domain()

    @classmethod
    def read(cls) -> Domain:
        """Read `domain/<capability>.yml` and `rules/<capability>.yml` for every capability, merged
        as Rasa merges a domain directory: lists joined without repeats, mappings united."""
        data: dict[str, Any] = {}
        rules: list[dict[str, Any]] = []
        for capability in CAPABILITIES:
            for name in _files("domain", capability):
                for key, value in _load_yaml(name).items():
                    if isinstance(value, list):
                        known = data.setdefault(key, [])
                        known.extend(item for item in value if item not in known)
                    elif isinstance(value, dict):
                        data.setdefault(key, {}).update(value)
                    else:
                        data.setdefault(key, value)
            for name in _files("rules", capability):
                rules.extend(_load_yaml(name).get("rules", []))
        return cls(data=data, rules=rules)

    @property
    def slots(self) -> dict[str, Any]:
        slots: dict[str, Any] = self.data.get("slots", {})
        return slots

    @property
    def forms(self) -> dict[str, Any]:
        forms: dict[str, Any] = self.data.get("forms", {})
        return forms

    def form_slots(self, form: str) -> list[str]:
        return list(self.forms.get(form, {}).get("required_slots", []))

    def has_response(self, name: str) -> bool:
        return name in self.data.get("responses", {})

    def render(
        self, name: str, /, for_channel: str | None = None, **values: Any
    ) -> RenderedResponse:
        """A response with its placeholders filled from `values`: the variant written for
        `for_channel` (Rasa's `channel:` key, « tapez valider » in the terminal where « appuyez
        sur Valider » has no button to press), else the first variant written for every channel.
        """
        plain = self._plain.get((name, for_channel))
        if plain is not None:
            return plain
        variants = self.data.get("responses", {}).get(name)
        if not variants:
            raise KeyError(f"unknown response {name}")
        variant = next(
            (v for v in variants if for_channel is not None and v.get("channel") == for_channel),
            None,
        ) or next((v for v in variants if not v.get("channel")), variants[0])
        text: str = variant.get("text", "")
        rendered = RenderedResponse(
            # str.format_map, as string.Formatter would (same syntax, `_Blank` for missing
            # values), in C: a quarter of the time, for the dozen texts with values of a recap; an
            # optional last part left empty leaves no blank line.
            text=text.format_map(_Blank(values)).rstrip() if "{" in text else text,
            buttons=tuple(variant.get("buttons", [])),
        )
        if "{" not in text:
            # Most texts (labels, options, questions) have no placeholder: the same response
            # whatever the values, kept (a declaration renders about 70 of them).
            self._plain[(name, for_channel)] = rendered
        return rendered

    @cached_property
    def _plain(self) -> dict[tuple[str, str | None], RenderedResponse]:
        return {}

    @cached_property
    def intent_rules(self) -> dict[str, list[str]]:
        """intent -> the actions a rule runs for it when no form is active."""
        table: dict[str, list[str]] = {}
        for rule in self.rules:
            if rule.get("condition"):
                continue
            steps = rule.get("steps", [])
            if steps and "intent" in steps[0]:
                table[steps[0]["intent"]] = [s["action"] for s in steps[1:] if "action" in s]
        return table

    @cached_property
    def form_completion(self) -> dict[str, list[str]]:
        """form -> the actions a rule runs once the form is complete."""
        table: dict[str, list[str]] = {}
        for rule in self.rules:
            for condition in rule.get("condition", []):
                form = condition.get("active_loop")
                if form:
                    steps = rule.get("steps", [])
                    actions = [s["action"] for s in steps if "action" in s and s["action"] != form]
                    table[form] = actions
        return table

    @cached_property
    def _rasa_dict(self) -> dict[str, Any]:
        return {**self.data, "__rules__": self.rules}

    def as_rasa_dict(self) -> dict[str, Any]:
        """The domain as rasa-sdk actions receive it; `__rules__` lets menus offer only what
        this assistant can do (absent behind a real Rasa server, where every intent is shown)."""
        return self._rasa_dict


@cache
def _packaged_domain() -> Domain:
    return Domain.read()
