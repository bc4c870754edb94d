"""July rents declared many at a time: the tenants still to declare with last year's amount, and
the transmission of a list of rents, each in its own savepoint.

A large landlord's rents mostly follow a yearly index or do not change: one recap of every rent
still "Non saisi", then one "Valider", replaces hundreds of one-tenant conversations. A line that
fails (declared meanwhile, tenant gone, out of scope) is rolled back alone and reported; the others
are kept. The scope is loaded once, so 2 000 lines cost a handful of queries plus one savepoint each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from services.accounts.actor import active_user
from services.accounts.models import User
from services.core.clock import campaign_year, paris_today
from services.core.db import UnitOfWork
from services.core.money import MAX_CENTS
from services.declarations.models import DeclarationState, RentDeclaration
from services.declarations.references import new_reference
from services.tenants.models import Tenant
from services.tenants.scope import tenants_in_scope

Progress = Callable[[int, int], None]
# Lines written per savepoint (and per progress report).
CHUNK = 100


@dataclass(frozen=True)
class BulkTenant:
    """One tenant of the scope, as a bulk declaration needs it."""

    tenant_id: int
    last_name: str
    first_name: str
    allocataire_number: str
    flatshare: bool
    last_rent_cents: int | None
    expects_declaration: bool
    transmitted: bool
    transmitted_at: datetime | None = None

    @property
    def name(self) -> str:
        return f"{self.last_name} {self.first_name}"


@dataclass(frozen=True)
class BulkScope:
    """Every tenant of the user's scope for this campaign year, by the screen's order."""

    year: int
    organisation_name: str
    tenants: tuple[BulkTenant, ...]

    @property
    def remaining(self) -> tuple[BulkTenant, ...]:
        """Still "Non saisi" and expected this year."""
        return tuple(t for t in self.tenants if t.expects_declaration and not t.transmitted)

    def by_allocataire(self) -> dict[str, BulkTenant]:
        return {t.allocataire_number.lstrip("0"): t for t in self.tenants}


@dataclass(frozen=True)
class RentLine:
    """One rent to transmit; `line` is where it came from (a spreadsheet's line, else 0)."""

    tenant_id: int
    rent_cents: int
    flatshare: bool
    unpaid_to_report: bool = False
    line: int = 0


@dataclass(frozen=True)
class LineDone:
    line: RentLine
    tenant: BulkTenant
    reference: str


@dataclass(frozen=True)
class LineFailed:
    """`reason`: already_transmitted, departed, unknown_tenant, bad_amount, conflict."""

    line: RentLine
    tenant: BulkTenant | None
    reason: str


@dataclass(frozen=True)
class BulkResult:
    year: int
    organisation_name: str
    transmitted_at: datetime
    transmitted_by: str
    done: tuple[LineDone, ...]
    failed: tuple[LineFailed, ...]


def scope_tenants(session: Session, user: User, year: int) -> BulkScope:
    """The scope in three queries: tenants with their dwellings, this year's transmitted rents,
    and each tenant's last transmitted rent before this year."""
    tenants = session.scalars(
        tenants_in_scope(user)
        .options(selectinload(Tenant.dwelling))
        .order_by(Tenant.last_name, Tenant.first_name, Tenant.id)
    ).all()
    ids = [t.id for t in tenants]
    transmitted = {
        tenant_id: moment
        for tenant_id, moment in session.execute(
            select(RentDeclaration.tenant_id, RentDeclaration.transmitted_at).where(
                RentDeclaration.year == year,
                RentDeclaration.state == DeclarationState.TRANSMIS,
                RentDeclaration.tenant_id.in_(ids),
            )
        ).all()
    }
    latest = (
        select(RentDeclaration.tenant_id, func.max(RentDeclaration.year).label("year"))
        .where(
            RentDeclaration.year < year,
            RentDeclaration.state == DeclarationState.TRANSMIS,
            RentDeclaration.tenant_id.in_(ids),
        )
        .group_by(RentDeclaration.tenant_id)
        .subquery()
    )
    rows = session.execute(
        select(RentDeclaration.tenant_id, RentDeclaration.rent_cents).join(
            latest,
            (RentDeclaration.tenant_id == latest.c.tenant_id)
            & (RentDeclaration.year == latest.c.year),
        )
    ).all()
    last = {tenant_id: cents for tenant_id, cents in rows}
    return BulkScope(
        year=year,
        organisation_name=user.organisation.name,
        tenants=tuple(
            BulkTenant(
                tenant_id=t.id,
                last_name=t.last_name,
                first_name=t.first_name,
                allocataire_number=t.allocataire_number,
                flatshare=t.flatshare,
                last_rent_cents=last.get(t.id),
                expects_declaration=t.expects_declaration,
                transmitted=t.id in transmitted,
                transmitted_at=transmitted.get(t.id),
            )
            for t in tenants
        ),
    )


def bulk_scope(uow: UnitOfWork, *, user_id: int | None, today: date) -> BulkScope:
    """The user's tenants for the campaign of `today`, read-only."""
    with uow:
        user = active_user(uow.session, user_id, today)
        return scope_tenants(uow.session, user, campaign_year(today))


def unchanged_lines(scope: BulkScope) -> tuple[RentLine, ...]:
    """Last year's rent again for every remaining tenant who has one."""
    return tuple(
        RentLine(tenant_id=t.tenant_id, rent_cents=t.last_rent_cents, flatshare=t.flatshare)
        for t in scope.remaining
        if t.last_rent_cents
    )


def transmit_rents(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    lines: Sequence[RentLine],
    now: datetime,
    progress: Progress | None = None,
) -> BulkResult:
    """Transmit every line; a failed line is reported and never undoes the others.

    Lines go by chunks, each chunk in a savepoint; when a chunk fails (a rent declared meanwhile
    by a colleague), it is rolled back and its lines go again one savepoint each, so only the
    failing line is lost. Rights are checked once for the user and per line against the scope
    loaded here, never against what the caller believes: a line naming a tenant outside the
    scope fails as `unknown_tenant`.
    """
    today = paris_today(now)
    year = campaign_year(today)
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        scope = scope_tenants(session, user, year)
        known = {t.tenant_id: t for t in scope.tenants}
        rows = session.execute(
            select(RentDeclaration.tenant_id, RentDeclaration.state).where(
                RentDeclaration.year == year,
                RentDeclaration.tenant_id.in_([line.tenant_id for line in lines]),
            )
        ).all()
        existing = {tenant_id: state for tenant_id, state in rows}
        had_row = set(existing)
        done: list[LineDone] = []
        failed: list[LineFailed] = []
        accepted: list[tuple[RentLine, BulkTenant]] = []
        for line in lines:
            tenant = known.get(line.tenant_id)
            reason = _refusal(line, tenant, existing.get(line.tenant_id))
            if reason is not None or tenant is None:
                failed.append(LineFailed(line, tenant, reason or "unknown_tenant"))
            else:
                existing[line.tenant_id] = DeclarationState.TRANSMIS  # a duplicate line fails
                accepted.append((line, tenant))
        writer = _Writer(uow, year=year, now=now, user_id=user.id, had_row=had_row)
        for start in range(0, len(accepted), CHUNK):
            chunk = accepted[start : start + CHUNK]
            try:
                done += writer.write(chunk)
            except (IntegrityError, LineLost):
                for one in chunk:
                    try:
                        done += writer.write([one])
                    except (IntegrityError, LineLost):
                        failed.append(LineFailed(one[0], one[1], "conflict"))
            if progress is not None:
                progress(len(failed) + len(done), len(lines))
        uow.commit()
        return BulkResult(
            year=year,
            organisation_name=scope.organisation_name,
            transmitted_at=now,
            transmitted_by=user.display_name,
            done=tuple(done),
            failed=tuple(failed),
        )


class LineLost(Exception):
    """A line's row changed between the check and the write (raised inside a savepoint)."""


class _Writer:
    """Writes accepted lines in one savepoint: new rows in one INSERT, the rest one by one."""

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        year: int,
        now: datetime,
        user_id: int,
        had_row: set[int],
    ) -> None:
        self.uow = uow
        self.year = year
        self.now = now
        self.user_id = user_id
        self.had_row = had_row

    def write(self, chunk: Sequence[tuple[RentLine, BulkTenant]]) -> list[LineDone]:
        session = self.uow.session
        written = []
        with self.uow:
            rows = []
            for line, tenant in chunk:
                reference = new_reference("LOY", self.year)
                values = {
                    "state": DeclarationState.TRANSMIS,
                    "rent_cents": line.rent_cents,
                    "flatshare": line.flatshare,
                    "unpaid_to_report": line.unpaid_to_report,
                    "transmitted_at": self.now,
                    "transmitted_by_id": self.user_id,
                    "receipt_reference": reference,
                }
                if line.tenant_id in self.had_row:
                    changed = session.execute(
                        update(RentDeclaration)
                        .where(
                            RentDeclaration.tenant_id == line.tenant_id,
                            RentDeclaration.year == self.year,
                            RentDeclaration.state == DeclarationState.NON_SAISI,
                        )
                        .values(**values)
                    )
                    if getattr(changed, "rowcount", 1) != 1:
                        raise LineLost  # declared meanwhile: the chunk goes again line by line
                else:
                    rows.append({"tenant_id": line.tenant_id, "year": self.year, **values})
                if line.flatshare != tenant.flatshare:
                    session.execute(
                        update(Tenant)
                        .where(Tenant.id == line.tenant_id)
                        .values(flatshare=line.flatshare)
                    )
                written.append(LineDone(line, tenant, reference))
            if rows:
                session.execute(insert(RentDeclaration), rows)
            self.uow.commit()
        return written


def _refusal(
    line: RentLine, tenant: BulkTenant | None, state: DeclarationState | None
) -> str | None:
    if tenant is None:
        return "unknown_tenant"
    if not 0 < line.rent_cents <= MAX_CENTS:
        return "bad_amount"
    if state is DeclarationState.TRANSMIS:
        return "already_transmitted"
    if not tenant.expects_declaration:
        return "departed"
    return None
