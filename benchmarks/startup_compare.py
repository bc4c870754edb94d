"""`benchmarks/startup.py` for any source tree (an older commit unpacked with `git archive`),
so that two versions are timed alternately by the same interpreter and packages.

    python benchmarks/startup_compare.py TREE RUNS MODEL.pkl ["first message"] [--against TREE2]

Runs `bailleur-bot run` from TREE on a fresh data folder holding a copy of the trained model,
twice untimed (the database created and seeded, the model checked), then RUNS times; prints
wall and CPU medians (this machine is shared: CPU is the steadier figure) with the load average.
With a message, each run also answers it as the first message of a new chat, and the figures
are the start-up and that first turn together (the same without the message gives the turn's
share). With `--against`, TREE2 (its own data folder) runs after each run of TREE, so that a
burst of other work on the machine falls on both alike.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


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


class Tree:
    """One source tree, started on its own data folder."""

    def __init__(self, tree: str, folder: Path, model_file: str, message: str) -> None:
        self.tree = tree
        self.message = message
        model = folder / "nlu-model.pkl"
        shutil.copyfile(model_file, model)
        self.env = {
            **os.environ,
            "BAILLEUR_DATA_DIR": str(folder),
            "BAILLEUR_TODAY": "2026-11-23",
            "BAILLEUR_NLU_MODEL": str(model),
        }
        self.env.pop("TELEGRAM_BOT_TOKEN", None)
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)  # as scripts/run.sh starts it
        self.results: list[tuple[float, float]] = []

    def command(self, chat: int) -> list[str]:
        arguments = ["run", "--chat-id", f"startup-{chat}"] if self.message else ["run"]
        start = (
            f"import sys; sys.path.insert(0, {self.tree!r}); from bot.cli import main;"
            f" sys.exit(main({arguments!r}))"
        )
        return [sys.executable, "-c", start]

    def run(self, chat: int, *, timed: bool = True) -> None:
        result = run_once(self.command(chat), self.env, self.tree, self.message)
        if timed:
            self.results.append(result)

    def report(self) -> str:
        walls, cpus = [w for w, _ in self.results], [c for _, c in self.results]
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        what = f"run and « {self.message} »" if self.message else "run"
        return (
            f"{self.tree} ({what}): wall median {statistics.median(walls):.2f} s"
            f" (min {min(walls):.2f}), CPU median {statistics.median(cpus):.2f} s"
            f" (min {min(cpus):.2f}); load average {load}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tree")
    parser.add_argument("runs", type=int)
    parser.add_argument("model")
    parser.add_argument("message", nargs="?", default="")
    parser.add_argument("--against", help="another tree, run after each run of the first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        trees = [Tree(args.tree, Path(first), args.model, args.message)]
        if args.against:
            trees.append(Tree(args.against, Path(second), args.model, args.message))
        for tree in trees:
            tree.run(-1, timed=False)
            tree.run(-2, timed=False)
        for chat in range(args.runs):
            for tree in trees:
                tree.run(chat)
    for tree in trees:
        print(tree.report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
