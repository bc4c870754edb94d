"""The NLU model loaded by the first message it reads, not at start-up.

Unpickling the model imports numpy and reads a few megabytes: a tenth of a second or more of a
start-up that must stay near one second, spent before the first prompt although nothing is
parsed until the user types. At start-up only the training data's fingerprint is compared with
the one the model file was saved with (a small `.key` file beside it, which also holds the
fallback threshold the engine's rules need before any parse): a model out of date is still
trained before the first prompt, as before.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from dialogs.nlu import training_data
from dialogs.nlu.model import FORMAT_VERSION, NluModel
from dialogs.nlu.paths import nlu_data_dir
from dialogs.nlu.tenants import TenantCandidate


class Nlu(Protocol):
    """What the engine asks of the NLU: `NluModel` or `LazyNluModel`."""

    @property
    def fallback_threshold(self) -> float: ...

    def parse(
        self, text: str, *, tenants: Sequence[TenantCandidate] = (), today: date | None = None
    ) -> dict[str, Any]: ...


def key_path(model_path: Path) -> Path:
    return model_path.with_name(model_path.name + ".key")


def save_key(model_path: Path, model: NluModel) -> None:
    """Write, beside the model file, the fingerprint it was trained on and its threshold."""
    key = {
        "format": FORMAT_VERSION,
        "data_hash": model.data_hash,
        "fallback_threshold": model.fallback_threshold,
    }
    if _read_key(model_path) == key:  # already there: nothing written (a read-only model folder)
        return
    # One temporary file per process: workers started together each write the same key, and a
    # shared name let one rename another's file away (FileNotFoundError at start-up).
    temporary = key_path(model_path).with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(key), encoding="ascii")
    temporary.replace(key_path(model_path))


def _read_key(model_path: Path) -> dict[str, Any]:
    try:
        key = json.loads(key_path(model_path).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return {}
    return key if isinstance(key, dict) else {}


class LazyNluModel:
    """The model at `path`, unpickled by the first use (thread-safe)."""

    def __init__(self, path: Path, data_dir: Path, fallback_threshold: float) -> None:
        self._path = path
        self._data_dir = data_dir
        self._fallback_threshold = fallback_threshold
        self._model: NluModel | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> NluModel:
        model = self._model
        if model is None:
            with self._lock:
                if self._model is None:
                    self._model = load_or_train(self._path, self._data_dir)
                model = self._model
        return model

    @property
    def fallback_threshold(self) -> float:
        return self._fallback_threshold

    def parse(
        self, text: str, *, tenants: Sequence[TenantCandidate] = (), today: date | None = None
    ) -> dict[str, Any]:
        return self.model.parse(text, tenants=tenants, today=today)


def load_or_train(path: Path, data_dir: Path | None = None) -> NluModel:
    """The model now (trained when out of date), with its key written for the next start."""
    directory = data_dir or nlu_data_dir()
    model = NluModel.load_or_train(path, directory)
    if model.data_hash:
        save_key(path, model)
    return model


def load_when_used(path: Path, data_dir: Path | None = None) -> Nlu:
    """A model whose key says it is current, loaded by its first use; otherwise the model
    loaded (or trained) now."""
    directory = data_dir or nlu_data_dir()
    key = _read_key(path)
    threshold = key.get("fallback_threshold")
    if (
        path.exists()
        and key.get("format") == FORMAT_VERSION
        and key.get("data_hash") == training_data.fingerprint(directory)
        and isinstance(threshold, float)
    ):
        return LazyNluModel(path, directory, threshold)
    return load_or_train(path, directory)


def preload(nlu: Nlu) -> None:
    """Load a lazy model now (a supervisor, before forking its workers)."""
    if isinstance(nlu, LazyNluModel):
        nlu.model  # noqa: B018 - loading is the point
