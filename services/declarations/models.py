"""The declarations' tables: the July rent of each campaign year, changes (end of management,
departure, flat-share), unpaid reports with their monthly lines, and the landlord's rent ledger
that proposes the months of an unpaid report."""

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
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.accounts.models import User
from services.core.models import Base
from services.tenants.models import Dwelling, Tenant


class DeclarationState(enum.StrEnum):
    NON_SAISI = "non_saisi"
    TRANSMIS = "transmis"


class RentDeclaration(Base):
    """The July rent of one tenant for one campaign year; one row per tenant and year."""

    __tablename__ = "rent_declarations"
    __table_args__ = (UniqueConstraint("tenant_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    year: Mapped[int] = mapped_column(Integer)
    state: Mapped[DeclarationState] = mapped_column(
        Enum(DeclarationState, native_enum=False), default=DeclarationState.NON_SAISI
    )
    rent_cents: Mapped[int | None] = mapped_column(Integer, default=None)
    flatshare: Mapped[bool | None] = mapped_column(Boolean, default=None)
    unpaid_to_report: Mapped[bool | None] = mapped_column(Boolean, default=None)
    transmitted_at: Mapped[datetime | None] = mapped_column(default=None)
    transmitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    receipt_reference: Mapped[str | None] = mapped_column(String(40), unique=True, default=None)

    tenant: Mapped[Tenant] = relationship()
    transmitted_by: Mapped[User | None] = relationship()


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


class SpreadsheetUpload(Base):
    """A spreadsheet of rents as the user sent it, kept for the chat until "Valider" transmits
    its good lines (checked again then, against the data of that moment)."""

    __tablename__ = "spreadsheet_uploads"
    __table_args__ = (Index("ix_spreadsheet_uploads_chat", "channel", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime]
