"""The rent's amount: asked, confirmed when unusual, and never declared as typed when it was
said with its charges (the CAF asks for the rent without them).

« 520 cc dont 40 de charges » is declared as 480 € and said back with the subtraction; « 520 cc »
alone is asked again, with a button for the rent without the tenant's known charges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from dialogs.actions.declarations.rent_spec import RENT
from dialogs.forms.asking import AskQuestion
from dialogs.forms.message import Message
from dialogs.nlu.amounts import CHARGES, WITH_CHARGES
from dialogs.payloads import payload
from dialogs.wording import signed
from services.core.money import format_euros
from services.core.rules import rent_campaign_rules

SAID_WITH_CHARGES = "rent_amount_with_charges"
KNOWN_CHARGES = "rent_known_charges"


@dataclass(frozen=True)
class WithCharges:
    """An amount said with its charges, and the charges said beside it when they were."""

    total: int
    charges: int | None

    @property
    def without_charges(self) -> int | None:
        return self.total - self.charges if self.charges is not None else None


def said_with_charges(message: Message, cents: int) -> WithCharges | None:
    """How `cents` was said in the message, when it was said with its charges."""
    amounts = message.entity("amount")
    if not any(e.get("role") == WITH_CHARGES and e.get("cents") == cents for e in amounts):
        return None
    charges = [int(e["cents"]) for e in amounts if e.get("role") == CHARGES and e.get("cents")]
    fits = len(charges) == 1 and 0 < charges[0] < cents
    return WithCharges(total=cents, charges=charges[0] if fits else None)


def rent_said(
    message: Message, cents: int, said_before: Any, dispatcher: CollectingDispatcher
) -> dict[str, Any]:
    """The slots an amount sets: itself; or without the charges said beside it or after an
    amount with charges (said back); or nothing yet, when only the total with charges or only
    the charges were given (the question is asked again)."""
    if _only_charges(message, cents):
        if isinstance(said_before, int) and 0 < cents < said_before:
            return _taken_off(WithCharges(total=said_before, charges=cents), dispatcher)
        dispatcher.utter_message(
            response="utter_rent_amount_is_charges", charges=format_euros(cents)
        )
        return {"rent_amount": None}
    said = said_with_charges(message, cents)
    if said is None:
        return {"rent_amount": cents, SAID_WITH_CHARGES: None}
    if said.charges is not None:
        return _taken_off(said, dispatcher)
    dispatcher.utter_message(response="utter_rent_amount_with_charges", total=format_euros(cents))
    return {"rent_amount": None, SAID_WITH_CHARGES: cents}


def _only_charges(message: Message, cents: int) -> bool:
    amounts = message.entity("amount")
    return bool(amounts) and all(
        e.get("role") == CHARGES and e.get("cents") == cents for e in amounts
    )


def _taken_off(said: WithCharges, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    rent = said.without_charges or 0
    dispatcher.utter_message(
        response="utter_rent_amount_charges_taken_off",
        amount=format_euros(rent),
        total=format_euros(said.total),
        charges=format_euros(said.charges or 0),
    )
    return {"rent_amount": rent, SAID_WITH_CHARGES: None}


def without_known_charges(tracker: Tracker) -> tuple[int, int, int] | None:
    """(rent, total, charges): the amount said with charges, less the tenant's known charges."""
    total, charges = tracker.get_slot(SAID_WITH_CHARGES), tracker.get_slot(KNOWN_CHARGES)
    if not isinstance(total, int) or not isinstance(charges, int) or not 0 < charges < total:
        return None
    return total - charges, total, charges


class ActionAskRentAmount(AskQuestion):
    """The amount question; after an amount said with its charges, one button takes the
    tenant's known charges off it."""

    def __init__(self, context: Any) -> None:
        super().__init__(context, RENT, next(q for q in RENT.questions if q.slot == "rent_amount"))

    def buttons(self, tracker: Tracker) -> list[dict[str, Any]]:
        buttons = super().buttons(tracker)
        if (known := without_known_charges(tracker)) is not None:
            rent, total, charges = known
            title = self.text(
                "utter_option_rent_without_known_charges",
                amount=format_euros(rent),
                total=format_euros(total),
                charges=format_euros(charges),
            )
            buttons.insert(0, {"title": title, "payload": payload("inform", rent_amount=rent)})
        return buttons


class ActionAskRentAmountConfirm(AskQuestion):
    """Why the amount is asked again: far from last year's, or high for a monthly rent."""

    def __init__(self, context: Any) -> None:
        super().__init__(context, RENT, RENT.questions[5])

    def values(self, tracker: Tracker) -> dict[str, Any]:
        cents = int(tracker.get_slot("rent_amount") or 0)
        last = tracker.get_slot("rent_last_amount")
        if rent_campaign_rules(self.context.today()).far_from(cents, last):
            change = round(100 * (cents - int(last)) / int(last))
            reason = self.text(
                "utter_rent_amount_reason_change",
                last=format_euros(int(last)),
                change=signed(change),
            )
        else:
            reason = self.text("utter_rent_amount_reason_high")
        return {"amount": format_euros(cents), "reason": reason}
