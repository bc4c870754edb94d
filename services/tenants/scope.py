"""Who may see what: a user's scope is their organisation intersected with their habilitation
groups. Every query for tenants goes through `tenants_in_scope`; nothing is fetched by a bare id.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, bindparam, false, or_, select
from sqlalchemy.orm import Session, contains_eager

from services.accounts.models import User
from services.core.errors import NotFound
from services.core.memo import remembered
from services.tenants.models import Dwelling, Tenant


def tenants_in_scope(user: User) -> Select[Tenant]:
    """A query for the tenants this user may see and act on."""
    query = (
        select(Tenant).join(Tenant.dwelling).where(Dwelling.organisation_id == user.organisation_id)
    )
    if user.is_admin:
        return query
    pairs = [
        and_(Dwelling.kind == group.dwelling_kind, Dwelling.departement == group.departement)
        for group in user.groups
    ]
    return query.where(or_(*pairs) if pairs else false())


def tenant_in_scope(session: Session, user: User, tenant_id: int) -> Tenant:
    """One tenant, only if inside the user's scope; `NotFound` otherwise (no hint it exists).
    Checked once per transaction for a user and a tenant (`services.core.memo`)."""
    tenant = remembered(
        session, ("tenant_in_scope", user.id, tenant_id), lambda: _read(session, user, tenant_id)
    )
    if tenant is None:
        raise NotFound("tenant")
    return tenant


# An administrator's scope is the whole organisation: that statement is built once, with bound
# parameters (building it and computing its cache key cost as much as running it). A scope of
# habilitation groups differs by user and is built at each call.
ORGANISATION_TENANTS = (
    select(Tenant)
    .join(Tenant.dwelling)
    .where(Dwelling.organisation_id == bindparam("organisation_id"))
)
"""An administrator's scope, `tenants_in_scope` with the organisation as a bound parameter:
for statements built once and run with `{"organisation_id": user.organisation_id}`."""

_ADMIN_TENANT = ORGANISATION_TENANTS.options(contains_eager(Tenant.dwelling)).where(
    Tenant.id == bindparam("tenant_id")
)  # joined already


def _read(session: Session, user: User, tenant_id: int) -> Tenant | None:
    if user.is_admin:
        values = {"organisation_id": user.organisation_id, "tenant_id": tenant_id}
        return session.scalars(_ADMIN_TENANT, values).one_or_none()
    return session.scalars(
        tenants_in_scope(user)
        .options(contains_eager(Tenant.dwelling))  # joined already: read with the tenant
        .where(Tenant.id == tenant_id)
    ).one_or_none()
