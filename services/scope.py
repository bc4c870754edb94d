"""Who may see what: a user's scope is their organisation intersected with their habilitation
groups. Every query for tenants goes through `tenants_in_scope`; nothing is fetched by a bare id.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.orm import Session

from services.errors import NotAllowed, NotFound
from services.models import Dwelling, Tenant, User


def active_user(session: Session, user_id: int | None, today: date) -> User:
    """The acting user, refused when unknown or closed."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or (user.closed_on is not None and user.closed_on <= today):
        raise NotAllowed("no active user")
    if user.opened_on is not None and user.opened_on > today:
        raise NotAllowed("user not yet open")
    return user


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
    """One tenant, only if inside the user's scope; `NotFound` otherwise (no hint it exists)."""
    tenant = session.scalars(tenants_in_scope(user).where(Tenant.id == tenant_id)).one_or_none()
    if tenant is None:
        raise NotFound("tenant")
    return tenant
