"""A user's choice of weekly reminders: on or off, and the chat they are sent to (the one the
user chose from). Off until the user asks for them."""

from __future__ import annotations

from datetime import date, datetime

from services.accounts.actor import active_user
from services.core.db import UnitOfWork
from services.core.errors import InvalidValue
from services.reminders.models import ReminderChoice

CHANNELS = ("telegram", "console")


def reminders_enabled(uow: UnitOfWork, *, user_id: int | None, today: date) -> bool:
    """Whether the acting user asked for the weekly reminders."""
    with uow:
        user = active_user(uow.session, user_id, today)
        choice = uow.session.get(ReminderChoice, user.id)
        return bool(choice and choice.enabled)


def choose_reminders(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    today: date,
    now: datetime,
    enabled: bool,
    channel: str,
    chat_id: str,
) -> bool:
    """Turn the acting user's reminders on (to this chat) or off; returns the choice now stored."""
    if channel not in CHANNELS or not chat_id:
        raise InvalidValue("invalid_chat")
    with uow:
        user = active_user(uow.session, user_id, today)
        choice = uow.session.get(ReminderChoice, user.id)
        if choice is None:
            choice = ReminderChoice(user_id=user.id)
            uow.session.add(choice)
        choice.enabled = enabled
        choice.channel = channel
        choice.chat_id = chat_id
        choice.changed_at = now
        uow.commit()
        return enabled
