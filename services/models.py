"""The persistent domain: organisations, users, dwellings, tenants, declarations, payments.

Money is integer cents; dates are `date`; timestamps are timezone-aware UTC (stored as UTC).
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC and gives them back aware, on SQLite as on PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: use timezone-aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON}


class OrganisationKind(enum.StrEnum):
    MORALE = "morale"
    PHYSIQUE = "physique"


class DwellingKind(enum.StrEnum):
    CONVENTIONNE = "conventionne"
    PRIVE = "prive"


class DeclarationState(enum.StrEnum):
    NON_SAISI = "non_saisi"
    TRANSMIS = "transmis"


class AidType(enum.StrEnum):
    APL = "APL"
    AL = "AL"


user_groups = Table(
    "user_groups",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("habilitation_groups.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(Base):
    """A landlord as the CAF knows it; `user_number` is the 14-character N° utilisateur."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(Enum(OrganisationKind, native_enum=False))
    user_number: Mapped[str] = mapped_column(String(14), unique=True)
    postal_address: Mapped[str] = mapped_column(String(300), default="")
    first_connected_at: Mapped[datetime | None] = mapped_column(default=None)

    users: Mapped[list[User]] = relationship(back_populates="organisation")
    dwellings: Mapped[list[Dwelling]] = relationship(back_populates="organisation")
    groups: Mapped[list[HabilitationGroup]] = relationship(back_populates="organisation")


class HabilitationGroup(Base):
    """A set of dwellings a user may act on: one dwelling kind in one département."""

    __tablename__ = "habilitation_groups"
    __table_args__ = (UniqueConstraint("organisation_id", "dwelling_kind", "departement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    dwelling_kind: Mapped[DwellingKind] = mapped_column(Enum(DwellingKind, native_enum=False))
    departement: Mapped[str] = mapped_column(String(3))

    organisation: Mapped[Organisation] = relationship(back_populates="groups")

    @property
    def label(self) -> str:
        kind = "conventionnés" if self.dwelling_kind is DwellingKind.CONVENTIONNE else "privés"
        return f"Logements {kind} ({self.departement})"


class User(Base):
    """A person who logs in for an organisation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    login: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(100), default="")
    first_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    mobile_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_habilitation_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    password_is_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    password_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    accepted_rules_at: Mapped[datetime | None] = mapped_column(default=None)
    accepted_terms_at: Mapped[datetime | None] = mapped_column(default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)

    organisation: Mapped[Organisation] = relationship(back_populates="users")
    groups: Mapped[list[HabilitationGroup]] = relationship(secondary=user_groups)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.login


class Dwelling(Base):
    """A flat or house the landlord manages."""

    __tablename__ = "dwellings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(5))
    commune: Mapped[str] = mapped_column(String(100))
    departement: Mapped[str] = mapped_column(String(3))
    kind: Mapped[DwellingKind] = mapped_column(Enum(DwellingKind, native_enum=False))
    management_ended_on: Mapped[date | None] = mapped_column(Date, default=None)

    organisation: Mapped[Organisation] = relationship(back_populates="dwellings")
    tenants: Mapped[list[Tenant]] = relationship(back_populates="dwelling")

    @property
    def full_address(self) -> str:
        return f"{self.address} {self.postcode} {self.commune}"


class Tenant(Base):
    """An allocataire living in one of the landlord's dwellings."""

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    dwelling_id: Mapped[int] = mapped_column(ForeignKey("dwellings.id"))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    allocataire_number: Mapped[str] = mapped_column(String(7))
    since: Mapped[date] = mapped_column(Date)
    flatshare: Mapped[bool] = mapped_column(Boolean, default=False)
    cotenants: Mapped[int] = mapped_column(Integer, default=1)
    aid_type: Mapped[AidType] = mapped_column(Enum(AidType, native_enum=False), default=AidType.APL)
    aid_paid_to_landlord: Mapped[bool] = mapped_column(Boolean, default=True)
    monthly_rent_cents: Mapped[int] = mapped_column(Integer, default=0)
    monthly_charges_cents: Mapped[int] = mapped_column(Integer, default=0)
    monthly_aid_cents: Mapped[int] = mapped_column(Integer, default=0)
    departed_on: Mapped[date | None] = mapped_column(Date, default=None)

    dwelling: Mapped[Dwelling] = relationship(back_populates="tenants")
    declarations: Mapped[list[RentDeclaration]] = relationship(back_populates="tenant")

    @property
    def display_name(self) -> str:
        return f"{self.last_name} {self.first_name}"


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

    tenant: Mapped[Tenant] = relationship(back_populates="declarations")
    transmitted_by: Mapped[User | None] = relationship()


class Payment(Base):
    """A monthly housing-aid payment the CAF made to the landlord for one tenant."""

    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("tenant_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    month: Mapped[date] = mapped_column(Date)
    aid_type: Mapped[AidType] = mapped_column(Enum(AidType, native_enum=False))
    amount_cents: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date] = mapped_column(Date)

    tenant: Mapped[Tenant] = relationship()


class OutboxMessage(Base):
    """A letter or email waiting for a gateway; the chat never shows its content."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    medium: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class AuditEvent(Base):
    """Security-relevant events; never a password, never a full personal record."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    event: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    chat_ref: Mapped[str] = mapped_column(String(80), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")


class Conversation(Base):
    """One chat's dialog state, written every turn so any worker can take the next one."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    bound_until: Mapped[datetime | None] = mapped_column(default=None)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    replies: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User | None] = relationship()
