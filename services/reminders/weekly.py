"""Who is reminded this week, and the guard that makes it once a week whoever sends.

A sender (the Telegram job, `bailleur-bot remind`, the login of a terminal user) first claims the
user's week: one row per user and ISO week, under a unique key, committed before the reminder
leaves. Two workers racing for the same user both try the insert; the database lets one win and
the other skips. A reminder that could not be delivered gives its week back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from services.core.clock import campaign_year
from services.core.db import UnitOfWork
from services.core.errors import NotAllowed
from services.core.rules import reminder_rules
from services.declarations.views import rent_campaign
from services.reminders.models import ReminderChoice, ReminderSent


@dataclass(frozen=True)
class Reminder:
    """What one user is told: the rents still to declare in their scope this campaign."""

    user_id: int
    channel: str
    chat_id: str
    year: int
    remaining: int
    total: int


def in_reminder_window(today: date) -> bool:
    """Whether the rent campaign is reminded on `today` (dates in the rules table)."""
    first, last = reminder_rules(today).window(campaign_year(today))
    return first <= today <= last


def _week(today: date) -> tuple[int, int]:
    iso = today.isocalendar()
    return iso.year, iso.week


def reminder_for(
    uow: UnitOfWork, *, user_id: int, today: date, channel: str = "", chat_id: str = ""
) -> Reminder | None:
    """The user's reminder, or None outside the campaign, for a closed account, or when every
    rent the user may declare is in."""
    if not in_reminder_window(today):
        return None
    try:
        campaign = rent_campaign(uow, user_id=user_id, today=today)
    except NotAllowed:
        return None
    if not campaign.remaining:
        return None
    return Reminder(
        user_id=user_id,
        channel=channel,
        chat_id=chat_id,
        year=campaign.year,
        remaining=len(campaign.remaining),
        total=campaign.total,
    )


def due_reminders(uow: UnitOfWork, *, today: date, channel: str) -> list[Reminder]:
    """The reminders to send on `channel` today: users who asked for them, not reminded this
    week, with something left (nothing at all outside the campaign)."""
    if not in_reminder_window(today):
        return []
    iso_year, iso_week = _week(today)
    with uow:
        reminded = (
            select(ReminderSent.user_id)
            .where(ReminderSent.iso_year == iso_year, ReminderSent.iso_week == iso_week)
            .scalar_subquery()
        )
        choices = uow.session.execute(
            select(ReminderChoice.user_id, ReminderChoice.chat_id)
            .where(
                ReminderChoice.enabled.is_(True),
                ReminderChoice.channel == channel,
                ReminderChoice.user_id.not_in(reminded),
            )
            .order_by(ReminderChoice.user_id)
        ).all()
        due = []
        for user_id, chat_id in choices:
            found = reminder_for(
                uow, user_id=user_id, today=today, channel=channel, chat_id=chat_id
            )
            if found is not None:
                due.append(found)
        return due


def claim_week(uow: UnitOfWork, *, user_id: int, today: date, now: datetime, channel: str) -> bool:
    """Record that the user is reminded this week; False if someone already did (or is doing)."""
    iso_year, iso_week = _week(today)
    with uow:
        uow.session.add(
            ReminderSent(
                user_id=user_id, iso_year=iso_year, iso_week=iso_week, channel=channel, sent_at=now
            )
        )
        try:
            uow.flush()
        except IntegrityError:
            return False
        uow.commit()
        return True


def release_week(uow: UnitOfWork, *, user_id: int, today: date) -> None:
    """Give the week back after a failed delivery, so a later run may try again."""
    iso_year, iso_week = _week(today)
    with uow:
        uow.session.execute(
            delete(ReminderSent).where(
                ReminderSent.user_id == user_id,
                ReminderSent.iso_year == iso_year,
                ReminderSent.iso_week == iso_week,
            )
        )
        uow.commit()


def remind_once(
    uow: UnitOfWork, *, user_id: int, today: date, now: datetime, channel: str
) -> Reminder | None:
    """The reminder of a user who asked for them, claimed for this week, or None (not asked,
    nothing left, outside the campaign, or already reminded this week). For a sender inside a
    conversation turn, such as a login."""
    with uow:
        choice = uow.session.get(ReminderChoice, user_id)
        if choice is None or not choice.enabled:
            return None
        found = reminder_for(uow, user_id=user_id, today=today, channel=channel)
        if found is None or not claim_week(
            uow, user_id=user_id, today=today, now=now, channel=channel
        ):
            return None
        uow.commit()
        return found
