"""A message the bot sends on its own (a weekly reminder), outside any turn.

Its buttons must work like a turn's: they are added to the buttons the chat may press (those of
the last turn stay valid) and saved on the conversation row, under its lock, before the channel
sends anything. Nothing else of the conversation changes.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from dialogs.domain import Domain
from dialogs.engine.state import ConversationState, Offered
from dialogs.io import Choice, OutMessage, Reply
from services.core.clock import Clock
from services.core.conversations import load_for_turn, save_turn
from services.core.db import UowFactory


def notice(
    uow_factory: UowFactory,
    domain: Domain,
    clock: Clock,
    *,
    channel: str,
    chat_id: str,
    response: str,
    values: Mapping[str, Any],
    buttons: Sequence[Mapping[str, str]] = (),
) -> Reply:
    """The rendered message, its buttons offered to the chat."""
    rendered = domain.render(response, **values)
    uow = uow_factory()
    with uow:
        record = load_for_turn(uow, channel=channel, chat_id=chat_id)
        state = ConversationState.from_stored(record.state)
        choices = []
        for button in buttons:
            key = secrets.token_urlsafe(6)
            state.offered[key] = Offered(payload=button["payload"], label=button["title"])
            choices.append(Choice(label=button["title"], key=key))
        record.state = state.stored()
        save_turn(uow, record, now=clock())
        uow.commit()
    return Reply(messages=(OutMessage(text=rendered.text, choices=tuple(choices)),))
