"""How long the payments chart takes to render, and what matplotlib costs the first time.

Renders the 12-month chart of the demo landlord (LES OLIVIERS, 6 tenants) on a fresh demo
database in a temporary folder: the import of matplotlib (paid once per process, on the first
chart, never at start-up), the first chart, then `--runs` charts in a row, as picture only
(`render_payments_chart`) and with the query (`payments_chart`, what « mes paiements » does).
The target is 200 ms per chart once matplotlib is loaded.

    python benchmarks/payments_chart.py [--runs 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from bot.bootstrap import build_app
from services.accounts.models import User
from services.core.settings import Settings
from services.documents.charts import ChartBar, render_payments_chart
from services.payments.chart import payments_chart

TODAY = date(2026, 11, 23)
TARGET_MS = 200.0


def _ms(seconds: float) -> float:
    return seconds * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    assert "matplotlib" not in sys.modules, "matplotlib must not load with the application"
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(BAILLEUR_DATA_DIR=Path(folder), BAILLEUR_TODAY=TODAY.isoformat())
        app = build_app(settings)
        app.prepare_demo()
        with app.uow_factory() as uow:
            user_id = uow.session.scalars(
                select(User.id).where(User.login == "oliviers.admin")
            ).one()
        start = time.perf_counter()
        import matplotlib.pyplot  # noqa: F401  (what the first chart pays)

        imported = time.perf_counter() - start
        start = time.perf_counter()
        first = payments_chart(app.uow_factory(), user_id=user_id, today=TODAY)
        first_chart = time.perf_counter() - start
        bars = [
            ChartBar(date(2025 + (m + 10) // 12, (m + 10) % 12 + 1, 1), 99500) for m in range(12)
        ]
        render, full, cpu, full_cpu = [], [], [], []
        for _ in range(args.runs):
            start, used = time.perf_counter(), time.process_time()
            render_payments_chart(bars, title="Paiements de la Caf")
            render.append(time.perf_counter() - start)
            cpu.append(time.process_time() - used)
            start, used = time.perf_counter(), time.process_time()
            payments_chart(app.uow_factory(), user_id=user_id, today=TODAY)
            full.append(time.perf_counter() - start)
            full_cpu.append(time.process_time() - used)
        app.dispose()
    start, used = time.perf_counter(), time.process_time()
    sum(i * i for i in range(3_000_000))
    reference = (time.perf_counter() - start, time.process_time() - used)

    def line(name: str, samples: list[float]) -> str:
        ordered = sorted(samples)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
        return (
            f"{name:<34} median {_ms(statistics.median(samples)):6.1f} ms   "
            f"p95 {_ms(p95):6.1f} ms   max {_ms(max(samples)):6.1f} ms"
        )

    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"PNG of the demo chart: {len(first.png)} bytes")
    print(f"{'import matplotlib (once)':<34} {_ms(imported):6.1f} ms")
    print(f"{'first chart after the import':<34} {_ms(first_chart):6.1f} ms")
    print(line("render only", render))
    print(line("render only, CPU time", cpu))
    print(line("query + render (payments_chart)", full))
    print(line("query + render, CPU time", full_cpu))
    print(
        f"{'reference loop (machine speed)':<34} {_ms(reference[0]):6.1f} ms wall, "
        f"{_ms(reference[1]):6.1f} ms CPU (compare runs by this line)"
    )
    wall, used = _ms(statistics.median(full)), _ms(statistics.median(full_cpu))
    print(
        f"target {TARGET_MS:.0f} ms per chart (median, query included): "
        f"CPU {'OK' if used < TARGET_MS else 'SLOW'} ({used:.0f} ms), "
        f"wall {'OK' if wall < TARGET_MS else 'SLOW'} ({wall:.0f} ms; waits for a core under load)"
    )


if __name__ == "__main__":
    main()
