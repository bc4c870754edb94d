"""The accounts' tables: organisations (landlords as the CAF knows them), their users and
habilitation groups, letters and emails waiting in the outbox, recovery throttling, and
credentials sent but not used yet."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.core.clock import paris_today
from services.core.models import Base
from services.documents.texts import group_label

FIRST_LOGIN_STEPS = ("contact", "password", "rules", "terms")


# A user's rules as functions of their values, shared by the ORM `User` and the plain
# `services.accounts.acting.Acting` that a turn's hot path reads instead.


def display_name(first_name: str, last_name: str, login: str) -> str:
    return f"{first_name} {last_name}".strip() or login


def closed_by(closed_on: date | None, today: date) -> bool:
    """An account's closing date has come."""
    return closed_on is not None and closed_on <= today


def first_login_steps(
    *,
    email: str | None,
    phone: str | None,
    password_is_provisional: bool,
    accepted_rules_at: datetime | None,
    accepted_terms_at: datetime | None,
) -> tuple[str, ...]:
    """The steps of a first connection still to do (`User.first_login_remaining`)."""
    done = {
        "contact": bool(email and phone),
        "password": not password_is_provisional,
        "rules": accepted_rules_at is not None,
        "terms": accepted_terms_at is not None,
    }
    return tuple(step for step in FIRST_LOGIN_STEPS if not done[step])


class OrganisationKind(enum.StrEnum):
    MORALE = "morale"
    PHYSIQUE = "physique"


class DwellingKind(enum.StrEnum):
    CONVENTIONNE = "conventionne"
    PRIVE = "prive"


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
    # Kept by triggers (migration 0008): changes when what the users may name changes.
    scope_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    users: Mapped[list[User]] = relationship(back_populates="organisation")
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
        """ "Logements conventionnés (14)"."""
        return group_label(self.dwelling_kind.value, self.departement)


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
        return display_name(self.first_name, self.last_name, self.login)

    def is_closed_on(self, today: date) -> bool:
        """Its closing date has come."""
        return closed_by(self.closed_on, today)

    def is_open_on(self, today: date) -> bool:
        """Not closed, and not before its opening date."""
        return not self.is_closed_on(today) and (self.opened_on is None or self.opened_on <= today)

    def password_usable(self, now: datetime) -> bool:
        """Open, with a password that has not expired (an emailed provisional one lasts 24 h)."""
        expired = (
            self.password_is_provisional
            and self.password_expires_at is not None
            and self.password_expires_at <= now
        )
        return self.is_open_on(paris_today(now)) and not expired

    def first_login_remaining(self) -> tuple[str, ...]:
        """The steps of the first connection still to do, in the order the CAF's screens ask:
        "contact" (an email and a phone on file), "password" (no longer provisional), "rules"
        and "terms" (the acceptance dates set)."""
        return first_login_steps(
            email=self.email,
            phone=self.phone,
            password_is_provisional=self.password_is_provisional,
            accepted_rules_at=self.accepted_rules_at,
            accepted_terms_at=self.accepted_terms_at,
        )

    @property
    def manages_users(self) -> bool:
        """The administrator and the responsables d'habilitation manage users."""
        return self.is_admin or self.is_habilitation_manager

    @property
    def grantable_group_ids(self) -> set[int]:
        """The groups this user may give: all of the organisation's for the administrator."""
        groups = self.organisation.groups if self.is_admin else self.groups
        return {group.id for group in groups}

    def may_manage(self, user: User) -> bool:
        """Never the administrator nor oneself; otherwise a user whose groups are all among
        those this user may give."""
        if user.is_admin or user.id == self.id:
            return False
        return {g.id for g in user.groups} <= self.grantable_group_ids


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
