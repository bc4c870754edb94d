"""NLU timings: training, loading, and parse time per message over the held-out set.

Run: `python benchmarks/nlu_bench.py`. Parsing includes entity extraction and tenant matching
against the six demo tenants plus four more (ten candidates), over both held-out sets. Start-up
is a fresh Python process importing the NLU, loading the saved model and parsing one message
(that no training library is imported is checked by `tests/unit/nlu/test_nlu_runtime.py`).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dialogs.nlu import NluModel, TenantCandidate, training_data
from dialogs.nlu import evaluate as evaluation
from dialogs.nlu.tenants import DEMO_TENANTS

TENANTS = (
    *DEMO_TENANTS,
    TenantCandidate(7, "Jean", "DUPONT"),
    TenantCandidate(8, "Élodie", "LÉGER"),
    TenantCandidate(9, "Karim", "BENALI"),
    TenantCandidate(10, "Sophie", "MOREL"),
)
ROUNDS = 5
STARTUP_ROUNDS = 3
STARTUP = """
import sys, time
start = time.perf_counter()
from pathlib import Path
from dialogs.nlu import NluModel
NluModel.load(Path(sys.argv[1])).parse("bjr mme brisson paye plus depuis septembre")
print(time.perf_counter() - start)
"""


def startup_seconds(path: Path) -> float:
    """Median over a few fresh processes: import, load, first parse."""
    root = Path(__file__).resolve().parents[1]
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", STARTUP, str(path)],
                capture_output=True,
                text=True,
                check=True,
                cwd=root,
            ).stdout
        )
        for _ in range(STARTUP_ROUNDS)
    ]
    return statistics.median(runs)


def main() -> None:
    start, cpu = time.perf_counter(), time.process_time()
    model = NluModel.train()
    train_seconds = time.perf_counter() - start
    train_cpu = time.process_time() - cpu
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nlu-model.pkl"
        model.save(path)
        start = time.perf_counter()
        model = NluModel.load(path)
        load_seconds = time.perf_counter() - start
        startup = startup_seconds(path)
        size = path.stat().st_size
    files = list(evaluation.test_files().values())
    texts = [e.text for e in training_data.load_examples(files)]
    model.parse(texts[0], tenants=TENANTS)  # warm caches before timing
    timings = []
    cpu_timings = []
    for _ in range(ROUNDS):
        for text in texts:
            start, cpu = time.perf_counter(), time.process_time()
            model.parse(text, tenants=TENANTS, today=evaluation.EVAL_TODAY)
            cpu_timings.append(time.process_time() - cpu)
            timings.append(time.perf_counter() - start)
    timings.sort()
    cpu_timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    # CPU time of this process: what the parse costs, without the waits of a loaded machine.
    cpu_p95 = cpu_timings[int(len(cpu_timings) * 0.95)]
    print(f"training:      {train_seconds:.2f} s (CPU {train_cpu:.2f} s)")
    print(f"loading:       {load_seconds * 1000:.1f} ms ({size / 1e6:.1f} MB model file)")
    print(f"start-up:      {startup:.2f} s (fresh process: import, load, first parse)")
    print(
        f"parse median:  {statistics.median(timings) * 1000:.3f} ms "
        f"({len(texts)} messages x {ROUNDS}, {len(TENANTS)} tenants)"
    )
    print(f"parse p95:     {p95 * 1000:.3f} ms")
    print(
        f"parse CPU:     median {statistics.median(cpu_timings) * 1000:.3f} ms, "
        f"p95 {cpu_p95 * 1000:.3f} ms"
    )


if __name__ == "__main__":
    main()
