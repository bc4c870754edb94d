"""A tenant's monthly terms (rent, charges, aid), for the unpaid dialog's default amounts.

Why a separate module: `TenantCard` does not carry the monthly amounts, and the unpaid dialog must
offer "what the tenant owes each month" as a default and assess the months typed so far with the
same figures `report_unpaid` uses. Candidate to move into `services.tenants.tenant_card`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.db import UnitOfWork
from services.scope import active_user, tenant_in_scope


@dataclass(frozen=True)
class TenantTerms:
    tenant_id: int
    display_name: str
    since: date
    monthly_rent_cents: int
    monthly_charges_cents: int
    monthly_aid_cents: int
    aid_paid_to_landlord: bool

    @property
    def tenant_share_cents(self) -> int:
        """What the tenant pays each month: rent + charges, less the aid when the landlord gets it."""
        aid = self.monthly_aid_cents if self.aid_paid_to_landlord else 0
        return self.monthly_rent_cents + self.monthly_charges_cents - aid


def tenant_terms(
    uow: UnitOfWork, *, user_id: int | None, tenant_id: int, today: date
) -> TenantTerms:
    """The terms of one tenant of the user's scope; `NotFound` outside it."""
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, tenant_id)
        return TenantTerms(
            tenant_id=tenant.id,
            display_name=tenant.display_name,
            since=tenant.since,
            monthly_rent_cents=tenant.monthly_rent_cents,
            monthly_charges_cents=tenant.monthly_charges_cents,
            monthly_aid_cents=tenant.monthly_aid_cents,
            aid_paid_to_landlord=tenant.aid_paid_to_landlord,
        )
