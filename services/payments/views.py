"""What the bot shows about the CAF's monthly payments to the landlord (direct payment of the
aid): a month-by-month view and when each aid is paid.

Read-only queries: they take a unit of work and return plain values, never an ORM object.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from services.accounts.actor import active_user
from services.core.dates import add_months, month_start
from services.core.db import UnitOfWork
from services.core.errors import DateError, InvalidValue
from services.payments.models import Payment
from services.tenants.models import AidType, Tenant
from services.tenants.scope import tenant_in_scope, tenants_in_scope

FIRST_YEAR = 2000


@dataclass(frozen=True)
class PaymentLine:
    tenant_id: int
    tenant_name: str
    allocataire_number: str
    aid_type: AidType
    amount_cents: int
    paid_on: date


@dataclass(frozen=True)
class MonthPayments:
    month: date
    lines: tuple[PaymentLine, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


@dataclass(frozen=True)
class PaymentsView:
    """Months with a payment, most recent first, inside [first_month, last_month]."""

    first_month: date
    last_month: date
    months: tuple[MonthPayments, ...]
    tenant_totals: tuple[tuple[int, str, int], ...]

    @property
    def total_cents(self) -> int:
        return sum(month.total_cents for month in self.months)


@dataclass(frozen=True)
class PaymentDay:
    """When the CAF pays an aid: APL on the 25th of the month it is for; AL (ALF, ALS) at the
    start of the following month (à terme échu)."""

    aid_type: AidType
    day_of_month: int | None
    following_month: bool
    code: str

    def expected_on(self, month: date) -> date:
        """The usual payment day for `month` (AL: the 1st of the next month, at the earliest)."""
        if self.following_month:
            return add_months(month_start(month), 1)
        return month.replace(day=self.day_of_month or 1)


def payment_day_explanation(aid_type: AidType | str) -> PaymentDay:
    """When an aid of that type is paid; `InvalidValue("invalid_aid_type")` for another name."""
    try:
        kind = AidType(aid_type)
    except ValueError as exc:
        raise InvalidValue("invalid_aid_type") from exc
    if kind is AidType.APL:
        return PaymentDay(kind, 25, False, "apl_25th_same_month")
    return PaymentDay(kind, None, True, "al_start_of_next_month")


def _period(today: date, month: int | None, year: int | None) -> tuple[date, date]:
    current = month_start(today)
    if month is not None and not 1 <= month <= 12:
        raise InvalidValue("invalid_month")
    if year is not None and not FIRST_YEAR <= year <= today.year:
        raise DateError("year_out_of_range")
    if month is not None and year is not None:
        return date(year, month, 1), date(year, month, 1)
    if year is not None:
        return date(year, 1, 1), date(year, 12, 1)
    chosen = date(today.year, month or 1, 1)
    chosen = chosen if chosen <= current else date(today.year - 1, month or 1, 1)
    return chosen, chosen


def payments_view(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    today: date,
    tenant_id: int | None = None,
    month: int | None = None,
    year: int | None = None,
) -> PaymentsView:
    """Payments made (paid on or before `today`) in the user's scope, or for one tenant of it
    (`NotFound` outside). By default the 12 months ending with the latest month paid; else one
    year, or one month (a month alone means its latest occurrence)."""
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        in_scope = Payment.tenant_id.in_(tenants_in_scope(user).with_only_columns(Tenant.id))
        made = Payment.paid_on <= today
        if month is None and year is None:
            latest = session.scalar(select(func.max(Payment.month)).where(in_scope, made))
            last = latest or month_start(today)
            first = add_months(last, -11)
        else:
            first, last = _period(today, month, year)
        query = (
            select(Payment, Tenant)
            .join(Tenant, Payment.tenant_id == Tenant.id)
            .where(in_scope, made, Payment.month >= first, Payment.month <= last)
            .order_by(Payment.month.desc(), Tenant.last_name, Tenant.first_name)
        )
        if tenant_id is not None:
            query = query.where(Payment.tenant_id == tenant_in_scope(session, user, tenant_id).id)
        by_month: dict[date, list[PaymentLine]] = defaultdict(list)
        totals: dict[tuple[int, str], int] = defaultdict(int)
        for payment, tenant in session.execute(query).tuples():
            line = PaymentLine(
                tenant_id=tenant.id,
                tenant_name=tenant.display_name,
                allocataire_number=tenant.allocataire_number,
                aid_type=payment.aid_type,
                amount_cents=payment.amount_cents,
                paid_on=payment.paid_on,
            )
            by_month[payment.month].append(line)
            totals[(tenant.id, tenant.display_name)] += payment.amount_cents
        return PaymentsView(
            first_month=first,
            last_month=last,
            months=tuple(MonthPayments(m, tuple(lines)) for m, lines in by_month.items()),
            tenant_totals=tuple(
                (tid, name, cents)
                for (tid, name), cents in sorted(totals.items(), key=lambda i: i[0][1])
            ),
        )
