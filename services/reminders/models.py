"""The reminders' tables: a user's choice (and the chat to remind), and one row per user and ISO
week reminded, whose unique key is the guard every sender takes before sending."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models import Base


class ReminderChoice(Base):
    """Whether a user wants the weekly reminders, and the chat they asked from."""

    __tablename__ = "reminder_choices"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime]


class ReminderSent(Base):
    """A user reminded in one ISO week; inserted before the reminder leaves."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("user_id", "iso_year", "iso_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime]
