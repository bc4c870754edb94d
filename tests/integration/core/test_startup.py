"""Starting the terminal chat on a prepared installation imports no training library, no
migration tool (the schema is current), and none of the libraries only some turns need: the PDF
and spreadsheet libraries, the chart's, numpy (the NLU model is unpickled by the first message
parsed), rasa-sdk's server (Sanic) and the phone numbers' metadata; nor
PyYAML once the packaged YAML files are kept parsed, nor the action modules and the services'
views that the greeting does not use: what keeps `bailleur-bot run` under a second."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import json, sys
from bot import cli
code = cli.main(["run"])
heavy = sorted(
    m
    for m in (
        "sklearn", "scipy", "alembic", "mako", "reportlab", "openpyxl", "matplotlib", "PIL",
        "numpy", "sanic", "phonenumbers", "yaml",
        "dialogs.actions.declarations.rent", "dialogs.actions.accounts.users",
        "services.tenants.views",
    )
    if m in sys.modules
)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def test_the_run_path_imports_no_training_migration_document_or_server_library(
    tmp_path: Path, sqlite_template: Path, nlu_model_file: Path
) -> None:
    database = tmp_path / "bot.db"
    shutil.copyfile(sqlite_template, database)
    model = tmp_path / "nlu-model.pkl"
    shutil.copyfile(nlu_model_file, model)
    env = {
        **os.environ,
        "BAILLEUR_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{database}",
        "BAILLEUR_NLU_MODEL": str(model),
        "BAILLEUR_TODAY": "2026-11-23",
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as scripts/run.sh starts it

    def start() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", SCRIPT],
            input="",
            capture_output=True,
            text=True,
            env=env,
            check=True,
            cwd=Path(__file__).resolve().parents[3],
            timeout=120,
        )

    start()  # the first start checks the model once and notes it is current (its `.key`),
    # and keeps the packaged YAML files parsed
    done = start()
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "heavy": []}
    assert "Bonjour" in done.stdout
    assert "Premier lancement" not in done.stdout


def test_the_trained_model_comes_with_its_key_so_a_start_writes_nothing_beside_it(
    tmp_path: Path, nlu_model_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bailleur-bot train` (the Dockerfile's) writes the model's `.key`: a start then takes the
    model as current and loads it without writing anything in its folder, which the image's user
    cannot write to (found by the first real `docker compose up`: PermissionError on every
    start)."""
    from bot import cli
    from dialogs.nlu import NluModel, lazy

    model = tmp_path / "model" / "nlu-model.pkl"
    model.parent.mkdir()
    monkeypatch.setenv("BAILLEUR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BAILLEUR_NLU_MODEL", str(model))
    monkeypatch.setattr(NluModel, "train", classmethod(lambda cls: NluModel.load(nlu_model_file)))
    assert cli.main(["train"]) == 0
    assert lazy.key_path(model).exists()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError("the model folder is read-only")

    monkeypatch.setattr(Path, "write_text", refuse)
    monkeypatch.setattr(Path, "write_bytes", refuse)
    nlu = lazy.load_when_used(model)
    assert isinstance(nlu, lazy.LazyNluModel)
    lazy.preload(nlu)  # what the webhook supervisor does before forking its workers
