"""The payments' table: the housing aid the CAF paid the landlord, month by month."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Enum, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.core.models import Base
from services.tenants.models import AidType, Tenant


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
