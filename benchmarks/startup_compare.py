"""`benchmarks/startup.py` for any source tree (an older commit unpacked with `git archive`),
so that two versions are timed alternately by the same interpreter and packages.

    python benchmarks/startup_compare.py TREE RUNS MODEL.pkl ["first message"]

Runs `bailleur-bot run` from TREE on a fresh data folder holding a copy of the trained model,
twice untimed (the database created and seeded, the model checked), then RUNS times; prints
wall and CPU medians (this machine is shared: CPU is the steadier figure) with the load average.
With a message, each run also answers it as the first message of a new chat, and the figures
are the start-up and that first turn together (the same without the message gives the turn's
share).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(
    command: list[str], env: dict[str, str], tree: str, message: str = ""
) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    typed = f"{message}\n" if message else ""
    subprocess.run(
        command, input=typed, capture_output=True, text=True, env=env, check=True, cwd=tree
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    tree, runs, model_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    message = sys.argv[4] if len(sys.argv) > 4 else ""

    def command(chat: int) -> list[str]:
        arguments = ["run", "--chat-id", f"startup-{chat}"] if message else ["run"]
        start = f"import sys; sys.path.insert(0, {tree!r}); from bot.cli import main; sys.exit(main({arguments!r}))"
        return [sys.executable, "-c", start]

    with tempfile.TemporaryDirectory() as folder:
        model = os.path.join(folder, "nlu-model.pkl")
        shutil.copyfile(model_file, model)
        env = {
            **os.environ,
            "BAILLEUR_DATA_DIR": folder,
            "BAILLEUR_TODAY": "2026-11-23",
            "BAILLEUR_NLU_MODEL": model,
        }
        env.pop("TELEGRAM_BOT_TOKEN", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as scripts/run.sh starts it
        run_once(command(-1), env, tree, message)
        run_once(command(-2), env, tree, message)
        results = [run_once(command(i), env, tree, message) for i in range(runs)]
    walls, cpus = [w for w, _ in results], [c for _, c in results]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    what = f"run and « {message} »" if message else "run"
    print(
        f"{tree} ({what}): wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}), CPU median"
        f" {statistics.median(cpus):.2f} s (min {min(cpus):.2f}); load average {load}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
