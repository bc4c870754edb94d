"""Demo data for the README's run command and the tests; loading it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from services.accounts.models import (
    DwellingKind,
    HabilitationGroup,
    Organisation,
    OrganisationKind,
    User,
)
from services.core.clock import PARIS, campaign_year
from services.core.db import UnitOfWork
from services.core.yaml_files import read_yaml
from services.declarations.models import DeclarationState, RentDeclaration, RentLedgerEntry
from services.demo.seeded import demo_complete, paid_on, payment_months
from services.demo.seeded import ledger_months as ledger_months_of
from services.payments.models import Payment
from services.tenants.models import AidType, Dwelling, Tenant


@dataclass(frozen=True)
class SeedReport:
    created: tuple[str, ...]
    skipped: tuple[str, ...]


def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml("services.demo", "demo_data.yml")
    return data


def _paris(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=PARIS).astimezone(UTC)


def _add_tenant(
    uow: UnitOfWork,
    dwelling: Dwelling,
    spec: dict[str, Any],
    year: int,
    admin: User | None,
    today: date,
) -> None:
    tenant = Tenant(
        dwelling=dwelling,
        last_name=spec["last_name"],
        first_name=spec["first_name"],
        allocataire_number=spec["allocataire"],
        since=spec["since"],
        flatshare=spec.get("flatshare", False),
        cotenants=spec.get("cotenants", 1),
        aid_type=AidType(spec.get("aid_type", "APL")),
        aid_paid_to_landlord=spec.get("aid_paid_to_landlord", True),
        monthly_rent_cents=spec["rent"],
        monthly_charges_cents=spec.get("charges", 0),
        monthly_aid_cents=spec.get("aid", 0),
    )
    uow.session.add(tenant)
    for offset, cents in spec.get("rents", {}).items():
        past = year + int(offset)
        uow.session.add(
            RentDeclaration(
                tenant=tenant,
                year=past,
                state=DeclarationState.TRANSMIS,
                rent_cents=cents,
                flatshare=tenant.flatshare,
                unpaid_to_report=False,
                transmitted_at=_paris(date(past, 9, 20)),
                transmitted_by=admin,
                receipt_reference=f"LOY-{past}-D{tenant.allocataire_number:0>7}",
            )
        )
    current = spec.get("current")
    if current:
        month, day = (int(part) for part in current["transmitted"].split("-"))
        uow.session.add(
            RentDeclaration(
                tenant=tenant,
                year=year,
                state=DeclarationState.TRANSMIS,
                rent_cents=current["rent"],
                flatshare=tenant.flatshare,
                unpaid_to_report=False,
                # before the demo's today (a date pinned in July, say), never after it
                transmitted_at=_paris(min(date(year, month, day), today - timedelta(days=1))),
                transmitted_by=admin,
                receipt_reference=f"LOY-{year}-D{tenant.allocataire_number:0>7}",
            )
        )


def _add_organisation(uow: UnitOfWork, spec: dict[str, Any], year: int, today: date) -> None:
    organisation = Organisation(
        name=spec["name"],
        kind=OrganisationKind(spec["kind"]),
        user_number=spec["user_number"],
        postal_address=spec.get("postal_address", ""),
        first_connected_at=_paris(date(year - 3, 1, 15)) if spec.get("connected") else None,
    )
    uow.session.add(organisation)
    groups: dict[tuple[str, str], HabilitationGroup] = {}
    for dwelling_spec in spec.get("dwellings", []):
        kind = DwellingKind(dwelling_spec["kind"])
        departement = dwelling_spec["postcode"][:2]
        if (kind, departement) not in groups:
            groups[(kind, departement)] = HabilitationGroup(
                organisation=organisation, dwelling_kind=kind, departement=departement
            )
    admin: User | None = None
    for user_spec in spec.get("users", []):
        user = User(
            organisation=organisation,
            login=user_spec["login"],
            password_hash=uow.passwords.hash(user_spec["password"]),
            first_name=user_spec.get("first_name", ""),
            last_name=user_spec.get("last_name", ""),
            email=user_spec.get("email"),
            phone=user_spec.get("phone"),
            is_admin=user_spec.get("admin", False),
            password_is_provisional=user_spec.get("provisional", False),
            accepted_rules_at=None
            if user_spec.get("provisional")
            else _paris(date(year - 3, 1, 15)),
            accepted_terms_at=None
            if user_spec.get("provisional")
            else _paris(date(year - 3, 1, 15)),
            groups=[groups[(DwellingKind(k), d)] for k, d in user_spec.get("groups", [])]
            if "groups" in user_spec
            else list(groups.values()),
        )
        uow.session.add(user)
        if user.is_admin:
            admin = user
    for dwelling_spec in spec.get("dwellings", []):
        dwelling = Dwelling(
            organisation=organisation,
            address=dwelling_spec["address"],
            postcode=dwelling_spec["postcode"],
            commune=dwelling_spec["commune"],
            departement=dwelling_spec["postcode"][:2],
            kind=DwellingKind(dwelling_spec["kind"]),
        )
        uow.session.add(dwelling)
        for tenant_spec in dwelling_spec.get("tenants", []):
            _add_tenant(uow, dwelling, tenant_spec, year, admin, today)


def _add_flow_data(uow: UnitOfWork, spec: dict[str, Any], today: date) -> None:
    """Payments and ledger months relative to `today`; only the missing rows are added, so a
    database seeded earlier (or on another day) gains them without duplicates."""
    session = uow.session
    tenants = {
        t.allocataire_number: t
        for t in session.scalars(
            select(Tenant)
            .join(Tenant.dwelling)
            .join(Dwelling.organisation)
            .where(Organisation.user_number == spec["user_number"])
        )
    }
    specs = [t for d in spec.get("dwellings", []) for t in d.get("tenants", [])]
    for tenant_spec in specs:
        tenant = tenants.get(tenant_spec["allocataire"])
        if tenant is None:
            continue
        paid_months = set(
            session.scalars(select(Payment.month).where(Payment.tenant_id == tenant.id))
        )
        for month in payment_months(
            to_landlord=tenant.aid_paid_to_landlord,
            aid_cents=tenant.monthly_aid_cents,
            aid_type=tenant.aid_type,
            months=spec.get("payments_months", 0),
            today=today,
        ):
            if month not in paid_months:
                session.add(
                    Payment(
                        tenant=tenant,
                        month=month,
                        aid_type=tenant.aid_type,
                        amount_cents=tenant.monthly_aid_cents,
                        paid_on=paid_on(month, tenant.aid_type),
                    )
                )
        ledger_months = tenant_spec.get("ledger_months", 0)
        if not ledger_months:
            continue
        known = set(
            session.scalars(
                select(RentLedgerEntry.month).where(RentLedgerEntry.tenant_id == tenant.id)
            )
        )
        due = tenant.monthly_share_cents
        paid = {int(offset): cents for offset, cents in tenant_spec.get("ledger_paid", {}).items()}
        for offset, month in ledger_months_of(ledger_months, today).items():
            if month not in known:
                session.add(
                    RentLedgerEntry(
                        tenant_id=tenant.id,
                        month=month,
                        due_cents=due,
                        paid_cents=paid.get(offset, due),
                    )
                )


def seed_demo(uow: UnitOfWork, *, today: date) -> SeedReport:
    """Create the demo organisations that are missing; existing ones are left as they are."""
    year = campaign_year(today)
    data = demo_data()
    if demo_complete(uow, data, today):  # one statement, the usual case of a start
        return SeedReport(created=(), skipped=tuple(s["name"] for s in data["organisations"]))
    created: list[str] = []
    skipped: list[str] = []
    with uow:
        for spec in data["organisations"]:
            exists = uow.session.scalars(
                select(Organisation.id).where(Organisation.user_number == spec["user_number"])
            ).first()
            if exists is not None:
                skipped.append(spec["name"])
                continue
            _add_organisation(uow, spec, year, today)
            created.append(spec["name"])
        for spec in data["organisations"]:
            _add_flow_data(uow, spec, today)
        uow.commit()
    return SeedReport(created=tuple(created), skipped=tuple(skipped))
