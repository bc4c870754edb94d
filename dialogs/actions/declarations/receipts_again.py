"""A receipt sent again on request: a transmitted rent's or a change's, from the tenant card's
buttons or asked in words (« renvoie moi le reçu de brisson », « le récap du départ de
nguyen »). A landlord keeps these receipts as proof and loses them; the declaration as it was
transmitted draws the same PDF, reference and date.
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from dialogs.actions.core.base import send_receipt
from dialogs.actions.declarations.rent_done import send_rent_receipt
from dialogs.context import ActionContext
from dialogs.forms.lexicon import lexicon, words
from dialogs.texts import words as vocabulary
from services.core.errors import NotAllowed, NotFound
from services.core.money import format_euros
from services.declarations.change_receipts import transmitted_change
from services.declarations.models import ChangeKind
from services.declarations.rent import transmitted_rent
from services.declarations.unpaid import transmitted_unpaid
from services.documents.texts import format_paris

_RECEIPT_WORDS = frozenset(vocabulary("receipt_words"))
RENT = "rent"
UNPAID = "unpaid"
# The change types as the forms name them (`change_type`) -> the stored kind of change.
CHANGE_KINDS = {
    "end_of_management": ChangeKind.END_OF_MANAGEMENT,
    "tenant_departure": ChangeKind.DEPARTURE,
    "flatshare": ChangeKind.FLATSHARE,
}
CHANGE_NAMES = {kind: name for name, kind in CHANGE_KINDS.items()}


def asks_receipt(text: str) -> bool:
    """Whether a message asks for a receipt (« reçu », « récapitulatif », « justificatif »)."""
    return not _RECEIPT_WORDS.isdisjoint(words(text))


def receipt_named(text: str) -> str | None:
    """Which receipt a message names: `RENT`, a change type (« du départ »), `UNPAID`, or None."""
    said = words(text)
    named = [n for n in CHANGE_KINDS if lexicon().has(f"options.change_type.{n}", said)]
    if lexicon().has("cues.unpaid", said):
        named.append(UNPAID)
    if len(named) == 1:
        return named[0]
    return RENT if set(vocabulary("receipt_rent_words")) & set(said) else None


def send_receipt_again(
    context: ActionContext,
    dispatcher: CollectingDispatcher,
    *,
    user_id: int | None,
    tenant_id: int,
    kind: str | None = None,
) -> None:
    """The receipt asked for (when none is named: the rent's if it was transmitted, else the
    latest change's, else the latest unpaid report's), or why there is none. Every service
    checks the user's scope."""
    if kind == UNPAID:
        _send_unpaid(context, dispatcher, user_id=user_id, tenant_id=tenant_id, named=True)
        return
    if kind in (None, RENT):
        try:
            done = transmitted_rent(
                context.uow(), user_id=user_id, tenant_id=tenant_id, today=context.today()
            )
        except (NotFound, NotAllowed):
            if kind == RENT:
                dispatcher.utter_message(response="utter_rent_receipt_none")
                return
        else:
            send_rent_receipt(dispatcher, done, response="utter_rent_receipt_again")
            return
    try:
        change = transmitted_change(
            context.uow(),
            user_id=user_id,
            tenant_id=tenant_id,
            kind=CHANGE_KINDS.get(kind or ""),
            today=context.today(),
        )
    except (NotFound, NotAllowed):
        if kind:
            dispatcher.utter_message(response="utter_change_receipt_none")
        else:
            _send_unpaid(context, dispatcher, user_id=user_id, tenant_id=tenant_id, named=False)
        return
    label = context.domain.render(f"utter_change_receipt_{CHANGE_NAMES[change.kind]}").text
    send_receipt(
        dispatcher,
        filename=change.pdf_filename,
        receipt=change.receipt,
        response="utter_change_receipt_again",
        change=label,
        tenants=", ".join(change.tenant_names),
        reference=change.reference,
        when=format_paris(change.transmitted_at),
    )


def _send_unpaid(
    context: ActionContext,
    dispatcher: CollectingDispatcher,
    *,
    user_id: int | None,
    tenant_id: int,
    named: bool,
) -> None:
    try:
        report = transmitted_unpaid(
            context.uow(), user_id=user_id, tenant_id=tenant_id, today=context.today()
        )
    except (NotFound, NotAllowed):
        none = "utter_unpaid_receipt_none" if named else "utter_receipt_none"
        dispatcher.utter_message(response=none)
        return
    send_receipt(
        dispatcher,
        filename=report.pdf_filename,
        receipt=report.receipt,
        response="utter_unpaid_receipt_again",
        tenant=report.tenant_name,
        debt=format_euros(report.debt_cents),
        reference=report.reference,
        when=format_paris(report.transmitted_at),
    )
