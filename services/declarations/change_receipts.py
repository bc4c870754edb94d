"""A change's receipt drawn from the stored declaration: the same rows at its transmission and
whenever the landlord asks for it again (a lost PDF is a lost proof).

The rows come from what the declaration keeps (dates, reason, new manager or address, the
flat-share's figures) and from the tenant and dwelling it names; the receipt keeps its reference,
its date and who transmitted it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from services.accounts.actor import active_user
from services.accounts.models import User
from services.core.dates import format_date
from services.core.db import UnitOfWork
from services.core.errors import NotFound
from services.declarations.change_records import (
    TransmittedChange,
    described,
    reason_label,
    tenant_rows,
)
from services.declarations.models import ChangeDeclaration, ChangeKind
from services.documents.receipts import note, row, value
from services.documents.texts import yes_no
from services.tenants.models import Tenant
from services.tenants.scope import tenant_in_scope


def receipt_rows(
    change: ChangeDeclaration, tenant: Tenant, tenants: Sequence[Tenant]
) -> list[tuple[str, str]]:
    """The receipt's rows of a change about `tenant` (`tenants`: all the change concerns)."""
    if change.kind is ChangeKind.END_OF_MANAGEMENT:
        assert change.reason is not None
        return [
            (row("address"), tenant.dwelling.full_address),
            (row("end_of_management_on"), format_date(change.effective_on)),
            (row("reason"), reason_label(change.reason)),
            (row("new_manager"), change.new_manager or value("unknown_manager")),
            (row("tenants_concerned"), ", ".join(t.display_name for t in tenants)),
        ]
    if change.kind is ChangeKind.DEPARTURE:
        assert change.lease_ended_on is not None
        return [
            *tenant_rows(tenant),
            (row("departed_on"), format_date(change.effective_on)),
            (row("lease_ended_on"), format_date(change.lease_ended_on)),
            (row("new_address"), change.new_address or value("unknown_address")),
        ]
    names = ", ".join(change.cotenant_names or ())
    return [
        *tenant_rows(tenant),
        (row("flatshare"), yes_no(bool(change.flatshare))),
        (row("cotenants"), str(change.cotenants)),
        (row("cotenant_names"), names or value("names_not_given")),
        (row("from_date"), format_date(change.effective_on)),
    ]


def receipt_notes(change: ChangeDeclaration) -> tuple[str, ...]:
    if change.kind is ChangeKind.END_OF_MANAGEMENT:
        return (note("end_of_management"),)
    if change.kind is ChangeKind.DEPARTURE:
        return (note("late_departure"),) if change.late else ()
    return (note("flatshare"),)


def concerned(tenant: Tenant) -> list[Tenant]:
    """The tenants an end of management concerns: those of the dwelling still there."""
    return [t for t in tenant.dwelling.tenants if t.departed_on is None] or [tenant]


def transmitted_change(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    tenant_id: int,
    kind: ChangeKind | None = None,
    today: date,
) -> TransmittedChange:
    """The latest change transmitted about a tenant of the user's scope (of `kind` if given;
    an end of management concerns every tenant of the dwelling), with its receipt as it was
    transmitted. `NotFound` outside the scope or when there is none."""
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, tenant_id)
        about_tenant = ChangeDeclaration.tenant_id == tenant.id
        about_dwelling = (ChangeDeclaration.dwelling_id == tenant.dwelling_id) & (
            ChangeDeclaration.kind == ChangeKind.END_OF_MANAGEMENT
        )
        query = select(ChangeDeclaration).where(about_tenant | about_dwelling)
        if kind is not None:
            query = query.where(ChangeDeclaration.kind == kind)
        change = session.scalars(query.order_by(ChangeDeclaration.id.desc()).limit(1)).first()
        if change is None:
            raise NotFound("change_declaration")
        by = session.get(User, change.transmitted_by_id)
        assert by is not None
        tenants = concerned(tenant) if change.kind is ChangeKind.END_OF_MANAGEMENT else [tenant]
        return described(
            change,
            by=by,
            tenants=tenants,
            rows=receipt_rows(change, tenant, tenants),
            notes=receipt_notes(change),
        )
