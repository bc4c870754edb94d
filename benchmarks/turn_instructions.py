"""Instructions per turn, counted by callgrind: a figure the machine's load does not change.

    BAILLEUR_NLU_MODEL=<trained model> python benchmarks/turn_instructions.py [--rounds 30] [--tree DIR]

The turns of `turn_latency.py` (SQLite, a generated organisation, the same script of six
messages a round), run again under `valgrind --tool=callgrind` (valgrind must be installed):
instrumentation is switched on after the warm-up (`callgrind_control`), and callgrind writes
the counts out before each call of `math.lcm`, which ends every measured turn (nothing in the
bot calls it). Prints the median instructions per kind of turn and the mean per round. Give
`BAILLEUR_NLU_MODEL` a trained model: training it under valgrind would take many minutes.
`--tree`: another copy of the project (`git archive <rev> | tar -x -C DIR`), measured with this
interpreter and these packages, for before and after figures. Hash randomisation is fixed
(`PYTHONHASHSEED=0`): two runs of one tree then differ by about 0.3 %. Instructions are not
time: a loop of pure Python runs many cheap instructions, a cache miss costs few; use them to
compare two trees, and CPU time for what a turn costs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve()
CHILD = "TURN_INSTRUCTIONS_OUT"


def _latency_module(tree: Path) -> ModuleType:
    """`turn_latency.py` of `tree`: its helpers, and the tree's code first on the path."""
    spec = importlib.util.spec_from_file_location(
        "turn_latency", tree / "benchmarks" / "turn_latency.py"
    )
    if spec is None or spec.loader is None:
        raise SystemExit(f"no benchmarks/turn_latency.py in {tree}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(tree: Path, rounds: int, out: Path) -> None:
    """Under callgrind: the warm-up, then one dump per measured turn; the kinds in order."""
    latency = _latency_module(tree)
    from bot.bootstrap import build_app
    from dialogs.io import Inbound
    from services.core.settings import Settings
    from services.demo.large import seed_large

    with tempfile.TemporaryDirectory() as folder:
        app = build_app(
            Settings(BAILLEUR_DATA_DIR=Path(folder)),
            clock=lambda: datetime.combine(latency.TODAY, clock_time(10, 0), tzinfo=latency.PARIS),
        )
        app.prepare_demo()
        large = seed_large(app.uow_factory(), today=latency.TODAY, tenants=max(200, rounds * 2))
        latency.first_login_done(app, large.login)
        names = latency.tenant_names(app, large.name, rounds + 10)
        updates = iter(range(1, 1_000_000))

        def say(text: str) -> None:
            app.engine.handle(
                Inbound(channel="bench", chat_id="bench", text=text, update_id=next(updates))
            )

        say(large.login)
        say(large.password)
        for name in names[:10]:  # warm-up: caches, lazy imports, connections
            for _, text in latency.script(name):
                say(text)
        kinds: list[str] = []
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True)
        math.lcm(6, 4)  # the counts so far (the switch itself) are written out
        for name in names[10 : 10 + rounds]:
            for kind, text in latency.script(name):
                say(text)
                math.lcm(6, 4)
                kinds.append(kind)
        (out / "kinds.json").write_text(json.dumps(kinds))
        app.dispose()


def _total(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise ValueError(f"no total in {dump}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--tree", type=Path, default=HERE.parents[1])
    args = parser.parse_args()
    tree = args.tree.resolve()
    if os.environ.get(CHILD):
        measure(tree, args.rounds, Path(os.environ[CHILD]))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            "--dump-before=math_lcm",
            f"--callgrind-out-file={out / 'callgrind.out'}",
            sys.executable,
            str(HERE),
            "--rounds",
            str(args.rounds),
            "--tree",
            str(tree),
        ]
        env = {**os.environ, CHILD: str(out), "PYTHONHASHSEED": "0"}
        subprocess.run(command, check=True, env=env, cwd=tree, capture_output=True)
        kinds = json.loads((out / "kinds.json").read_text())
        dumps = sorted(out.glob("callgrind.out.*"), key=lambda p: int(p.suffix[1:]))
        turns = [_total(dump) for dump in dumps[1 : 1 + len(kinds)]]  # the first: the switch
    by_kind: dict[str, list[int]] = {}
    for kind, count in zip(kinds, turns, strict=True):
        by_kind.setdefault(kind, []).append(count)
    print(f"{tree}: {args.rounds} rounds, millions of instructions per turn (callgrind)")
    print(f"{'turn':<10} {'median':>8} {'mean':>8}")
    for kind, counts in by_kind.items():
        median, mean = statistics.median(counts) / 1e6, statistics.mean(counts) / 1e6
        print(f"{kind:<10} {median:>8.2f} {mean:>8.2f}")
    print(f"{'round':<10} {'':>8} {sum(turns) / args.rounds / 1e6:>8.2f} (six turns)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
