"""Transmitting the July rent: once per tenant and campaign year, with its PDF receipt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from services.accounts.actor import active_user
from services.core.clock import campaign_year, paris_today
from services.core.db import UnitOfWork
from services.core.errors import RentAlreadyTransmitted
from services.core.money import MAX_CENTS, format_euros
from services.declarations.models import DeclarationState, RentDeclaration
from services.declarations.references import new_reference
from services.declarations.views import RentFacts, declaration_of, facts_of
from services.documents.receipts import Receipt, render_receipt, row
from services.documents.texts import text, yes_no
from services.tenants.scope import tenant_in_scope


@dataclass(frozen=True)
class TransmittedRent:
    facts: RentFacts
    rent_cents: int
    flatshare: bool
    unpaid_to_report: bool
    reference: str
    transmitted_at: datetime
    transmitted_by: str

    @property
    def pdf(self) -> bytes:
        """The receipt, rendered when asked for (outside the turn's transaction when possible)."""
        return render_receipt(_receipt(self))

    @property
    def pdf_filename(self) -> str:
        return f"recapitulatif-{self.reference}.pdf"


class RentAnswers(BaseModel):
    """The answers of the form, checked again at the service boundary."""

    tenant_id: int = Field(gt=0)
    rent_cents: int = Field(gt=0, le=MAX_CENTS)
    flatshare: bool
    unpaid_to_report: bool


def transmit_rent(
    uow: UnitOfWork, *, user_id: int | None, answers: RentAnswers, now: datetime
) -> TransmittedRent:
    """Store the declaration as Transmis, once per tenant and year, with a unique receipt reference.

    Raises `RentAlreadyTransmitted` when it was already transmitted (a double "Valider"), and
    `NotFound` when the tenant is outside the user's scope.
    """
    today = paris_today(now)
    year = campaign_year(today)
    try:
        return _transmit(uow, user_id=user_id, answers=answers, now=now, year=year)
    except IntegrityError:
        # A colleague transmitted the same declaration at the same moment (another worker):
        # the loser is told it was already transmitted, as for a double "Valider".
        with uow:
            tenant_id = answers.tenant_id
            declaration = declaration_of(uow.session, tenant_id, year, fresh=True)
            if declaration is not None and declaration.state is DeclarationState.TRANSMIS:
                raise _already(declaration, now) from None
        raise


def _already(declaration: RentDeclaration, now: datetime) -> RentAlreadyTransmitted:
    return RentAlreadyTransmitted(
        declaration.transmitted_at or now,
        declaration.rent_cents or 0,
        declaration.receipt_reference or "",
    )


def _transmit(
    uow: UnitOfWork, *, user_id: int | None, answers: RentAnswers, now: datetime, year: int
) -> TransmittedRent:
    today = paris_today(now)
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, answers.tenant_id)
        facts = facts_of(session, user, tenant, year)
        # Locked (PostgreSQL) and read again: a colleague's transmission that committed while
        # this one waited is seen here instead of being overwritten.
        declaration = declaration_of(session, tenant.id, year, fresh=True)
        if declaration is None:
            declaration = RentDeclaration(tenant_id=tenant.id, year=year)
            session.add(declaration)
        elif declaration.state is DeclarationState.TRANSMIS:
            raise _already(declaration, now)
        reference = new_reference("LOY", year)
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


def _receipt(done: TransmittedRent) -> Receipt:
    facts = done.facts
    return Receipt(
        title=text("receipt.titles.rent", year=facts.year),
        organisation=facts.organisation_name,
        reference=done.reference,
        issued_at=done.transmitted_at,
        rows=(
            (row("tenant"), f"{facts.last_name} {facts.first_name}"),
            (row("allocataire_number"), facts.allocataire_number),
            (row("address"), facts.address),
            (row("since"), facts.since.strftime("%d/%m/%Y")),
            (row("year"), str(facts.year)),
            (row("still_manager"), yes_no(True)),
            (row("still_living"), yes_no(True)),
            (row("flatshare"), yes_no(done.flatshare)),
            (row("rent", year=facts.year), format_euros(done.rent_cents)),
            (row("unpaid_to_report"), yes_no(done.unpaid_to_report)),
            (row("transmitted_by"), done.transmitted_by),
        ),
    )
