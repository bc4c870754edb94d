"""Reading the Rasa 3 NLU YAML files: intent examples, entity annotations, synonyms, lookups.

Only the subset of the Rasa format this project uses is read; anything else is rejected loudly
so that a typo in a key does not silently drop training examples.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialogs.nlu.normalise import fold

CHANGE_TYPES = ("end_of_management", "tenant_departure", "flatshare")

# [text](entity) or [text]{"entity": "...", "value": ...}
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<name>[^)]+)\)|(?P<json>\{[^}]*\}))")


@dataclass(frozen=True)
class Annotation:
    """One entity marked in an example; `value` is None when the file gives no normalised value."""

    entity: str
    start: int
    end: int
    value: Any = None


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[Annotation, ...] = ()


@dataclass
class TrainingData:
    examples: list[Example] = field(default_factory=list)
    # folded phrase -> change_type value
    change_type_phrases: dict[str, str] = field(default_factory=dict)
    # folded SMS shortcut -> folded full form
    expansions: dict[str, str] = field(default_factory=dict)
    # lookup name -> folded entries
    lookups: dict[str, list[str]] = field(default_factory=dict)

    @property
    def intents(self) -> list[str]:
        return sorted({e.intent for e in self.examples})


def parse_example(line: str, intent: str) -> Example:
    """Strip the entity annotations from one example, keeping their offsets in the plain text."""
    plain: list[str] = []
    annotations: list[Annotation] = []
    position = 0
    cursor = 0
    for match in _ANNOTATION.finditer(line):
        before = line[cursor : match.start()]
        plain.append(before)
        position += len(before)
        text = match.group("text")
        if match.group("name") is not None:
            entity, value = match.group("name"), None
        else:
            spec = json.loads(match.group("json"))
            entity, value = spec["entity"], spec.get("value")
        annotations.append(Annotation(entity, position, position + len(text), value))
        plain.append(text)
        position += len(text)
        cursor = match.end()
    plain.append(line[cursor:])
    return Example("".join(plain), intent, tuple(annotations))


def _items(block: str) -> list[str]:
    items = []
    for raw in block.splitlines():
        stripped = raw.strip()
        if not stripped:
            continue
        if not stripped.startswith("- "):
            raise ValueError(f"example line must start with '- ': {raw!r}")
        items.append(stripped[2:].strip())
    return items


def _read_file(path: Path, data: TrainingData) -> None:
    import yaml  # here: start-up only compares the data's fingerprint, it parses nothing

    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for entry in document.get("nlu", []) or []:
        items = _items(entry.get("examples", ""))
        if "intent" in entry:
            data.examples.extend(parse_example(item, entry["intent"]) for item in items)
        elif "synonym" in entry:
            target = fold(str(entry["synonym"]))
            for item in items:
                if target in CHANGE_TYPES:
                    data.change_type_phrases[fold(item)] = target
                else:
                    data.expansions[fold(item)] = target
        elif "lookup" in entry:
            data.lookups.setdefault(entry["lookup"], []).extend(fold(i) for i in items)
        elif "regex" in entry:
            continue  # regexes live in code next to their normalisation
        else:
            raise ValueError(f"{path.name}: unsupported NLU entry {sorted(entry)}")


def data_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.iterdir() if p.suffix in {".yml", ".yaml"})


def load(data_dir: Path) -> TrainingData:
    data = TrainingData()
    for path in data_files(data_dir):
        _read_file(path, data)
    if not data.examples:
        raise ValueError(f"no training examples in {data_dir}")
    return data


def load_examples(paths: Iterable[Path]) -> list[Example]:
    """Examples of arbitrary files (the held-out test set), ignoring synonyms and lookups."""
    data = TrainingData()
    for path in paths:
        _read_file(path, data)
    return data.examples


def fingerprint(data_dir: Path) -> str:
    """Hash of the training files, so that a saved model can tell it is out of date."""
    digest = hashlib.sha256()
    for path in data_files(data_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
