"""How long the « Valider » of every unchanged rent takes through the real engine, against what
the bot announces (« environ N secondes »).

A fresh demo database in a temporary folder, the generated organisation of `seed --large`, then
the turns a landlord makes: « tous mes loyers sont inchangés » (the recap, page 1) and Valider,
with a progress reporter that records when each report comes. Prints each turn's wall and CPU
time, when the first report (the estimate) and the last came, and the estimate itself. The
estimate is worth keeping while the measured turn stays at or below it.

    python benchmarks/bulk_turn.py [--tenants 2000] [--database-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import build_app
from dialogs.io import Inbound, Reply
from dialogs.progress import REPORTER
from services.core.settings import Settings
from services.demo.large import seed_large

TODAY = "2026-07-10"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=2_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        values = {"BAILLEUR_DATA_DIR": Path(folder), "BAILLEUR_TODAY": TODAY}
        if args.database_url:
            values["DATABASE_URL"] = args.database_url
        app = build_app(Settings(**values))
        app.prepare_demo()
        large = seed_large(app.uow_factory(), today=app.clock().date(), tenants=args.tenants)

        def send(**message: str) -> Reply:
            return app.engine.handle(Inbound(channel="bench", chat_id="large", **message))

        send(text=large.login)
        send(text=large.password)
        start, used = time.perf_counter(), time.process_time()
        recap = send(text="tous mes loyers sont inchangés")
        print(
            f"recap turn (page 1)      {time.perf_counter() - start:6.2f} s wall, "
            f"{time.process_time() - used:5.2f} s CPU"
        )
        key = next(c.key for m in recap.messages for c in m.choices if c.label.startswith("Val"))
        reports: list[tuple[float, str]] = []
        start, used = time.perf_counter(), time.process_time()
        token = REPORTER.set(lambda text, last: reports.append((time.perf_counter(), text)))
        try:
            done = send(choice=key)
        finally:
            REPORTER.reset(token)
        wall, cpu = time.perf_counter() - start, time.process_time() - used
        app.dispose()
    print(f"« Valider » turn         {wall:6.2f} s wall, {cpu:5.2f} s CPU")
    if reports:
        print(f"first report after       {reports[0][0] - start:6.2f} s: {reports[0][1]}")
        print(f"last report after        {reports[-1][0] - start:6.2f} s: {reports[-1][1]}")
    print("said: " + done.messages[0].text.splitlines()[0])
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
