"""The end of the July rent form: transmitted with its PDF receipt on Valider, otherwise what
happens instead (nothing saved, or the change to declare for this tenant)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import (
    BotAction,
    send_document,
    session_user,
)
from dialogs.payloads import payload
from dialogs.texts import text
from services.core.errors import NotAllowed, NotFound, RentAlreadyTransmitted
from services.core.money import format_euros
from services.declarations.rent import RentAnswers
from services.declarations.rent import transmit_rent as transmit
from services.declarations.views import rent_campaign
from services.documents.texts import format_paris


class ActionRentDone(BotAction):
    """Ends the form: transmits on Valider, otherwise explains that nothing was saved."""

    def name(self) -> str:
        return "action_rent_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cleared = [SlotSet(slot, None) for slot in tracker.slots if slot.startswith("rent_")]
        confirm = tracker.get_slot("rent_confirm")
        if tracker.get_slot("rent_still_manager") is False:
            self._offer_change(dispatcher, tracker, domain, "end_of_management")
            return cleared
        if tracker.get_slot("rent_still_living") is False:
            self._offer_change(dispatcher, tracker, domain, "tenant_departure")
            return cleared
        if confirm == "quitter":
            dispatcher.utter_message(response="utter_rent_quit")
            return cleared
        if confirm != "valider":
            return cleared
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
            return cleared
        except (NotFound, NotAllowed):
            dispatcher.utter_message(response="utter_rent_tenant_unknown")
            return cleared
        send_document(
            dispatcher,
            filename=done.pdf_filename,
            content=done.pdf,
            response="utter_rent_transmitted",
            year=done.facts.year,
            tenant=f"{done.facts.last_name} {done.facts.first_name}",
            amount=format_euros(done.rent_cents),
            reference=done.reference,
            when=format_paris(done.transmitted_at),
        )
        if done.unpaid_to_report:
            dispatcher.utter_message(
                response="utter_rent_unpaid_next",
                buttons=self._unpaid(domain, done.facts.tenant_id),
            )
        campaign = rent_campaign(self.context.uow(), user_id=user_id, today=self.context.today())
        if campaign.remaining:
            dispatcher.utter_message(
                response="utter_rent_next",
                remaining=len(campaign.remaining),
                total=campaign.total,
                buttons=[
                    {
                        "title": text("utter_button_declare_another_rent"),
                        "payload": payload("declare_rent"),
                    }
                ],
            )
        return cleared

    @staticmethod
    def _has_rule(domain: DomainDict, intent: str) -> bool:
        return intent in {
            r["steps"][0].get("intent") for r in domain.get("__rules__", []) if r.get("steps")
        }

    @classmethod
    def _unpaid(cls, domain: DomainDict, tenant_id: int) -> list[dict[str, Any]]:
        if not cls._has_rule(domain, "report_unpaid"):
            return []
        title = text("utter_button_report_unpaid")
        return [{"title": title, "payload": payload("report_unpaid", unpaid_tenant=tenant_id)}]

    @classmethod
    def _offer_change(
        cls, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, kind: str
    ) -> None:
        """After "Non" to question 1 or 2: the change to declare instead, for this tenant."""
        tenant = tracker.get_slot("rent_tenant")
        if tenant is None or not cls._has_rule(domain, "declare_change"):
            return
        title = (
            text("utter_button_declare_end_of_management")
            if kind == "end_of_management"
            else text("utter_button_declare_departure")
        )
        button = payload("declare_change", change_type=kind, change_tenant=int(tenant))
        dispatcher.utter_message(
            response="utter_rent_change_offer", buttons=[{"title": title, "payload": button}]
        )


ACTIONS = (ActionRentDone,)
