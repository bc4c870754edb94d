"""The July rent campaign: who still has to be declared, what is known, and the transmission."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.clock import campaign_year, paris_today
from services.db import UnitOfWork
from services.errors import RentAlreadyTransmitted
from services.models import DeclarationState, RentDeclaration, Tenant, User
from services.money import MAX_CENTS
from services.scope import active_user, tenant_in_scope, tenants_in_scope


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
    state: DeclarationState
    transmitted_at: datetime | None
    transmitted_rent_cents: int | None
    receipt_reference: str | None


@dataclass(frozen=True)
class TransmittedRent:
    facts: RentFacts
    rent_cents: int
    flatshare: bool
    unpaid_to_report: bool
    reference: str
    transmitted_at: datetime
    transmitted_by: str


class RentAnswers(BaseModel):
    """The answers of the form, checked again at the service boundary."""

    tenant_id: int = Field(gt=0)
    rent_cents: int = Field(gt=0, le=MAX_CENTS)
    flatshare: bool
    unpaid_to_report: bool


def _expects_declaration(tenant: Tenant) -> bool:
    return tenant.departed_on is None and tenant.dwelling.management_ended_on is None


def _declaration(session: Session, tenant_id: int, year: int) -> RentDeclaration | None:
    return session.scalars(
        select(RentDeclaration).where(
            RentDeclaration.tenant_id == tenant_id, RentDeclaration.year == year
        )
    ).one_or_none()


def _last_rent(session: Session, tenant_id: int, year: int) -> int | None:
    return session.scalars(
        select(RentDeclaration.rent_cents)
        .where(
            RentDeclaration.tenant_id == tenant_id,
            RentDeclaration.year < year,
            RentDeclaration.state == DeclarationState.TRANSMIS,
        )
        .order_by(RentDeclaration.year.desc())
        .limit(1)
    ).first()


def _facts(session: Session, user: User, tenant: Tenant, year: int) -> RentFacts:
    current = _declaration(session, tenant.id, year)
    transmitted = current is not None and current.state is DeclarationState.TRANSMIS
    return RentFacts(
        tenant_id=tenant.id,
        organisation_name=user.organisation.name,
        last_name=tenant.last_name,
        first_name=tenant.first_name,
        allocataire_number=tenant.allocataire_number,
        since=tenant.since,
        flatshare=tenant.flatshare,
        address=tenant.dwelling.full_address,
        year=year,
        last_rent_cents=_last_rent(session, tenant.id, year),
        state=DeclarationState.TRANSMIS if transmitted else DeclarationState.NON_SAISI,
        transmitted_at=current.transmitted_at if transmitted and current else None,
        transmitted_rent_cents=current.rent_cents if transmitted and current else None,
        receipt_reference=current.receipt_reference if transmitted and current else None,
    )


def rent_campaign(uow: UnitOfWork, *, user_id: int | None, today: date) -> Campaign:
    """The tenants whose July rent is expected this campaign, in the screen's order."""
    year = campaign_year(today)
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenants = session.scalars(
            tenants_in_scope(user).order_by(Tenant.last_name, Tenant.first_name)
        ).all()
        rows = session.execute(
            select(RentDeclaration.tenant_id, RentDeclaration.state).where(
                RentDeclaration.year == year,
                RentDeclaration.tenant_id.in_([t.id for t in tenants]),
            )
        ).tuples()
        states = {tenant_id: state for tenant_id, state in rows}
        lines = tuple(
            TenantLine(
                tenant_id=t.id,
                last_name=t.last_name,
                first_name=t.first_name,
                allocataire_number=t.allocataire_number,
                postcode=t.dwelling.postcode,
                commune=t.dwelling.commune,
                state=states.get(t.id, DeclarationState.NON_SAISI),
            )
            for t in tenants
            if _expects_declaration(t)
        )
        return Campaign(year=year, lines=lines)


def rent_facts(uow: UnitOfWork, *, user_id: int | None, tenant_id: int, today: date) -> RentFacts:
    """The last known information of one tenant of the user's scope."""
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, tenant_id)
        return _facts(session, user, tenant, campaign_year(today))


def new_receipt_reference(year: int) -> str:
    return f"LOY-{year}-{secrets.token_hex(4).upper()}"


def transmit_rent(
    uow: UnitOfWork, *, user_id: int | None, answers: RentAnswers, now: datetime
) -> TransmittedRent:
    """Store the declaration as Transmis, once per tenant and year, with a unique receipt reference.

    Raises `RentAlreadyTransmitted` when it was already transmitted (a double "Valider"), and
    `NotFound` when the tenant is outside the user's scope.
    """
    today = paris_today(now)
    year = campaign_year(today)
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, answers.tenant_id)
        facts = _facts(session, user, tenant, year)
        declaration = _declaration(session, tenant.id, year)
        if declaration is None:
            declaration = RentDeclaration(tenant_id=tenant.id, year=year)
            session.add(declaration)
        elif declaration.state is DeclarationState.TRANSMIS:
            raise RentAlreadyTransmitted(
                declaration.transmitted_at or now,
                declaration.rent_cents or 0,
                declaration.receipt_reference or "",
            )
        reference = new_receipt_reference(year)
        declaration.state = DeclarationState.TRANSMIS
        declaration.rent_cents = answers.rent_cents
        declaration.flatshare = answers.flatshare
        declaration.unpaid_to_report = answers.unpaid_to_report
        declaration.transmitted_at = now
        declaration.transmitted_by_id = user.id
        declaration.receipt_reference = reference
        tenant.flatshare = answers.flatshare
        uow.commit()
        return TransmittedRent(
            facts=facts,
            rent_cents=answers.rent_cents,
            flatshare=answers.flatshare,
            unpaid_to_report=answers.unpaid_to_report,
            reference=reference,
            transmitted_at=now,
            transmitted_by=user.display_name,
        )
