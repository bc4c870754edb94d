"""A transmitted rent's receipt sent again on request: from the tenant card's button, or asked
in words (« renvoie moi le reçu de brisson »). A landlord keeps these receipts as proof and
loses them; the declaration as it was transmitted draws the same PDF, reference and date.
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from dialogs.actions.declarations.rent_done import send_rent_receipt
from dialogs.context import ActionContext
from dialogs.forms.lexicon import words
from dialogs.texts import words as vocabulary
from services.core.errors import NotAllowed, NotFound
from services.declarations.rent import transmitted_rent

_RECEIPT_WORDS = frozenset(vocabulary("receipt_words"))


def asks_receipt(text: str) -> bool:
    """Whether a message asks for a receipt (« reçu », « récapitulatif », « justificatif »)."""
    return not _RECEIPT_WORDS.isdisjoint(words(text))


def send_rent_receipt_again(
    context: ActionContext,
    dispatcher: CollectingDispatcher,
    *,
    user_id: int | None,
    tenant_id: int,
) -> None:
    """The receipt of the tenant's transmitted rent, or why there is none."""
    try:
        done = transmitted_rent(
            context.uow(), user_id=user_id, tenant_id=tenant_id, today=context.today()
        )
    except (NotFound, NotAllowed):
        dispatcher.utter_message(response="utter_rent_receipt_none")
        return
    send_rent_receipt(dispatcher, done, response="utter_rent_receipt_again")
