"""Storing a change declaration and drawing its receipt: what the three change services share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.models import User
from services.core.errors import ChangeAlreadyDeclared
from services.declarations.models import ChangeDeclaration, ChangeKind, EndReason
from services.declarations.references import new_reference
from services.documents.receipts import Receipt, render_receipt, row
from services.documents.texts import text
from services.tenants.models import Tenant

# The receipt reference's prefix of each kind of change.
PREFIXES = {
    ChangeKind.END_OF_MANAGEMENT: "FDG",
    ChangeKind.DEPARTURE: "DEP",
    ChangeKind.FLATSHARE: "COL",
}


def reason_label(reason: EndReason) -> str:
    """ "Vente du logement", ..., as the receipt names an end of management's reason."""
    return text(f"receipt.reasons.{reason.value}")


@dataclass(frozen=True)
class TransmittedChange:
    """A stored change, its receipt, and for a departure whether it came late."""

    kind: ChangeKind
    reference: str
    tenant_ids: tuple[int, ...]
    tenant_names: tuple[str, ...]
    dwelling_address: str
    effective_on: date
    transmitted_at: datetime
    transmitted_by: str
    receipt: Receipt
    pdf_filename: str
    late: bool = False
    report_by: date | None = None

    @property
    def pdf(self) -> bytes:
        """The receipt drawn now (a turn sends `receipt`, drawn after its commit)."""
        return render_receipt(self.receipt)


def tenant_rows(tenant: Tenant) -> list[tuple[str, str]]:
    return [
        (row("tenant"), tenant.display_name),
        (row("allocataire_number"), tenant.allocataire_number),
        (row("address"), tenant.dwelling.full_address),
    ]


def store_change(
    session: Session,
    change: ChangeDeclaration,
    *,
    user: User,
    tenants: Sequence[Tenant],
    rows: list[tuple[str, str]],
    notes: tuple[str, ...] = (),
) -> TransmittedChange:
    change.reference = new_reference(PREFIXES[change.kind], change.transmitted_at.year)
    change.transmitted_by_id = user.id
    session.add(change)
    session.flush()
    return described(change, by=user, tenants=tenants, rows=rows, notes=notes)


def described(
    change: ChangeDeclaration,
    *,
    by: User,
    tenants: Sequence[Tenant],
    rows: list[tuple[str, str]],
    notes: tuple[str, ...] = (),
) -> TransmittedChange:
    """A stored change with its receipt (`by`: the user who transmitted it)."""
    prefix = PREFIXES[change.kind]
    receipt = Receipt(
        title=text(f"receipt.titles.{change.kind.value}"),
        organisation=by.organisation.name,
        reference=change.reference,
        issued_at=change.transmitted_at,
        rows=(*rows, (row("transmitted_by"), by.display_name)),
        notes=notes,
    )
    return TransmittedChange(
        kind=change.kind,
        reference=change.reference,
        tenant_ids=tuple(t.id for t in tenants),
        tenant_names=tuple(t.display_name for t in tenants),
        dwelling_address=tenants[0].dwelling.full_address,
        effective_on=change.effective_on,
        transmitted_at=change.transmitted_at,
        transmitted_by=by.display_name,
        receipt=receipt,
        pdf_filename=f"{prefix.lower()}-{change.reference}.pdf",
        late=change.late,
    )


def _earlier(session: Session, kind: ChangeKind, **where: int) -> ChangeDeclaration | None:
    query = select(ChangeDeclaration).where(ChangeDeclaration.kind == kind)
    for column, value in where.items():
        query = query.where(getattr(ChangeDeclaration, column) == value)
    return session.scalars(query.order_by(ChangeDeclaration.id.desc()).limit(1)).first()


def refuse_repeat(session: Session, kind: ChangeKind, now: datetime, **where: int) -> NoReturn:
    earlier = _earlier(session, kind, **where)
    raise ChangeAlreadyDeclared(
        kind.value,
        earlier.transmitted_at if earlier else now,
        earlier.reference if earlier else "",
    )
