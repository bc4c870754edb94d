"""What the bot shows about declarations: the July rent campaign (who is still to be declared),
what the CAF last knew of a tenant's rent, and the months of the landlord's ledger that an unpaid
report may start from.

Read-only queries: they take a unit of work and return plain values, never an ORM object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, select
from sqlalchemy.orm import Session

from services.accounts.acting import Acting, active
from services.accounts.actor import acting_user, active_user
from services.accounts.models import User
from services.core.clock import campaign_year
from services.core.dates import month_start
from services.core.db import UnitOfWork
from services.core.errors import NotFound
from services.core.memo import remembered
from services.core.plain import plain_rows
from services.declarations.models import (
    ChangeDeclaration,
    ChangeKind,
    DeclarationState,
    RentDeclaration,
    RentLedgerEntry,
    UnpaidReport,
)
from services.declarations.unpaid_rules import Assessment, UnpaidLine, assess
from services.tenants.models import Dwelling, Tenant, full_address
from services.tenants.scope import ORGANISATION_TENANTS, tenant_in_scope, tenants_in_scope


@dataclass(frozen=True)
class TenantLine:
    """One line of the declaration screen."""

    tenant_id: int
    last_name: str
    first_name: str
    allocataire_number: str
    postcode: str
    commune: str
    state: DeclarationState
    departed_on: date | None = None
    management_ended_on: date | None = None


@dataclass(frozen=True)
class Campaign:
    year: int
    lines: tuple[TenantLine, ...]

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def remaining(self) -> tuple[TenantLine, ...]:
        return tuple(line for line in self.lines if line.state is DeclarationState.NON_SAISI)


@dataclass(frozen=True)
class RentFacts:
    """What the CAF last knew about a tenant, and where this year's declaration stands."""

    tenant_id: int
    organisation_name: str
    last_name: str
    first_name: str
    allocataire_number: str
    since: date
    flatshare: bool
    address: str
    year: int
    last_rent_cents: int | None
    charges_cents: int
    state: DeclarationState
    transmitted_at: datetime | None
    transmitted_rent_cents: int | None
    receipt_reference: str | None


@dataclass(frozen=True)
class OpenChange:
    kind: ChangeKind
    reference: str
    effective_on: date
    transmitted_at: datetime


@dataclass(frozen=True)
class OpenUnpaid:
    reference: str
    first_month: date
    debt_cents: int
    transmitted_at: datetime


@dataclass(frozen=True)
class UnpaidHistory:
    """The months of the landlord's ledger since the debt last started, as a proposal."""

    tenant_id: int
    first_month: date | None
    lines: tuple[UnpaidLine, ...]
    assessment: Assessment | None
    open_report_reference: str | None


def declaration_of(
    session: Session, tenant_id: int, year: int, *, fresh: bool = False
) -> RentDeclaration | None:
    """The declaration; `fresh` locks its row (PostgreSQL) and reads it again from the database,
    for a transmission that must see a colleague's that committed meanwhile."""
    query = select(RentDeclaration).where(
        RentDeclaration.tenant_id == tenant_id, RentDeclaration.year == year
    )
    if fresh:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalars(query).one_or_none()


def facts_of(session: Session, user: Acting, tenant_id: int, year: int) -> RentFacts:
    """The facts for `year` of a tenant of the user's scope (`NotFound` otherwise, as
    `tenant_in_scope`), read once per transaction: a declare turn asks for them when the tenant
    is named and for the recap, a validate turn to check and to transmit (`services.core.memo`)."""
    facts = remembered(
        session,
        ("rent_facts", user.id, tenant_id, year),
        lambda: _facts(session, user, tenant_id, year),
    )
    if facts is None:
        raise NotFound("tenant")
    return facts


def _facts_query(scope: Select[Any]) -> Select[*tuple[Any, ...]]:
    """The tenant of `scope` with its dwelling's address, one row per declaration up to the
    year (this year's and the last transmitted before it; none yet: one row of NULLs)."""
    return (
        scope.outerjoin(
            RentDeclaration,
            and_(RentDeclaration.tenant_id == Tenant.id, RentDeclaration.year <= bindparam("year")),
        )
        .where(Tenant.id == bindparam("tenant_id"))
        .with_only_columns(
            Tenant.last_name,
            Tenant.first_name,
            Tenant.allocataire_number,
            Tenant.since,
            Tenant.flatshare,
            Tenant.monthly_charges_cents,
            Dwelling.address,
            Dwelling.postcode,
            Dwelling.commune,
            RentDeclaration.year,
            RentDeclaration.state,
            RentDeclaration.rent_cents,
            RentDeclaration.transmitted_at,
            RentDeclaration.receipt_reference,
        )
    )


# Plain rows in one statement, built once for an administrator's scope (a scope of habilitation
# groups differs by user): reading the tenant and its dwelling as ORM objects, then the
# declarations, cost three times as much, and only their values are used.
_ADMIN_FACTS = _facts_query(ORGANISATION_TENANTS)


def _facts(session: Session, user: Acting, tenant_id: int, year: int) -> RentFacts | None:
    values: dict[str, Any] = {"tenant_id": tenant_id, "year": year}
    if user.is_admin:
        values["organisation_id"] = user.organisation_id
        query = _ADMIN_FACTS
    else:
        query = _facts_query(tenants_in_scope(_with_groups(session, user)))
    rows = plain_rows(session, query, values).all()
    if not rows:
        return None
    tenant = rows[0]
    declarations = [row for row in rows if row.year is not None]
    current = next((d for d in declarations if d.year == year), None)
    earlier = [d for d in declarations if d.year < year and d.state is DeclarationState.TRANSMIS]
    last = max(earlier, key=lambda d: d.year) if earlier else None
    transmitted = current is not None and current.state is DeclarationState.TRANSMIS
    return RentFacts(
        tenant_id=tenant_id,
        organisation_name=user.organisation_name,
        last_name=tenant.last_name,
        first_name=tenant.first_name,
        allocataire_number=tenant.allocataire_number,
        since=tenant.since,
        flatshare=tenant.flatshare,
        address=full_address(tenant.address, tenant.postcode, tenant.commune),
        year=year,
        last_rent_cents=last.rent_cents if last else None,
        charges_cents=tenant.monthly_charges_cents,
        state=DeclarationState.TRANSMIS if transmitted else DeclarationState.NON_SAISI,
        transmitted_at=current.transmitted_at if transmitted and current else None,
        transmitted_rent_cents=current.rent_cents if transmitted and current else None,
        receipt_reference=current.receipt_reference if transmitted and current else None,
    )


def rent_campaign(
    uow: UnitOfWork, *, user_id: int | None, today: date, former: bool = False
) -> Campaign:
    """The tenants whose July rent is expected this campaign, in the screen's order; `former`:
    instead, those no longer expected (departed, or whose dwelling is no longer managed), each
    with what its declaration of the year became."""
    year = campaign_year(today)
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        # One statement of plain rows, whatever the number of tenants (thousands for a social
        # landlord): the tenants of the scope, their dwelling, this year's declaration if any.
        query = (
            tenants_in_scope(user)
            .outerjoin(
                RentDeclaration,
                and_(RentDeclaration.tenant_id == Tenant.id, RentDeclaration.year == year),
            )
            .with_only_columns(
                Tenant.id,
                Tenant.last_name,
                Tenant.first_name,
                Tenant.allocataire_number,
                Dwelling.postcode,
                Dwelling.commune,
                RentDeclaration.state,
                Tenant.departed_on,
                Dwelling.management_ended_on,
            )
            .order_by(Tenant.last_name, Tenant.first_name)
        )
        lines = tuple(
            TenantLine(
                tenant_id=row.id,
                last_name=row.last_name,
                first_name=row.first_name,
                allocataire_number=row.allocataire_number,
                postcode=row.postcode,
                commune=row.commune,
                state=row.state or DeclarationState.NON_SAISI,
                departed_on=row.departed_on,
                management_ended_on=row.management_ended_on,
            )
            for row in session.execute(query)
            if Tenant.declaration_expected(row.departed_on, row.management_ended_on) is not former
        )
        return Campaign(year=year, lines=lines)


@dataclass(frozen=True)
class CampaignCount:
    """How many July rents the campaign expects of a user's scope, and how many are still
    « Non saisi » (`Campaign.total` and `len(Campaign.remaining)`, without the lines)."""

    year: int
    total: int
    remaining: int


def rent_campaign_count(uow: UnitOfWork, *, user_id: int | None, today: date) -> CampaignCount:
    """The campaign's counts in one aggregate query, whatever the number of tenants: what a
    transmission's reply says (« Il reste 3 loyers à saisir sur 6 »); `rent_campaign` loads
    every line, for the screens that list them."""
    year = campaign_year(today)
    with uow:
        session = uow.session
        user = active(session, user_id, today)
        if user.is_admin:
            values = {"year": year, "organisation_id": user.organisation_id}
            query = _ADMIN_COUNT
        else:
            scope = tenants_in_scope(_with_groups(session, user))
            values, query = {"year": year}, _campaign_count(scope)
        total, transmitted = plain_rows(session, query, values).one()
        return CampaignCount(year=year, total=int(total), remaining=int(total) - int(transmitted))


def _campaign_count(scope: Select[Any]) -> Select[Any]:
    """The tenants of `scope` the campaign expects, and how many are declared this year."""
    declared = RentDeclaration.state == DeclarationState.TRANSMIS
    return (
        scope.outerjoin(
            RentDeclaration,
            and_(RentDeclaration.tenant_id == Tenant.id, RentDeclaration.year == bindparam("year")),
        )
        .where(Tenant.departed_on.is_(None), Dwelling.management_ended_on.is_(None))
        .with_only_columns(
            func.count(Tenant.id), func.coalesce(func.sum(case((declared, 1), else_=0)), 0)
        )
    )


def _with_groups(session: Session, user: Acting) -> User:
    """The ORM user, for a scope of habilitation groups (`tenants_in_scope` reads them)."""
    found = acting_user(session, user.id)
    if found is None:  # pragma: no cover - `user` was read in this transaction
        raise NotFound("user")
    return found


# An administrator's count, built once (a scope of habilitation groups differs by user).
_ADMIN_COUNT = _campaign_count(ORGANISATION_TENANTS)


def rent_facts(uow: UnitOfWork, *, user_id: int | None, tenant_id: int, today: date) -> RentFacts:
    """The last known information of one tenant of the user's scope."""
    with uow:
        session = uow.session
        user = active(session, user_id, today)
        return facts_of(session, user, tenant_id, campaign_year(today))


def open_declarations(
    session: Session, tenant_id: int
) -> tuple[tuple[OpenChange, ...], tuple[OpenUnpaid, ...]]:
    """The tenant's changes and unpaid reports the CAF has not closed yet, oldest first."""
    changes = session.scalars(
        select(ChangeDeclaration)
        .where(ChangeDeclaration.tenant_id == tenant_id, ChangeDeclaration.closed_at.is_(None))
        .order_by(ChangeDeclaration.transmitted_at)
    ).all()
    reports = session.scalars(
        select(UnpaidReport).where(
            UnpaidReport.tenant_id == tenant_id, UnpaidReport.closed_at.is_(None)
        )
    ).all()
    return (
        tuple(OpenChange(c.kind, c.reference, c.effective_on, c.transmitted_at) for c in changes),
        tuple(
            OpenUnpaid(r.reference, r.first_month, r.debt_cents, r.transmitted_at) for r in reports
        ),
    )


def open_unpaid_report(session: Session, tenant_id: int) -> UnpaidReport | None:
    return session.scalars(
        select(UnpaidReport).where(
            UnpaidReport.tenant_id == tenant_id, UnpaidReport.closed_at.is_(None)
        )
    ).one_or_none()


def assess_for_tenant(
    tenant: Tenant, lines: Sequence[UnpaidLine], first: date, day: date
) -> Assessment:
    return assess(
        lines,
        monthly_rent=tenant.monthly_rent_cents,
        charges=tenant.monthly_charges_cents,
        aid=tenant.monthly_aid_cents,
        aid_to_landlord=tenant.aid_paid_to_landlord,
        report_date=day,
        first_unpaid_month=first,
    )


def unpaid_history(
    uow: UnitOfWork, *, user_id: int | None, tenant_id: int, today: date
) -> UnpaidHistory:
    """The ledger months since the running debt last started, assessed as of `today`, so the
    dialog can offer them instead of asking for every month (empty when nothing is owed)."""
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, tenant_id)
        entries = session.scalars(
            select(RentLedgerEntry)
            .where(
                RentLedgerEntry.tenant_id == tenant.id, RentLedgerEntry.month <= month_start(today)
            )
            .order_by(RentLedgerEntry.month)
        ).all()
        start: int | None = None
        balance = 0
        for index, entry in enumerate(entries):
            if balance <= 0 and entry.paid_cents < entry.due_cents:
                start = index
            balance += entry.due_cents - entry.paid_cents
        open_report = open_unpaid_report(session, tenant.id)
        reference = open_report.reference if open_report else None
        if start is None or balance <= 0:
            return UnpaidHistory(tenant.id, None, (), None, reference)
        lines = tuple(UnpaidLine(e.month, e.due_cents, e.paid_cents) for e in entries[start:])
        first = lines[0].month
        return UnpaidHistory(
            tenant.id, first, lines, assess_for_tenant(tenant, lines, first, today), reference
        )
