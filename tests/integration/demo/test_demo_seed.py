from datetime import date

from sqlalchemy import event, func, select

from services.accounts.models import Organisation, OrganisationKind, User
from services.core.db import DatabaseUowFactory
from services.declarations.models import RentLedgerEntry
from services.demo.seed import demo_data, seed_demo
from services.demo.seeded import demo_complete
from services.payments.models import Payment
from services.tenants.models import Dwelling, Tenant

TODAY = date(2026, 11, 23)


def _count(uow_factory, column) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(column))) or 0


def test_jean_martin_is_a_private_landlord_with_two_dwellings_near_rouen(uow_factory):
    with uow_factory() as uow:
        user = uow.session.scalars(select(User).where(User.login == "jean.martin")).one()
        assert uow.passwords.verify(user.password_hash, "Martin-Demo-2026")
        assert user.organisation.kind is OrganisationKind.PHYSIQUE
        dwellings = uow.session.scalars(
            select(Dwelling).where(Dwelling.organisation_id == user.organisation_id)
        ).all()
        assert sorted(d.departement for d in dwellings) == ["76", "76"]
        flatshare = [t for d in dwellings for t in d.tenants if t.flatshare]
        assert [(t.last_name, t.cotenants) for t in flatshare] == [("LEBRUN", 2), ("NGUYEN", 2)]


def test_the_unpaid_history_has_partly_paid_months_and_no_report(uow_factory):
    with uow_factory() as uow:
        rows = uow.session.execute(
            select(RentLedgerEntry.month, RentLedgerEntry.paid_cents, RentLedgerEntry.due_cents)
            .join(Tenant, RentLedgerEntry.tenant_id == Tenant.id)
            .where(
                Tenant.last_name == "COUTURE",
                RentLedgerEntry.paid_cents < RentLedgerEntry.due_cents,
            )
            .order_by(RentLedgerEntry.month)
        ).all()
    assert [(month, paid) for month, paid, _ in rows] == [
        (date(2026, 8, 1), 10000),
        (date(2026, 9, 1), 8000),
        (date(2026, 10, 1), 10000),
        (date(2026, 11, 1), 0),
    ]


def test_seeding_again_adds_nothing_and_a_later_day_adds_only_the_missing_months(uow_factory):
    payments, ledger = _count(uow_factory, Payment.id), _count(uow_factory, RentLedgerEntry.id)
    assert (payments, ledger) == (12 * 6 + 12 * 2, 12)
    report = seed_demo(uow_factory(), today=TODAY)
    assert report.created == ()
    assert (_count(uow_factory, Payment.id), _count(uow_factory, RentLedgerEntry.id)) == (
        payments,
        ledger,
    )
    seed_demo(uow_factory(), today=date(2026, 12, 28))
    assert _count(uow_factory, Payment.id) == payments + 8
    assert _count(uow_factory, RentLedgerEntry.id) == ledger + 1
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(Organisation.id))) == 3


def test_a_start_on_the_seeded_day_checks_the_demo_in_one_query_and_a_missing_month_is_added(
    uow_factory: DatabaseUowFactory,
) -> None:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    assert demo_complete(uow_factory(), demo_data(), TODAY)
    event.listen(uow_factory.engine, "before_cursor_execute", count)
    try:
        seed_demo(uow_factory(), today=TODAY)
    finally:
        event.remove(uow_factory.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    payments = _count(uow_factory, Payment.id)
    with uow_factory() as uow:
        latest = uow.session.scalars(select(Payment).order_by(Payment.month.desc())).first()
        assert latest is not None
        uow.session.delete(latest)
        uow.commit()
    assert not demo_complete(uow_factory(), demo_data(), TODAY)
    seed_demo(uow_factory(), today=TODAY)
    assert _count(uow_factory, Payment.id) == payments
    assert demo_complete(uow_factory(), demo_data(), TODAY)
