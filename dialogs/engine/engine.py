"""The dialog engine: one turn from an `Inbound` to a `Reply`, with the state kept in the database.

A turn locks the chat's conversation, runs (`turn.py`), then saves the conversation in the same
transaction as the turn's business writes. The same update delivered twice is handled once. On an
unexpected error nothing of the turn is kept and the user gets a short apology. Receipts are drawn
after the commit (`drawing.py`): a committed turn is never answered with an apology.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import time
import traceback
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import replace
from datetime import timedelta
from functools import cached_property
from typing import Any, TypeVar

from rasa_sdk.interfaces import Action

from dialogs.context import TURN_READS, TURN_TENANTS, TURN_UOW, ActionContext
from dialogs.engine import replies
from dialogs.engine.drawing import draw, undrawn, without_undrawn
from dialogs.engine.policy import Rules
from dialogs.engine.scope import TenantNames
from dialogs.engine.state import ConversationState, Offered
from dialogs.engine.turn import Turn
from dialogs.forms.lexicon import lexicon
from dialogs.io import Choice, Inbound, OutMessage, Reply
from dialogs.nlu.lazy import Nlu
from dialogs.payloads import payload
from services.accounts.acting import load_for_turn_acting
from services.core.conversations import load_for_turn, save_turn
from services.core.db import DatabaseFault, database_fault
from services.core.races import lost_race

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRIES = 4
DIGRESSIONS = frozenset(
    {
        "help",
        "bot_challenge",
        "contact_caf",
        "faq_user_number",
        "faq_lost_identifier",
        "faq_forgot_password",
        "faq_first_login",
        "faq_administrator",
        "faq_rules",
        "faq_rent_excluding_charges",
        "manage_reminders",
    }
)
TASKS = frozenset(
    {
        "login",
        "logout",
        "declare_rent",
        "declare_change",
        "report_unpaid",
        "list_tenants",
        "view_payments",
        "manage_users",
        "menu",
        "send_spreadsheet",
    }
)
# Forms about the account itself: not kept across a session's expiry.
ACCOUNT_FORMS = frozenset(
    {"login_form", "first_login_form", "lost_identifier_form", "forgotten_form", "credential_form"}
)


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never waits on I/O without an event loop (actions are `async` by
    rasa-sdk's interface but do their work synchronously); one that does wait gets a loop."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("an action awaited real I/O; run the engine with handle_async")


async def _blocking_pause(seconds: float) -> None:
    """A pause for `handle`, which runs without an event loop (a few milliseconds at most)."""
    time.sleep(seconds)


class Engine:
    """Channel-neutral conversation engine: `handle_async` for an event loop, `handle` (no event
    loop: actions never wait on I/O) for the console and threads; both are thread-safe."""

    def __init__(
        self,
        *,
        context: ActionContext,
        nlu: Nlu,
        actions: Mapping[str, Action],
    ) -> None:
        self.context = context
        self.nlu = nlu
        self.actions = actions
        self.domain = context.domain
        self.account_forms = ACCOUNT_FORMS
        self.commands = lexicon().commands
        self.tenant_names = TenantNames()
        self._own_intents: dict[str, frozenset[str]] = {}

    @property
    def session_length(self) -> timedelta:
        return timedelta(minutes=self.context.session_minutes)

    @cached_property
    def rules(self) -> Rules:
        return Rules(
            with_rule=frozenset(i for i, actions in self.domain.intent_rules.items() if actions),
            digressions=DIGRESSIONS,
            tasks=TASKS,
            fallback_threshold=self.nlu.fallback_threshold,
        )

    def has_rule(self, intent: str) -> bool:
        return bool(self.domain.intent_rules.get(intent))

    @staticmethod
    def is_secret(slot: str) -> bool:
        return "password" in slot

    def own_intents(self, form: str) -> frozenset[str]:
        """Intents that start this same form: inside it they are answers, not a new task (the
        domain's rules and the actions are fixed: found once per form and process)."""
        found = self._own_intents.get(form)
        if found is None:
            own = {"inform", "affirm", "deny", "choose"}
            for intent, actions in self.domain.intent_rules.items():
                for action in actions:
                    handler = self.actions.get(action)
                    if handler is not None and form in getattr(handler, "starts_forms", ()):
                        own.add(intent)
            found = self._own_intents[form] = frozenset(own)
        return found

    @cached_property
    def claimers(self) -> tuple[Action, ...]:
        """The actions that may claim a message whatever form is active (`claims`), in order."""
        return tuple(a for a in self.actions.values() if getattr(a, "claims", None) is not None)

    def undelivered(self, *, channel: str, chat_id: str, update_id: int) -> Reply:
        """After the channel failed to deliver a turn's reply: say that what was declared is
        stored, and offer its receipt again (when the reply carried one)."""
        uow = self.context.uow_factory()
        with uow:
            record = load_for_turn(uow, channel=channel, chat_id=chat_id)
            kept = replies.find(record.replies, update_id)
            if kept is None or not replies.messages(kept, documents_only=True):
                return Reply(
                    messages=(OutMessage(text=self.domain.render("utter_reply_lost").text),)
                )
            state = ConversationState.from_stored(record.state)
            key = secrets.token_urlsafe(6)
            label = self.domain.render("utter_option_resend_receipt").text
            state.offered[key] = Offered(
                payload=payload("resend_receipt", update_id=update_id), label=label
            )
            record.state = state.stored()
            save_turn(uow, record, now=self.context.now())
            uow.commit()
        text = self.domain.render("utter_receipt_not_delivered").text
        return Reply(messages=(OutMessage(text=text, choices=(Choice(label=label, key=key),)),))

    def handle(self, inbound: Inbound) -> Reply:
        """Process one inbound message, blocking (the console, tests, worker threads)."""
        return run_sync(self._handle(inbound, pause=_blocking_pause))

    async def handle_async(self, inbound: Inbound) -> Reply:
        """Process one inbound message in an event loop (its pauses between retries yield)."""
        return await self._handle(inbound, pause=asyncio.sleep)

    async def _handle(
        self, inbound: Inbound, *, pause: Callable[[float], Awaitable[None]]
    ) -> Reply:
        """Process one inbound message; on an unexpected error nothing of the turn is kept.

        A turn that lost a race with another worker (a deadlock, a serialization failure, a
        lock not obtained) is rolled back and run again from the stored state, a few times; a
        database that does not answer gets "service momentanément indisponible"."""
        began = time.monotonic()
        for attempt in range(1, RETRIES + 1):
            started: list[Turn] = []
            try:
                reply = await self._attempt(inbound, started)
            except Exception as exc:
                fault = database_fault(exc)
                again = lost_race(exc) or (
                    fault is not None and fault.worth_retrying(time.monotonic() - began)
                )
                if attempt < RETRIES and again:
                    logger.info("turn on %s retried after a lost race", inbound.channel)
                    await pause(random.uniform(0, 0.01 * attempt))
                    continue
                return self._apology(inbound, exc, started[0] if started else None, fault)
            return self._draw(inbound, reply) if undrawn(reply) else reply
        raise AssertionError("unreachable")  # pragma: no cover

    def _draw(self, inbound: Inbound, reply: Reply) -> Reply:
        """The turn is committed: its receipts are drawn now, outside the chat's lock. A receipt
        that cannot be drawn does not make the committed turn an apology: its messages go
        without it, followed by the offer to send it again (kept with the turn's reply)."""
        try:
            return draw(reply)
        except Exception as exc:
            logger.error("receipt not drawn on %s: %s", inbound.channel, type(exc).__name__)
        kept = without_undrawn(reply)
        if inbound.update_id is None:
            return kept
        try:
            offer = self.undelivered(
                channel=inbound.channel, chat_id=inbound.chat_id, update_id=inbound.update_id
            )
        except Exception as exc:
            logger.error("receipt not offered again on %s: %s", inbound.channel, type(exc).__name__)
            return kept
        return replace(kept, messages=(*kept.messages, *offer.messages))

    async def _attempt(self, inbound: Inbound, started: list[Turn]) -> Reply:
        uow = self.context.uow_factory()
        token = TURN_UOW.set(uow)
        names = TURN_TENANTS.set({})
        reads = TURN_READS.set({})
        try:
            with uow:
                record = load_for_turn_acting(uow, channel=inbound.channel, chat_id=inbound.chat_id)
                updates = record.state.get("updates") or []
                if inbound.update_id is not None and inbound.update_id in updates:
                    kept = replies.find(record.replies, inbound.update_id)
                    return replies.again(kept) if kept else Reply(duplicate=True)
                turn = Turn(self, record, inbound)
                started.append(turn)
                reply = await turn.run()
                turn.store()
                if inbound.update_id is not None:
                    entry = replies.stored(inbound.update_id, reply)
                    record.replies = replies.keep(record.replies, entry)
                save_turn(uow, record, now=turn.now)
                uow.commit()
                return reply
        finally:
            TURN_READS.reset(reads)
            TURN_TENANTS.reset(names)
            TURN_UOW.reset(token)

    def _apology(
        self, inbound: Inbound, exc: Exception, turn: Turn | None, fault: DatabaseFault | None
    ) -> Reply:
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
        apology = "utter_service_unavailable" if fault else "utter_internal_error"
        text = self.domain.render(apology).text
        secret = turn is not None and turn.secret
        # Nothing of the turn was kept: the question asked before it is still pending.
        expects = turn.was_asking_secret if turn is not None else None
        return Reply(
            messages=(OutMessage(text=text),), inbound_was_secret=secret, expects_secret=expects
        )
