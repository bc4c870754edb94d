"""Latency of one turn, in-process, state durably saved, and the SQL statements each kind runs.

    python benchmarks/turn_latency.py [--rounds 200] [--database-url URL]

Default database: a fresh SQLite file in a temporary folder with the demo data. With
--database-url (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench), the demo data is
loaded there first (the database must exist and be empty or hold the demo data). The login is
excluded (argon2 is slow on purpose). Kinds of turn:

- declare: "loyer brisson 330" straight to the recap (NLU, tenant scope, facts, defaults)
- answer: "oui" to the engine's own question (leaving the form: the cheapest turn)
- faq: a question answered from the knowledge base
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import App, build_app
from dialogs.io import Inbound
from services.core.clock import PARIS
from services.core.settings import Settings

TODAY = date(2026, 11, 23)


class Counter:
    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, *args: object) -> None:
        self.statements += 1


@contextmanager
def counting(app: App) -> Iterator[Counter]:
    counter = Counter()
    engine = app.uow_factory.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        values = {"BAILLEUR_DATA_DIR": Path(folder)}
        if args.database_url:
            values["DATABASE_URL"] = args.database_url  # type: ignore[assignment]
        app = build_app(
            Settings(**values),
            clock=lambda: datetime.combine(TODAY, clock_time(10, 0), tzinfo=PARIS),
        )
        app.prepare_demo()
        chat = "bench"
        update = 0

        def say(text: str) -> None:
            nonlocal update
            update += 1
            app.engine.handle(Inbound(channel="bench", chat_id=chat, text=text, update_id=update))

        say("oliviers.admin")
        say("Oliviers-Demo-2026")
        timings: dict[str, list[float]] = {"declare": [], "answer": [], "faq": []}
        statements: dict[str, list[int]] = {"declare": [], "answer": [], "faq": []}
        script = (
            ("declare", "loyer brisson 330"),
            ("answer", "annuler"),
            ("answer", "oui"),
            ("faq", "c'est quoi le numéro utilisateur"),
        )
        for _ in range(10):  # warm-up: caches, lazy imports, connections
            for _, text in script:
                say(text)
        for _ in range(args.rounds):
            for kind, text in script:
                with counting(app) as counter:
                    start = time.perf_counter()
                    say(text)
                    timings[kind].append((time.perf_counter() - start) * 1000)
                statements[kind].append(counter.statements)
        backend = "PostgreSQL" if args.database_url.startswith("postgresql") else "SQLite"
        print(f"{backend}, {args.rounds} rounds")
        print(f"{'turn':<10} {'p50 ms':>8} {'p99 ms':>8} {'SQL/turn':>9}")
        for kind, values_ms in timings.items():
            print(
                f"{kind:<10} {statistics.median(values_ms):>8.2f} "
                f"{percentile(values_ms, 0.99):>8.2f} {statistics.median(statements[kind]):>9.0f}"
            )
        app.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
