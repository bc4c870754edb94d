"""The packaged YAML files (domain, rules, lexicon, texts, the rules table), parsed once and kept
parsed beside them.

Parsing them took about 30 ms of every start-up, and importing PyYAML 10 ms more, for files that
change only with the code. The parsed data is pickled in the `__pycache__` folder beside the
file, as Python keeps a compiled module, under the digest of the file's bytes: a start reads the
file and the pickle, compares the digests, and parses (importing PyYAML) only when the file
changed. Written as Python writes compiled modules: not when `sys.dont_write_bytecode` is set
(PYTHONDONTWRITEBYTECODE), never failing where the folder is read-only, and atomically by each
process (its own temporary name, then a rename) since several workers start at once. The pickle
is trusted as the compiled modules next to it are.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from importlib import resources
from pathlib import Path
from typing import Any

# Changes when what is stored changes (the loader, the layout of the pickle).
FORMAT = b"yaml-c-safe-1"


def read_yaml(package: str, name: str) -> Any:
    """The document `name` of `package`, as PyYAML's safe loader reads it."""
    source = resources.files(package).joinpath(name)
    raw = source.read_bytes()
    if not isinstance(source, Path):  # inside a zip: nowhere to keep it
        return parse(raw)
    digest = hashlib.blake2b(FORMAT + raw, digest_size=16).digest()
    kept = source.parent / "__pycache__" / f"{source.name}.pickle"
    try:
        with kept.open("rb") as file:
            stored, data = pickle.load(file)
        if stored == digest:
            return data
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
        pass  # none yet, or damaged: parsed again
    data = parse(raw)
    if not sys.dont_write_bytecode:
        _keep(kept, digest, data)
    return data


def parse(raw: bytes) -> Any:
    """The document, read by libyaml's safe loader where PyYAML was built with it."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(raw.decode("utf-8"), Loader=loader)


def _keep(kept: Path, digest: bytes, data: Any) -> None:
    temporary = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
    try:
        kept.parent.mkdir(exist_ok=True)
        temporary.write_bytes(pickle.dumps((digest, data), protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(kept)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
