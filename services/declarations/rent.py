"""Transmitting the July rent: once per tenant and campaign year, with its PDF receipt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Table, bindparam, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from services.accounts.acting import active
from services.core.clock import campaign_year, paris_today
from services.core.db import ATOMIC_WRITE, UnitOfWork
from services.core.errors import NotFound, RentAlreadyTransmitted
from services.core.money import MAX_CENTS, format_euros
from services.declarations.models import DeclarationState, RentDeclaration
from services.declarations.references import new_reference
from services.declarations.views import RentFacts, declaration_of, facts_of
from services.documents.receipts import Receipt, render_receipt, row
from services.documents.texts import text, yes_no
from services.tenants.models import Tenant


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
    def receipt(self) -> Receipt:
        """The receipt's data: drawn after the turn's commit, or now by `pdf`."""
        return _receipt(self)

    @property
    def pdf(self) -> bytes:
        """The receipt, rendered when asked for (outside the turn's transaction when possible)."""
        return render_receipt(self.receipt)

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

    Raises `RentAlreadyTransmitted` when it was already transmitted (a double "Valider", or a
    colleague's transmission that committed first), and `NotFound` when the tenant is outside
    the user's scope.
    """
    today = paris_today(now)
    year = campaign_year(today)
    with uow:
        session = uow.session
        user = active(session, user_id, today)
        facts = facts_of(session, user, answers.tenant_id, year)  # in the user's scope
        tenant_id = facts.tenant_id
        if facts.state is DeclarationState.TRANSMIS:
            raise RentAlreadyTransmitted(
                facts.transmitted_at or now,
                facts.transmitted_rent_cents or 0,
                facts.receipt_reference or "",
            )
        if answers.flatshare != facts.flatshare:
            # A second write: the block's savepoint opens here, so a transmission refused below
            # takes this change back with it.
            session.execute(
                _SET_FLATSHARE, {"tenant_id": tenant_id, "flatshare": answers.flatshare}
            )
            loaded = session.identity_map.get(identity_key(Tenant, tenant_id))
            if loaded is not None:  # read earlier in this transaction: say it as it now is
                set_committed_value(loaded, "flatshare", answers.flatshare)
        reference = new_reference("LOY", year)
        stored = session.execute(
            _upsert(session),
            {
                "tenant_id": tenant_id,
                "year": year,
                "rent_cents": answers.rent_cents,
                "flatshare": answers.flatshare,
                "unpaid_to_report": answers.unpaid_to_report,
                "transmitted_at": now,
                "transmitted_by_id": user.id,
                "receipt_reference": reference,
            },
            # One statement that writes all or nothing: alone in its block, it needs no
            # savepoint (`services.core.db.ATOMIC_WRITE`).
            execution_options={ATOMIC_WRITE: True},
        ).first()
        if stored is None:
            # A colleague's transmission committed first (another chat, another worker): the
            # upsert waited for it and then left its row alone.
            declaration = declaration_of(session, tenant_id, year, fresh=True)
            raise _already(declaration, now)
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


def transmitted_rent(
    uow: UnitOfWork, *, user_id: int | None, tenant_id: int, today: date
) -> TransmittedRent:
    """This campaign's transmitted rent of a tenant of the user's scope, as it was transmitted:
    its receipt can be sent again. `NotFound` when the tenant is outside the scope or its rent
    is not transmitted."""
    year = campaign_year(today)
    with uow:
        session = uow.session
        user = active(session, user_id, today)
        facts = facts_of(session, user, tenant_id, year)  # in the user's scope
        declaration = declaration_of(session, facts.tenant_id, year)
        if (
            declaration is None
            or declaration.state is not DeclarationState.TRANSMIS
            or declaration.transmitted_at is None
        ):
            raise NotFound("rent_declaration")
        by = declaration.transmitted_by
        return TransmittedRent(
            facts=facts,
            rent_cents=declaration.rent_cents or 0,
            flatshare=bool(declaration.flatshare),
            unpaid_to_report=bool(declaration.unpaid_to_report),
            reference=declaration.receipt_reference or "",
            transmitted_at=declaration.transmitted_at,
            transmitted_by=by.display_name if by is not None else "",
        )


def _already(declaration: RentDeclaration | None, now: datetime) -> RentAlreadyTransmitted:
    if declaration is None:  # pragma: no cover - the upsert found the row it left alone
        raise RuntimeError("rent declaration vanished during its transmission")
    return RentAlreadyTransmitted(
        declaration.transmitted_at or now,
        declaration.rent_cents or 0,
        declaration.receipt_reference or "",
    )


_DECLARATIONS: Table = RentDeclaration.__table__  # type: ignore[assignment]
_TENANTS: Table = Tenant.__table__  # type: ignore[assignment]
_SET_FLATSHARE = (
    update(_TENANTS)
    .where(_TENANTS.c.id == bindparam("tenant_id"))
    .values(flatshare=bindparam("flatshare"))
)
_TRANSMITTED = (
    "rent_cents",
    "flatshare",
    "unpaid_to_report",
    "transmitted_at",
    "transmitted_by_id",
    "receipt_reference",
)


@cache
def _upsert_for(dialect: str) -> Any:
    """The transmission in one statement, built once per dialect: insert the year's row, or
    fill in the « Non saisi » one; a row already « Transmis » is left alone and nothing is
    returned. Under PostgreSQL's row lock the condition is checked again on the row as the
    colleague who held it committed it, so a declaration is never overwritten nor doubled;
    SQLite's writers are serialised by BEGIN IMMEDIATE."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    columns = ("tenant_id", "year", *_TRANSMITTED)
    statement = insert(_DECLARATIONS).values(
        {name: bindparam(name, type_=_DECLARATIONS.c[name].type) for name in columns}
        | {"state": DeclarationState.TRANSMIS}
    )
    return statement.on_conflict_do_update(
        index_elements=["tenant_id", "year"],
        set_={name: statement.excluded[name] for name in ("state", *_TRANSMITTED)},
        where=_DECLARATIONS.c.state == DeclarationState.NON_SAISI,
    ).returning(_DECLARATIONS.c.id)


def _upsert(session: Session) -> Any:
    return _upsert_for(session.get_bind().dialect.name)


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
