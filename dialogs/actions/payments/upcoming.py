"""« C'est quand le prochain versement ? »: the next payment of each aid, its usual day and what
the last one was, instead of the list of past months."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from dialogs.actions.core.answers import format_day, plain
from dialogs.actions.payments.periods import period_text
from dialogs.context import ActionContext
from dialogs.texts import text, words
from dialogs.wording import count
from services.core.money import format_euros
from services.payments.upcoming import upcoming_payments


def asks_upcoming(typed: str) -> bool:
    """ "prochain versement", "c quand la caf paye", "quelle date le paiement"."""
    folded = f" {plain(typed)} "
    return not typed.startswith("/") and any(f" {w} " in folded for w in words("payments_next"))


def send_upcoming(
    context: ActionContext, dispatcher: CollectingDispatcher, *, user_id: int | None
) -> None:
    upcoming = upcoming_payments(context.uow(), user_id=user_id, today=context.today())
    if not upcoming:
        dispatcher.utter_message(response="utter_payments_next_none")
        return
    lines = [
        text(
            f"utter_payments_next_{payment.aid_type.value.lower()}",
            of_month=period_text(payment.month, payment.month),
            day=format_day(payment.expected_on),
            total=format_euros(payment.last_total_cents),
            tenants=count(payment.tenants, "tenant"),
        )
        for payment in upcoming
    ]
    dispatcher.utter_message(response="utter_payments_next", lines="\n".join(lines))
