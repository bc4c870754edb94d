"""NLU timings: training, loading, and parse time per message over the held-out set.

Run: `python benchmarks/nlu_bench.py`. Parsing includes entity extraction and tenant matching
against the six demo tenants plus four more (ten candidates), over both held-out sets. Start-up
without training libraries is checked by `tests/unit/nlu/test_nlu_runtime.py`.
"""

from __future__ import annotations

import statistics
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


def main() -> None:
    start = time.perf_counter()
    model = NluModel.train()
    train_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nlu-model.pkl"
        model.save(path)
        start = time.perf_counter()
        model = NluModel.load(path)
        load_seconds = time.perf_counter() - start
    files = list(evaluation.test_files().values())
    texts = [e.text for e in training_data.load_examples(files)]
    model.parse(texts[0], tenants=TENANTS)  # warm caches before timing
    timings = []
    for _ in range(ROUNDS):
        for text in texts:
            start = time.perf_counter()
            model.parse(text, tenants=TENANTS, today=evaluation.EVAL_TODAY)
            timings.append(time.perf_counter() - start)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(f"training:      {train_seconds:.2f} s")
    print(f"loading:       {load_seconds * 1000:.1f} ms")
    print(
        f"parse median:  {statistics.median(timings) * 1000:.3f} ms "
        f"({len(texts)} messages x {ROUNDS}, {len(TENANTS)} tenants)"
    )
    print(f"parse p95:     {p95 * 1000:.3f} ms")


if __name__ == "__main__":
    main()
