"""When the CAF's next payments come, for « c'est quand le prochain versement ? ».

The next month of each aid is the one after the last month already paid for it (the payments
received say where the CAF stands, whatever today's date), and its usual day follows the aid's
rule (`PaymentDay`): APL on the 25th of that month, AL at the start of the month after. The
amount shown is the last month's, as an indication: the CAF may change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from services.accounts.actor import active_user
from services.core.dates import add_months, month_start
from services.core.db import UnitOfWork
from services.payments.models import Payment
from services.payments.views import payment_day_explanation
from services.tenants.models import AidType, Tenant
from services.tenants.scope import tenants_in_scope


@dataclass(frozen=True)
class UpcomingPayment:
    """The next payment of one aid: the month it is for, its usual day, and what the last one
    was (total and tenants)."""

    aid_type: AidType
    month: date
    expected_on: date
    following_month: bool
    last_total_cents: int
    tenants: int


def upcoming_payments(
    uow: UnitOfWork, *, user_id: int | None, today: date
) -> tuple[UpcomingPayment, ...]:
    """The next payment of each aid paid for the user's tenants, APL first."""
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        in_scope = Payment.tenant_id.in_(tenants_in_scope(user).with_only_columns(Tenant.id))
        made = Payment.paid_on <= today
        latest = (
            select(Payment.aid_type, func.max(Payment.month).label("last_month"))
            .where(in_scope, made)
            .group_by(Payment.aid_type)
        ).subquery()
        rows = session.execute(
            select(
                Payment.aid_type,
                Payment.month,
                func.sum(Payment.amount_cents),
                func.count(func.distinct(Payment.tenant_id)),
            )
            .join(
                latest,
                (latest.c.aid_type == Payment.aid_type) & (latest.c.last_month == Payment.month),
            )
            .where(in_scope, made)
            .group_by(Payment.aid_type, Payment.month)
        ).all()
    upcoming: list[UpcomingPayment] = []
    for aid_type, last_month, total, tenants in rows:
        day = payment_day_explanation(aid_type)
        month = add_months(month_start(last_month), 1)
        upcoming.append(
            UpcomingPayment(
                AidType(aid_type),
                month,
                day.expected_on(month),
                day.following_month,
                int(total or 0),
                int(tenants or 0),
            )
        )
    return tuple(sorted(upcoming, key=lambda p: p.aid_type is not AidType.APL))
