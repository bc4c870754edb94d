"""Time to check and transmit 2 000 July rents, on SQLite and on PostgreSQL.

Builds a fresh database per backend, generates the large organisation (`seed --large`), fills the
template the bot offers (every rent still to declare, last year's amount), then times: reading
and checking the spreadsheet, transmitting every line (one savepoint each), and drawing the PDF
list of receipts. PostgreSQL is measured when a server URL is given (its own database is created
and dropped).

    python benchmarks/bulk_declarations.py [--tenants 2000] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

import argon2
from sqlalchemy import create_engine, func, make_url, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.accounts.models import User
from services.accounts.passwords import PasswordHasher
from services.core.clock import PARIS
from services.core.db import make_uow_factory
from services.core.schema import upgrade
from services.declarations.bulk import bulk_scope, transmit_rents
from services.declarations.models import DeclarationState, RentDeclaration
from services.declarations.sheet_checks import check_spreadsheet
from services.declarations.spreadsheets import read_spreadsheet
from services.demo.large import seed_large
from services.documents.receipt_lists import ListedReceipt, ReceiptList, render_receipt_list
from services.documents.spreadsheets import TemplateLine, render_template

TODAY = date(2026, 11, 23)
NOW = datetime.combine(TODAY, clock_time(10, 0), tzinfo=PARIS)
CHEAP = PasswordHasher(argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/bench.db"


@contextmanager
def postgres_url(server: str) -> Iterator[str]:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"bench_bulk_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed(step: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def measure(url: str, tenants: int) -> dict[str, float | int]:
    upgrade(url)
    factory = make_uow_factory(url, passwords=CHEAP)
    large = seed_large(factory(), today=TODAY, tenants=tenants)
    with factory() as uow:
        user_id = uow.session.scalars(select(User.id).where(User.login == large.login)).one()
    scope = bulk_scope(factory(), user_id=user_id, today=TODAY)
    template = render_template(
        [
            TemplateLine(t.allocataire_number, t.name, t.last_rent_cents, t.flatshare)
            for t in scope.remaining
        ],
        year=scope.year,
    )
    read_s, rows = timed(
        lambda: read_spreadsheet("bench.xlsx", template, max_bytes=5_000_000, max_lines=5_000)
    )
    check_s, check = timed(
        lambda: check_spreadsheet(factory(), user_id=user_id, rows=rows, today=TODAY)  # type: ignore[arg-type]
    )
    lines = check.ready  # type: ignore[attr-defined]
    transmit_s, result = timed(
        lambda: transmit_rents(factory(), user_id=user_id, lines=lines, now=NOW)
    )
    done = result.done  # type: ignore[attr-defined]
    listing = ReceiptList(
        scope.year,
        scope.organisation_name,
        NOW,
        "bench",
        tuple(
            ListedReceipt(
                d.reference, d.tenant.name, d.tenant.allocataire_number, d.line.rent_cents
            )
            for d in done
        ),
    )
    pdf_s, pdf = timed(lambda: render_receipt_list(listing))
    with factory() as uow:
        stored = uow.session.scalar(
            select(func.count())
            .select_from(RentDeclaration)
            .where(
                RentDeclaration.year == scope.year,
                RentDeclaration.state == DeclarationState.TRANSMIS,
            )
        )
    assert stored is not None and stored >= len(done), "the transmitted rents are not stored"
    factory.dispose()
    return {
        "lines": len(rows),  # type: ignore[arg-type]
        "ready": len(lines),
        "transmitted": len(done),
        "read": read_s,
        "check": check_s,
        "transmit": transmit_s,
        "pdf": pdf_s,
        "pdf_kb": len(pdf) // 1024,  # type: ignore[arg-type]
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=2_000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", ""))
    args = parser.parse_args()
    backends: list[tuple[str, Callable[[], object]]] = [("SQLite", sqlite_url)]
    if args.postgres:
        backends.append(("PostgreSQL", lambda: postgres_url(args.postgres)))
    print(
        f"{'Backend':<11} {'Lines':>6} {'Sent':>6} {'Read':>7} {'Check':>7} {'Transmit':>9} "
        f"{'PDF':>7} {'PDF size':>9}"
    )
    for name, make in backends:
        with make() as url:  # type: ignore[attr-defined]
            m = measure(url, args.tenants)
        print(
            f"{name:<11} {m['lines']:>6} {m['transmitted']:>6} {m['read']:>6.2f}s "
            f"{m['check']:>6.2f}s {m['transmit']:>8.2f}s {m['pdf']:>6.2f}s {m['pdf_kb']:>6} kB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
