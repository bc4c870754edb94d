"""Memory per process and state bytes per conversation.

    python benchmarks/memory.py [--chats 200]

Builds the application on a fresh SQLite demo database, then runs `--chats` conversations (each
logs in once and declares a rent up to its recap, the state a chat holds mid-form) and prints:
the process's resident memory after start-up and after the conversations (the NLU model,
the domain, the caches), and the bytes each conversation's row holds (state and kept replies,
as stored JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import build_app
from dialogs.io import Inbound
from services.core.clock import PARIS
from services.core.models import Conversation
from services.core.settings import Settings

TODAY = date(2026, 11, 23)


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(
            Settings(BAILLEUR_DATA_DIR=Path(folder)),
            clock=lambda: datetime.combine(TODAY, clock_time(10, 0), tzinfo=PARIS),
        )
        app.prepare_demo()
        started = resident_mib()
        update = 0
        for chat in range(args.chats):
            for text in ("oliviers.admin", "Oliviers-Demo-2026", "loyer brisson 330"):
                update += 1
                app.engine.handle(
                    Inbound(channel="bench", chat_id=str(chat), text=text, update_id=update)
                )
        after = resident_mib()
        uow = app.uow_factory()
        with uow:
            rows = uow.session.execute(select(Conversation.state, Conversation.replies)).all()
        state = [len(json.dumps(s, ensure_ascii=False).encode()) for s, _ in rows]
        kept = [len(json.dumps(r or [], ensure_ascii=False).encode()) for _, r in rows]
        app.dispose()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"resident memory: {started:.0f} MiB after start-up, {after:.0f} MiB after {args.chats}")
    print(
        f"conversation row: state median {statistics.median(state):.0f} B "
        f"(max {max(state)}), kept replies median {statistics.median(kept):.0f} B "
        f"(max {max(kept)}); load average {load}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
