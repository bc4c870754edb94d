"""Tables for the declarations of issue 6: changes, unpaid reports and the landlord's rent ledger.

They live beside `services.models` (same `Base`, so one metadata and one migration chain) and only
point at its tables; `services.models` knows nothing of them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.models import Base, Dwelling, Tenant, User


class ChangeKind(enum.StrEnum):
    END_OF_MANAGEMENT = "end_of_management"
    DEPARTURE = "departure"
    FLATSHARE = "flatshare"


class EndReason(enum.StrEnum):
    SALE = "sale"
    OWNER_DEATH = "owner_death"
    MANDATE_END = "mandate_end"
    OTHER = "other"


class ChangeDeclaration(Base):
    """One transmitted change; `closed_at` stays empty until the CAF has processed it.

    `effective_on` is the date the change takes effect (end of management, departure, start of the
    new flat-share situation); the kind-specific answers sit in their own nullable columns.
    """

    __tablename__ = "change_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ChangeKind] = mapped_column(Enum(ChangeKind, native_enum=False))
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    dwelling_id: Mapped[int] = mapped_column(ForeignKey("dwellings.id"))
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[EndReason | None] = mapped_column(
        Enum(EndReason, native_enum=False), default=None
    )
    new_manager: Mapped[str | None] = mapped_column(String(200), default=None)
    lease_ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    new_address: Mapped[str | None] = mapped_column(String(300), default=None)
    flatshare: Mapped[bool | None] = mapped_column(Boolean, default=None)
    cotenants: Mapped[int | None] = mapped_column(Integer, default=None)
    cotenant_names: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    transmitted_at: Mapped[datetime]
    transmitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(default=None)

    tenant: Mapped[Tenant] = relationship()
    dwelling: Mapped[Dwelling] = relationship()
    transmitted_by: Mapped[User] = relationship()


class UnpaidReport(Base):
    """A reported unpaid rent; at most one open report (`closed_at` empty) per tenant.

    The figures the assessment used are copied in, so the report still reads the same after the
    tenant's rent or aid changes.
    """

    __tablename__ = "unpaid_reports"
    __table_args__ = (
        Index(
            "uq_unpaid_reports_open_tenant",
            "tenant_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    first_month: Mapped[date] = mapped_column(Date)
    rule_id: Mapped[str] = mapped_column(String(40))
    threshold_cents: Mapped[int | None] = mapped_column(Integer, default=None)
    debt_cents: Mapped[int] = mapped_column(Integer)
    constituted_on: Mapped[date] = mapped_column(Date)
    report_by: Mapped[date] = mapped_column(Date)
    monthly_rent_cents: Mapped[int] = mapped_column(Integer)
    monthly_charges_cents: Mapped[int] = mapped_column(Integer)
    monthly_aid_cents: Mapped[int] = mapped_column(Integer)
    aid_paid_to_landlord: Mapped[bool] = mapped_column(Boolean)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    transmitted_at: Mapped[datetime]
    transmitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(default=None)

    tenant: Mapped[Tenant] = relationship()
    transmitted_by: Mapped[User] = relationship()
    lines: Mapped[list[UnpaidReportLine]] = relationship(
        back_populates="report", order_by="UnpaidReportLine.month", cascade="all, delete-orphan"
    )


class UnpaidReportLine(Base):
    """One month of a report: what was due (rent + charges) and what the tenant paid."""

    __tablename__ = "unpaid_report_lines"
    __table_args__ = (UniqueConstraint("report_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("unpaid_reports.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)
    due_cents: Mapped[int] = mapped_column(Integer)
    paid_cents: Mapped[int] = mapped_column(Integer)

    report: Mapped[UnpaidReport] = relationship(back_populates="lines")


class RentLedgerEntry(Base):
    """What the landlord recorded as due and received for one tenant and month.

    The CAF never sees it; it lets the bot propose the months of an unpaid report instead of
    asking for each amount again.
    """

    __tablename__ = "rent_ledger"
    __table_args__ = (UniqueConstraint("tenant_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    month: Mapped[date] = mapped_column(Date)
    due_cents: Mapped[int] = mapped_column(Integer)
    paid_cents: Mapped[int] = mapped_column(Integer)
