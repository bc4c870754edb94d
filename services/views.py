"""Read-only queries for what the bot shows; they take a unit of work and return plain values."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from services.db import UnitOfWork
from services.models import Tenant, User
from services.scope import active_user, tenants_in_scope


def all_tenant_candidates(uow: UnitOfWork) -> list[tuple[int, str, str]]:
    """Every tenant as (id, first name, last name): for offline NLU tools only, never a chat."""
    with uow:
        rows = uow.session.execute(
            select(Tenant.id, Tenant.first_name, Tenant.last_name).order_by(Tenant.id)
        ).tuples()
        return [(tenant_id, first, last) for tenant_id, first, last in rows]


def tenant_candidates(
    uow: UnitOfWork, *, user_id: int | None, today: date
) -> list[tuple[int, str, str]]:
    """The tenants a user may name in free text: exactly their scope."""
    with uow:
        user = active_user(uow.session, user_id, today)
        tenants = uow.session.scalars(tenants_in_scope(user).order_by(Tenant.id)).all()
        return [(t.id, t.first_name, t.last_name) for t in tenants]


def user_display_name(uow: UnitOfWork, *, user_id: int) -> str:
    with uow:
        user = uow.session.get(User, user_id)
        return user.display_name if user else ""


def tenant_ids_by_allocataire(
    uow: UnitOfWork, *, user_id: int | None, today: date, number: str
) -> list[int]:
    """Tenants of the user's scope with that numéro allocataire (leading zeros ignored)."""
    with uow:
        user = active_user(uow.session, user_id, today)
        tenants = uow.session.scalars(tenants_in_scope(user)).all()
        wanted = number.lstrip("0")
        return [t.id for t in tenants if t.allocataire_number.lstrip("0") == wanted]
