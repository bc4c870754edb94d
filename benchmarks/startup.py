"""Start-up time: `bailleur-bot run` from the command to the first prompt, once installed.

    python benchmarks/startup.py [--runs 5]

Runs the terminal chat on a prepared data folder (database migrated and seeded, language model
trained: the first, untimed run does that) with an empty input, so the process stops right after
the greeting and the first prompt. Prints wall and CPU time (the process's user + system time,
meaningful on a loaded machine) per run, with the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [str(ROOT / ".venv" / "bin" / "bailleur-bot"), "run"]


def run_once(env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(COMMAND, input="", capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "BAILLEUR_DATA_DIR": folder, "BAILLEUR_TODAY": "2026-11-23"}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as scripts/run.sh starts it
        first_wall, first_cpu = run_once(env)
        runs = [run_once(env) for _ in range(args.runs)]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"first run (model trained, database created): {first_wall:.1f} s, CPU {first_cpu:.1f} s")
    print(
        f"once installed, {args.runs} runs: wall median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}), CPU median {statistics.median(cpus):.2f} s "
        f"(min {min(cpus):.2f}); load average {load}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
