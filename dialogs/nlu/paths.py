"""Where the bundled training data and the trained model live."""

from __future__ import annotations

import os
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path


def nlu_data_dir() -> Path:
    """The bundled `nlu_data` folder, found as a package resource so any working directory works.

    The data ships as plain files inside the installed package (never zipped), so the resource is a
    real directory. An editable install made while `nlu_data` had no `__init__.py` registers it as
    a namespace package, which `files()` cannot read on Python 3.11; the package's search
    locations give the same folder.
    """
    try:
        return Path(str(files("nlu_data")))
    except (NotADirectoryError, TypeError):
        spec = find_spec("nlu_data")
        locations = list(spec.submodule_search_locations or []) if spec else []
        for location in locations:
            if Path(location).is_dir():
                return Path(location)
        raise FileNotFoundError("the nlu_data package is not installed") from None


def default_model_path() -> Path:
    """`$BAILLEUR_DATA_DIR/nlu-model.pkl`, else `~/.local/share/bailleur-bot/nlu-model.pkl`.

    `$XDG_DATA_HOME` replaces `~/.local/share` when set, as in `services.settings`, so the CLI and
    the bot find the same file.
    """
    base = os.environ.get("BAILLEUR_DATA_DIR")
    if base:
        return Path(base).expanduser() / "nlu-model.pkl"
    share = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(share) / "bailleur-bot" / "nlu-model.pkl"
