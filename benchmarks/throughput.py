"""Complete rent declarations per second with 1, 2 and 4 worker processes, and where the limit is.

    python benchmarks/throughput.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench
        [--workers 1 2 4] [--seconds 20] [--chats 4] [--profile [--profile-file worker.prof]]

Each worker process is what a webhook worker runs per update (the engine's turn, state durably
saved), without the HTTP and Bot API calls around it: it builds the application once, then
`--chats` threads each play logged-in landlords, one after the other: a login (identifier,
password, hashed with cheap argon2 parameters: once per session), then for each of their 18 tenants the one-message declaration
("loyer garnier 330", "oui"), then a logout. Every landlord is generated for the run
(`services.demo.population`, password hashed once). Reported per number of workers: complete
declarations per second over the measured window (logins included in the time), worker CPU and
PostgreSQL CPU per declaration (from /proc), and turns run again after a lock conflict.
`--profile` prints where one worker's time goes (cProfile, cumulative).

The database must exist; it is migrated and the demo data loaded if missing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import os
import pstats
import queue
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argon2

from bot.bootstrap import build_app
from dialogs.io import Inbound
from services.accounts.passwords import PasswordHasher
from services.core.clock import PARIS
from services.core.schema import upgrade
from services.core.settings import Settings
from services.demo.population import Landlord, add_landlords

TODAY = date(2026, 11, 23)
PASSWORD = "Charge-Banc-2026"
# argon2id at its cheapest, as in the tests: the login stays in the measured time (one per
# session), but not argon2's deliberate cost (about 0.2 s of CPU per strong verification on an
# idle core, which would measure the hash, not the workers).
CHEAP_PASSWORDS = PasswordHasher(argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
TENANTS_EACH = 18


@dataclass
class Result:
    declarations: int
    turns: int
    seconds: float
    cpu_seconds: float


def _clock() -> datetime:
    return datetime.combine(TODAY, clock_time(10, 0), tzinfo=PARIS)


def _worker(
    url: str,
    data_dir: Path,
    landlords: list[Landlord],
    chats: int,
    seconds: float,
    start_at: float,
    profile: bool,
    results: multiprocessing.Queue[Result | str],
    profile_file: str = "",
) -> None:
    settings = Settings(BAILLEUR_DATA_DIR=data_dir, DATABASE_URL=url)
    # As the webhook supervisor does before forking: the NLU model and reportlab loaded.
    app = build_app(settings, clock=_clock, passwords=CHEAP_PASSWORDS).preloaded()
    waiting = list(landlords)
    lock = threading.Lock()
    counts = {"declarations": 0, "turns": 0}
    stop_at = start_at + seconds

    def say(chat: str, text: str, update: int) -> str:
        reply = app.engine.handle(
            Inbound(channel="bench", chat_id=chat, text=text, update_id=update)
        )
        return "\n".join(m.text for m in reply.messages)

    profilers: list[cProfile.Profile] = []

    def play(number: int) -> None:
        # cProfile sees only the thread that enabled it: one profiler per chat thread, timing
        # the thread's CPU (a wall clock would count the waits for the database and the GIL).
        profiler = cProfile.Profile(time.thread_time) if profile else None
        if profiler:
            profilers.append(profiler)
            profiler.enable()
        try:
            _play(number)
        finally:
            if profiler:
                profiler.disable()

    def _play(number: int) -> None:
        chat = f"{os.getpid()}-{number}"
        update = 0
        while time.monotonic() < stop_at:
            with lock:
                if not waiting:
                    return
                landlord = waiting.pop()
            for text in (landlord.login, PASSWORD):
                update += 1
                say(chat, text, update)
            for name in landlord.tenant_names:
                if time.monotonic() >= stop_at:
                    return
                update += 2
                say(chat, f"loyer {name.lower()} 330", update - 1)
                done = "transmise" in say(chat, "oui", update)
                with lock:
                    counts["turns"] += 2
                    counts["declarations"] += int(done)
            update += 1
            say(chat, "/deconnexion", update)

    while time.monotonic() < start_at:
        time.sleep(0.01)
    cpu = time.process_time()
    threads = [threading.Thread(target=play, args=(n,)) for n in range(chats)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    cpu = time.process_time() - cpu
    if profilers:
        out = io.StringIO()
        stats = pstats.Stats(*profilers, stream=out)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(30)
        if profile_file:
            stats.dump_stats(profile_file)
        results.put(out.getvalue())
    results.put(Result(counts["declarations"], counts["turns"], elapsed, cpu))
    app.dispose()


def _postgres_cpu() -> float:
    """CPU seconds used so far by every process named postgres (same machine)."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        if name.startswith("postgres"):
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _prepare(url: str, data_dir: Path, count: int, prefix: str) -> list[Landlord]:
    """Schema, demo data, the NLU model (trained once into `data_dir`) and fresh landlords."""
    upgrade(url)
    settings = Settings(BAILLEUR_DATA_DIR=data_dir, DATABASE_URL=url)
    app = build_app(settings, clock=_clock, passwords=CHEAP_PASSWORDS)
    app.prepare_demo()
    landlords = add_landlords(
        app.uow_factory(), count=count, tenants_each=TENANTS_EACH, password=PASSWORD,
        prefix=prefix,
    )  # fmt: skip
    app.dispose()
    return landlords


def run(url: str, data_dir: Path, workers: int, args: argparse.Namespace) -> None:
    rate_guess = 400.0
    count = int(rate_guess * args.seconds / TENANTS_EACH) + workers * args.chats * 2
    prefix = f"t{int(time.time()) % 100000:05d}w{workers}."
    landlords = _prepare(url, data_dir, count, prefix)
    results: multiprocessing.Queue[Result | str] = multiprocessing.Queue()
    start_at = time.monotonic() + 8.0  # every worker loaded before the clock starts
    shares = [landlords[n::workers] for n in range(workers)]
    processes = [
        multiprocessing.Process(
            target=_worker,
            args=(
                url,
                data_dir,
                share,
                args.chats,
                args.seconds,
                start_at,
                args.profile and n == 0,
                results,
                args.profile_file,
            ),
        )
        for n, share in enumerate(shares)
    ]
    for process in processes:
        process.start()
    while time.monotonic() < start_at:
        time.sleep(0.01)
    pg_before = _postgres_cpu()
    collected: list[Result] = []
    while len(collected) < workers:
        try:
            item = results.get(timeout=1.0)
        except queue.Empty:
            failed = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if failed:  # a worker died before its result: say so instead of waiting forever
                for process in processes:
                    process.terminate()
                message = f"a worker failed (exit codes {failed}); see its traceback above"
                raise SystemExit(message) from None
            continue
        if isinstance(item, str):
            print(item)
        else:
            collected.append(item)
    pg_used = _postgres_cpu() - pg_before
    for process in processes:
        process.join()
    declarations = sum(r.declarations for r in collected)
    seconds = max(r.seconds for r in collected)
    cpu = sum(r.cpu_seconds for r in collected)
    print(
        f"{workers} worker(s) x {args.chats} chats: {declarations / seconds:7.1f} declarations/s"
        f" ({declarations} in {seconds:.1f} s); worker CPU {1000 * cpu / max(declarations, 1):.1f}"
        f" ms/declaration, PostgreSQL CPU {1000 * pg_used / max(declarations, 1):.1f}"
        f" ms/declaration; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--chats", type=int, default=4, help="concurrent chats per worker")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-file", default="", help="with --profile: also save the stats")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for workers in args.workers:
            run(args.database_url, Path(folder), workers, args)
    return 0


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    raise SystemExit(main())
