"""The July rent declaration's questions, in the web service's order: the tenant (with the
campaign's count), five questions, an unusual amount to confirm, the recap with Valider /
Modifier / Quitter, and which answer to change."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import recap_buttons, yes_no
from dialogs.actions.core.base import (
    BotAction,
    StartFormAction,
    session_user,
)
from dialogs.payloads import payload
from dialogs.texts import text
from services.core.money import format_euros
from services.core.rules import rent_campaign_rules
from services.declarations.views import RentFacts, rent_campaign, rent_facts

TENANT_BUTTONS = 8


def tenant_label(facts: RentFacts) -> str:
    return f"{facts.last_name} {facts.first_name}"


class ActionStartRent(StartFormAction):
    """Opens the declaration; a tenant named in the message is taken as the answer."""

    form = "rent_form"
    starts_forms = ("rent_form",)


class ActionAskRentTenant(BotAction):
    """Shows the campaign's count and the tenants still to declare as choices."""

    def name(self) -> str:
        return "action_ask_rent_tenant"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        campaign = rent_campaign(
            self.context.uow(), user_id=session_user(tracker), today=self.context.today()
        )
        if campaign.total == 0:
            dispatcher.utter_message(response="utter_rent_no_tenant", year=campaign.year)
            return [ActiveLoop(None)]
        if not campaign.remaining:
            dispatcher.utter_message(response="utter_rent_all_done", year=campaign.year)
            return [ActiveLoop(None)]
        dispatcher.utter_message(
            response="utter_rent_campaign",
            year=campaign.year,
            remaining=len(campaign.remaining),
            total=campaign.total,
        )
        buttons = [
            {
                "title": text(
                    "utter_button_rent_tenant",
                    last_name=line.last_name,
                    first_name=line.first_name,
                    allocataire=line.allocataire_number,
                    postcode=line.postcode,
                    commune=line.commune,
                ),
                "payload": payload("inform", rent_tenant=line.tenant_id),
            }
            for line in campaign.remaining[:TENANT_BUTTONS]
        ]
        dispatcher.utter_message(response="utter_ask_rent_tenant", buttons=buttons)
        return []


class ActionAskRentAmount(BotAction):
    def name(self) -> str:
        return "action_ask_rent_amount"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        last = tracker.get_slot("rent_last_amount")
        buttons = []
        if last:
            label = text("utter_button_rent_same_as_last_year", amount=format_euros(int(last)))
            buttons.append({"title": label, "payload": payload("inform", rent_amount=int(last))})
        dispatcher.utter_message(
            response="utter_ask_rent_amount", year=tracker.get_slot("rent_year"), buttons=buttons
        )
        return []


class ActionAskRentAmountConfirm(BotAction):
    def name(self) -> str:
        return "action_ask_rent_amount_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cents = int(tracker.get_slot("rent_amount") or 0)
        last = tracker.get_slot("rent_last_amount")
        if rent_campaign_rules(self.context.today()).far_from(cents, last):
            change = round(100 * (cents - int(last)) / int(last))
            reason = text(
                "utter_rent_unusual_far_from_last_year", last=format_euros(int(last)), change=change
            )
        else:
            reason = text("utter_rent_unusual_high")
        dispatcher.utter_message(
            response="utter_ask_rent_amount_confirm", amount=format_euros(cents), reason=reason
        )
        return []


class ActionAskRentConfirm(BotAction):
    """The recap: last known information and every answer, then Valider / Modifier / Quitter."""

    def name(self) -> str:
        return "action_ask_rent_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        facts = rent_facts(
            self.context.uow(),
            user_id=session_user(tracker),
            tenant_id=int(tracker.get_slot("rent_tenant")),
            today=self.context.today(),
        )
        last = facts.last_rent_cents
        dispatcher.utter_message(
            response="utter_rent_recap",
            tenant=tenant_label(facts),
            allocataire=facts.allocataire_number,
            address=facts.address,
            last_year=facts.year - 1,
            last_rent=format_euros(last) if last else text("utter_rent_last_unknown"),
            year=facts.year,
            flatshare=yes_no(bool(tracker.get_slot("rent_flatshare"))),
            amount=format_euros(int(tracker.get_slot("rent_amount"))),
            unpaid=yes_no(bool(tracker.get_slot("rent_unpaid"))),
            buttons=recap_buttons(),
        )
        return []


class ActionAskRentEdit(BotAction):
    def name(self) -> str:
        return "action_ask_rent_edit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            response="utter_ask_rent_edit",
            buttons=[
                {
                    "title": text(f"utter_button_rent_edit_{option}"),
                    "payload": payload("choose", option=option),
                }
                for option in ("flatshare", "amount", "unpaid")
            ],
        )
        return []


ACTIONS = (
    ActionStartRent,
    ActionAskRentTenant,
    ActionAskRentAmount,
    ActionAskRentAmountConfirm,
    ActionAskRentConfirm,
    ActionAskRentEdit,
)
