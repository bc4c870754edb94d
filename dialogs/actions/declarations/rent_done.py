"""The rent's transmission on Valider: the service call, the receipt in PDF, the count of
rents still to declare; after "no longer the manager" or "the tenant left", the change to
declare instead. The form itself is in `rent.py`, its spec in `rent_spec.py`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import send_receipt
from dialogs.actions.declarations.rent_spec import RENT
from dialogs.forms.completion import FormDone
from dialogs.forms.validation import session_user
from dialogs.payloads import payload
from dialogs.wording import count
from services.core.errors import NotAllowed, NotFound, RentAlreadyTransmitted
from services.core.money import format_euros
from services.declarations.rent import RentAnswers, TransmittedRent
from services.declarations.rent import transmit_rent as transmit
from services.declarations.views import rent_campaign_count
from services.documents.texts import format_paris


def send_rent_receipt(
    dispatcher: CollectingDispatcher, done: TransmittedRent, *, response: str
) -> None:
    """The message that carries the rent's receipt: on transmission, or asked again."""
    send_receipt(
        dispatcher,
        filename=done.pdf_filename,
        receipt=done.receipt,
        response=response,
        year=done.facts.year,
        tenant=f"{done.facts.last_name} {done.facts.first_name}",
        amount=format_euros(done.rent_cents),
        reference=done.reference,
        when=format_paris(done.transmitted_at),
    )


class ActionRentDone(FormDone):
    """Transmits on Valider; after "no longer the manager" or "the tenant left", offers the
    change to declare instead."""

    spec = RENT

    def text(self, name: str, **values: Any) -> str:
        return self.context.domain.render(name, **values).text

    async def transmit(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        user_id = session_user(tracker)
        try:
            answers = RentAnswers(
                tenant_id=int(tracker.get_slot("rent_tenant")),
                rent_cents=int(tracker.get_slot("rent_amount")),
                flatshare=bool(tracker.get_slot("rent_flatshare")),
                unpaid_to_report=bool(tracker.get_slot("rent_unpaid")),
            )
            done = transmit(
                self.context.uow(), user_id=user_id, answers=answers, now=self.context.now()
            )
        except RentAlreadyTransmitted as already:
            dispatcher.utter_message(
                response="utter_rent_already_transmitted",
                year=tracker.get_slot("rent_year"),
                tenant=tracker.get_slot("rent_tenant_name"),
                when=format_paris(already.transmitted_at),
                amount=format_euros(already.rent_cents),
                reference=already.reference,
            )
            return []
        except (NotFound, NotAllowed):
            dispatcher.utter_message(response="utter_rent_tenant_unknown")
            return []
        send_rent_receipt(dispatcher, done, response="utter_rent_transmitted")
        if done.unpaid_to_report and _has_rule(domain, "report_unpaid"):
            button = payload("report_unpaid", unpaid_tenant=done.facts.tenant_id)
            dispatcher.utter_message(
                response="utter_rent_unpaid_next",
                buttons=[{"title": self.text("utter_option_report_unpaid"), "payload": button}],
            )
        campaign = rent_campaign_count(
            self.context.uow(), user_id=user_id, today=self.context.today()
        )
        if campaign.remaining:
            dispatcher.utter_message(
                response="utter_rent_next",
                remaining=count(campaign.remaining, "rent"),
                total=campaign.total,
                buttons=[
                    {
                        "title": self.text("utter_option_declare_rent"),
                        "payload": payload("declare_rent"),
                    }
                ],
            )
        elif campaign.total:
            dispatcher.utter_message(response="utter_rent_all_done", year=campaign.year)
        return []

    async def stopped(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """After "no longer the manager" or "the tenant left": the change to declare instead."""
        kind = (
            "end_of_management"
            if tracker.get_slot("rent_still_manager") is False
            else "tenant_departure"
        )
        tenant = tracker.get_slot("rent_tenant")
        if tenant is None or not _has_rule(domain, "declare_change"):
            return []
        said = _day_said(tracker)
        dated = {_CHANGE_DATE_SLOT[kind]: said} if said else {}
        button = payload("declare_change", change_type=kind, change_tenant=int(tenant), **dated)
        dispatcher.utter_message(
            response="utter_rent_change_offer",
            buttons=[{"title": self.text(f"utter_option_declare_{kind}"), "payload": button}],
        )
        return []


_CHANGE_DATE_SLOT = {
    "end_of_management": "change_end_date",
    "tenant_departure": "change_departure_date",
}


def _day_said(tracker: Tracker) -> str | None:
    """The one day of the message that stopped the rent ("il est parti le 15 juin"): the change
    offered instead starts with it, still checked by the change form like any answer."""
    days = {
        str(e.get("value"))
        for e in (tracker.latest_message or {}).get("entities", [])
        if e.get("entity") == "date" and e.get("value")
    }
    return days.pop() if len(days) == 1 else None


def _has_rule(domain: DomainDict, intent: str) -> bool:
    return intent in {
        r["steps"][0].get("intent") for r in domain.get("__rules__", []) if r.get("steps")
    }
