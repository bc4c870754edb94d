"""Latency of one turn, in-process, state durably saved, and the SQL statements each kind runs.

    python benchmarks/turn_latency.py [--rounds 200] [--database-url URL] [--profile FILE]

Default database: a fresh SQLite file in a temporary folder with the demo data. With
--database-url (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench), the demo data is
loaded there first (the database must exist and be empty or hold the demo data). The login is
excluded (argon2 is slow on purpose). A large organisation (`seed --large`) gives every round a
tenant of its own to transmit. Kinds of turn:

- declare: "loyer <name> <amount>" straight to the recap (NLU, tenant scope, facts, defaults)
- validate: "valider" at the recap: the transmission and its PDF receipt
- answer: "annuler" then "oui" to the engine's own question (the cheapest turns)
- faq: a question answered from the knowledge base

Wall time is what the user waits for; CPU time is this process's share, which stays meaningful
on a loaded machine (the load average is printed beside the figures). `--profile` writes a
cProfile of the measured turns.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import App, build_app
from dialogs.io import Inbound
from services.accounts.models import Organisation, User
from services.core.clock import PARIS
from services.core.settings import Settings
from services.demo.large import seed_large
from services.tenants.models import Dwelling, Tenant

TODAY = date(2026, 11, 23)
KINDS = ("declare", "validate", "answer", "faq")


class Statements:
    def __init__(self) -> None:
        self.statements = 0
        self.texts: list[str] = []

    def __call__(self, *args: object) -> None:
        self.statements += 1
        self.texts.append(" ".join(str(args[2]).split())[:150])


@contextmanager
def counting(app: App) -> Iterator[Statements]:
    counter = Statements()
    engine = app.uow_factory.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def script(name: str) -> tuple[tuple[str, str], ...]:
    """The six turns of one round, each with its kind: a rent to its recap, left and confirmed,
    a FAQ question, the rent again and its transmission."""
    return (
        ("declare", f"loyer {name}"),
        ("answer", "annuler"),
        ("answer", "oui"),
        ("faq", "c'est quoi le numéro utilisateur"),
        ("declare", f"loyer {name}"),
        ("validate", "valider"),
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def tenant_names(app: App, organisation: str, count: int) -> list[str]:
    uow = app.uow_factory()
    with uow:
        rows = uow.session.execute(
            select(Tenant.first_name, Tenant.last_name, Tenant.monthly_rent_cents)
            .join(Tenant.dwelling)
            .join(Organisation, Organisation.id == Dwelling.organisation_id)
            .where(Organisation.name == organisation)
            .order_by(Tenant.id)
        )
        found = [(f"{first} {last}", rent) for first, last, rent in rows]
    seen = Counter(name for name, _ in found)
    # The rent of last year again: no "very different amount" question in the way.
    return [
        f"{name.lower()} {rent // 100},{rent % 100:02d}" for name, rent in found if seen[name] == 1
    ][:count]


def first_login_done(app: App, login: str) -> None:
    """The benchmark's user has long finished their first connection."""
    uow = app.uow_factory()
    with uow:
        user = uow.session.scalars(select(User).where(User.login == login)).one()
        user.email = user.email or "bench@example.org"
        user.phone = user.phone or "0600000000"
        user.password_is_provisional = False
        user.accepted_rules_at = user.accepted_terms_at = datetime.now(PARIS)
        uow.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", default="")
    parser.add_argument("--tenants", type=int, default=200, help="in the benchmark's organisation")
    parser.add_argument(
        "--show-sql", action="store_true", help="print the statements of each kind's last turn"
    )
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
        tenants = max(args.tenants, args.rounds * 2)
        large = seed_large(app.uow_factory(), today=TODAY, tenants=tenants)
        first_login_done(app, large.login)
        names = tenant_names(app, large.name, args.rounds + 10)
        update = 0

        def say(text: str, chat: str = "bench") -> None:
            nonlocal update
            update += 1
            reply = app.engine.handle(
                Inbound(channel="bench", chat_id=chat, text=text, update_id=update)
            )
            if os.environ.get("BENCH_SHOW"):
                print(f"> {text}\n" + "\n".join(m.text[:90] for m in reply.messages))

        say(large.login)
        say(large.password)
        timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
        cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}
        statements: dict[str, list[int]] = {kind: [] for kind in KINDS}
        last_sql: dict[str, list[str]] = {}
        profile = cProfile.Profile() if args.profile else None

        for name in names[:10]:  # warm-up: caches, lazy imports, connections
            for _, text in script(name):
                say(text)
        for name in names[10 : 10 + args.rounds]:
            for kind, text in script(name):
                with counting(app) as counter:
                    if profile:
                        profile.enable()
                    start, start_cpu = time.perf_counter(), time.process_time()
                    say(text)
                    cpu[kind].append((time.process_time() - start_cpu) * 1000)
                    timings[kind].append((time.perf_counter() - start) * 1000)
                    if profile:
                        profile.disable()
                statements[kind].append(counter.statements)
                last_sql[kind] = counter.texts
        if profile:
            profile.dump_stats(args.profile)
        backend = "PostgreSQL" if args.database_url.startswith("postgresql") else "SQLite"
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{backend}, {args.rounds} rounds, {tenants} tenants, load average {load}")
        print(f"{'turn':<10} {'p50 ms':>8} {'p99 ms':>8} {'CPU p50':>8} {'SQL/turn':>9}")
        for kind, values_ms in timings.items():
            print(
                f"{kind:<10} {statistics.median(values_ms):>8.2f} "
                f"{percentile(values_ms, 0.99):>8.2f} {statistics.median(cpu[kind]):>8.2f} "
                f"{statistics.median(statements[kind]):>9.0f}"
            )
        if args.show_sql:
            for kind, texts in last_sql.items():
                print(f"\n{kind}:\n  " + "\n  ".join(texts))
        app.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
