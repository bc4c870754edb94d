"""At run time the model is applied with numpy only: no training library is imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys, time
start = time.perf_counter()
from pathlib import Path
from dialogs.nlu import NluModel
model = NluModel.load(Path(sys.argv[1]))
result = model.parse("bjr mme brisson paye plus depuis septembre")
elapsed = time.perf_counter() - start
heavy = sorted(m for m in ("sklearn", "scipy", "spacy", "thinc") if m in sys.modules)
print(json.dumps({"heavy": heavy, "seconds": elapsed, "intent": result["intent"]["name"]}))
"""


def test_load_and_parse_import_no_training_library(model_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(model_path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    report = json.loads(done.stdout)
    assert report["heavy"] == []
    assert report["intent"] == "report_unpaid"
    assert report["seconds"] < 5  # about 0.3 s on an idle machine; generous for a busy CI
