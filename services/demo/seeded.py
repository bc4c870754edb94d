"""Whether the demo data is all there for a day, in one statement, before loading it.

`bailleur-bot run` loads the demo data at every start. Loading it when it is already there cost
22 statements and the configuration of every ORM mapper (0.19 s of a 1.4 s start), for nothing:
the organisations exist and only the payments and ledger months relative to the day can be
missing. This module says which months the demo expects for a day (`payment_months`,
`ledger_months`, shared with `seed.py`, which adds them) and checks with one Core query (no
mapper is configured) that every demo organisation exists and no expected month is missing.
The expectation is read from the demo file; when the database differs from it (a demo tenant
changed by hand), the check says « missing » and the idempotent full load runs, as before.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import literal, null, select, union_all

from services.accounts.models import Organisation
from services.core.dates import add_months, month_start
from services.core.db import UnitOfWork
from services.declarations.models import RentLedgerEntry
from services.payments.models import Payment
from services.tenants.models import AidType, Dwelling, Tenant


def payment_months(
    *, to_landlord: bool, aid_cents: int, aid_type: AidType, months: int, today: date
) -> list[date]:
    """The months of the CAF's payments to the landlord paid by `today`, the last `months`
    months before `today`'s."""
    if not to_landlord or aid_cents <= 0:
        return []
    paid = []
    for offset in range(-months, 0):
        month = add_months(month_start(today), offset)
        if paid_on(month, aid_type) <= today:
            paid.append(month)
    return paid


def paid_on(month: date, aid_type: AidType) -> date:
    """When the CAF pays a month's aid: an APL on the 25th, other aids on the 5th of the next."""
    return month.replace(day=25) if aid_type is AidType.APL else add_months(month, 1).replace(day=5)


def ledger_months(count: int, today: date) -> dict[int, date]:
    """The landlord's ledger months by offset (0 is `today`'s month), the last `count`."""
    return {offset: add_months(month_start(today), offset) for offset in range(1 - count, 1)}


def _expected(data: dict[str, Any], today: date) -> set[tuple[str, str, str, date | None]]:
    expected: set[tuple[str, str, str, date | None]] = set()
    for spec in data["organisations"]:
        number = spec["user_number"]
        expected.add((number, "", "organisation", None))
        for dwelling in spec.get("dwellings", []):
            for tenant in dwelling.get("tenants", []):
                allocataire = str(tenant["allocataire"])
                for month in payment_months(
                    to_landlord=tenant.get("aid_paid_to_landlord", True),
                    aid_cents=tenant.get("aid", 0),
                    aid_type=AidType(tenant.get("aid_type", "APL")),
                    months=spec.get("payments_months", 0),
                    today=today,
                ):
                    expected.add((number, allocataire, "payment", month))
                for month in ledger_months(tenant.get("ledger_months", 0), today).values():
                    expected.add((number, allocataire, "ledger", month))
    return expected


def demo_complete(uow: UnitOfWork, data: dict[str, Any], today: date) -> bool:
    """Every demo organisation exists and holds every payment and ledger month of `today`."""
    expected = _expected(data, today)
    numbers = sorted({number for number, *_ in expected})
    months = [month for *_, month in expected if month is not None]
    since = min(months) if months else today
    o, d, t = Organisation.__table__, Dwelling.__table__, Tenant.__table__
    p, ledger = Payment.__table__, RentLedgerEntry.__table__
    demo_tenants = t.join(d, d.c.id == t.c.dwelling_id).join(o, o.c.id == d.c.organisation_id)
    # Organisations last: a UNION's rows are typed by its first SELECT (the months are dates).
    query = union_all(
        *(
            select(o.c.user_number, t.c.allocataire_number, literal(kind), table.c.month)
            .select_from(demo_tenants.join(table, table.c.tenant_id == t.c.id))
            .where(o.c.user_number.in_(numbers), table.c.month >= since)
            for kind, table in (("payment", p), ("ledger", ledger))
        ),
        select(o.c.user_number, literal(""), literal("organisation"), null()).where(
            o.c.user_number.in_(numbers)
        ),
    )
    with uow:
        found = {(n, a, k, m) for n, a, k, m in uow.session.execute(query)}
    return expected <= found
