"""The tenants' tables: the dwellings a landlord manages and the allocataires living in them."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.accounts.models import DwellingKind, Organisation
from services.core.models import Base


class AidType(enum.StrEnum):
    APL = "APL"
    AL = "AL"


def full_address(address: str, postcode: str, commune: str) -> str:
    """A dwelling's address on one line, as receipts and recaps print it."""
    return f"{address} {postcode} {commune}"


class Dwelling(Base):
    """A flat or house the landlord manages."""

    __tablename__ = "dwellings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(5))
    commune: Mapped[str] = mapped_column(String(100))
    departement: Mapped[str] = mapped_column(String(3))
    kind: Mapped[DwellingKind] = mapped_column(Enum(DwellingKind, native_enum=False))
    management_ended_on: Mapped[date | None] = mapped_column(Date, default=None)

    organisation: Mapped[Organisation] = relationship()
    tenants: Mapped[list[Tenant]] = relationship(back_populates="dwelling")

    @property
    def full_address(self) -> str:
        return full_address(self.address, self.postcode, self.commune)


class Tenant(Base):
    """An allocataire living in one of the landlord's dwellings."""

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    dwelling_id: Mapped[int] = mapped_column(ForeignKey("dwellings.id"), index=True)
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

    @property
    def display_name(self) -> str:
        return f"{self.last_name} {self.first_name}"

    @property
    def expects_declaration(self) -> bool:
        """Still living in a dwelling still managed: the July rent is asked for."""
        return Tenant.declaration_expected(self.departed_on, self.dwelling.management_ended_on)

    @staticmethod
    def declaration_expected(departed_on: date | None, management_ended_on: date | None) -> bool:
        """The same rule on plain values (a list read as rows, not as objects)."""
        return departed_on is None and management_ended_on is None

    @property
    def monthly_share_cents(self) -> int:
        """What the tenant pays each month: rent + charges, less the aid when the landlord
        receives it."""
        aid = self.monthly_aid_cents if self.aid_paid_to_landlord else 0
        return self.monthly_rent_cents + self.monthly_charges_cents - aid
