"""The dialog engine: one turn from an `Inbound` to a `Reply`, with the state kept in the database.

A turn: lock the chat's conversation, understand the message (NLU or a pressed choice), let the
policy pick what runs (the active form, a digression, a new task, a rule), run rasa-sdk actions
in-process and apply the events they return, then save the conversation in the same transaction
as the turn's business writes. See `policy.py` for the decisions and `forms.py` for form runs.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from rasa_sdk.interfaces import Action

from dialogs.context import TURN_UOW, ActionContext
from dialogs.io import Inbound, OutMessage, Reply
from dialogs.nlu import NluModel
from dialogs.turn import Turn
from services.core.conversations import load_for_turn, save_turn

logger = logging.getLogger(__name__)

RECENT_UPDATES = 64


class Engine:
    """Channel-neutral conversation engine; `handle` is synchronous and safe to call from threads."""

    def __init__(
        self,
        *,
        context: ActionContext,
        nlu: NluModel,
        actions: Mapping[str, Action],
    ) -> None:
        self.context = context
        self.nlu = nlu
        self.actions = dict(actions)
        self.domain = context.domain

    @property
    def session_length(self) -> timedelta:
        return timedelta(minutes=self.context.session_minutes)

    def handle(self, inbound: Inbound) -> Reply:
        """Process one inbound message; on an unexpected error nothing of the turn is kept."""
        uow = self.context.uow_factory()
        token = TURN_UOW.set(uow)
        turn: Turn | None = None
        try:
            with uow:
                record = load_for_turn(uow, channel=inbound.channel, chat_id=inbound.chat_id)
                recent: list[int] = record.state.get("updates", [])
                if inbound.update_id is not None and inbound.update_id in recent:
                    return Reply(duplicate=True)
                turn = Turn(self, record, inbound)
                reply = asyncio.run(turn.run())
                if inbound.update_id is not None:
                    record.state["updates"] = [*recent, inbound.update_id][-RECENT_UPDATES:]
                save_turn(uow, record, now=turn.now)
                uow.commit()
                return reply
        except Exception as exc:
            # The message of an exception may quote user data (SQL parameters, values): log only
            # its type and where it happened.
            where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            logger.error(
                "turn failed on %s: %s at %s:%s",
                inbound.channel,
                type(exc).__name__,
                where.filename if where else "?",
                where.lineno if where else "?",
            )
            text = self.domain.render("utter_internal_error").text
            secret = turn is not None and turn.secret
            return Reply(messages=(OutMessage(text=text),), inbound_was_secret=secret)
        finally:
            TURN_UOW.reset(token)

    def parse_text(self, text: str, tenants: list[Any]) -> dict[str, Any]:
        return self.nlu.parse(text, tenants=tenants, today=self.context.today())
