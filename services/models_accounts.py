"""Tables of the accounts feature that the core model does not need: recovery throttling and
credentials sent but not yet used.

Kept apart from `services.models` so the accounts migration owns them alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.models import Base


class RateLimitHit(Base):
    """One counted request (a credentials recovery) for a throttled key.

    `key` is a SHA-256 digest of the scope and the raw value, so an email or a N° utilisateur
    typed by a stranger is not stored in clear.
    """

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class PendingPassword(Base):
    """A provisional password sent by letter or email and not used yet.

    The account's current password keeps working until this one is used once: a stranger who
    knows a N° utilisateur (printed on rent receipts) or an email can make the CAF send new
    credentials to the address on file, but cannot lock the landlord out by doing so.
    `expires_at` is None for letters (they take days to arrive) and 24 h for emails.
    """

    __tablename__ = "pending_passwords"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    medium: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
