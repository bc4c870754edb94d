"""The July rent declaration: a spec run by the form loop, plus what is the rent's own.

What is known of the tenant answers the web form's yes/no questions by default (still the
manager, the tenant still there, the same flat-share situation, no unpaid rent), shown as such in
the recap and changeable with Modifier; so "loyer brisson 330" then "oui" declares a rent. This
module keeps the rent's own rules: the tenant's facts, an unusual amount asked again, the
transmission and its receipt (`rent_done.py`), and what to offer when the tenant left or the
management ended. The spec itself is `rent_spec.py`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import BotAction, StartFormAction
from dialogs.actions.declarations import sheets
from dialogs.actions.declarations.bulk_reading import asks_bulk, asks_everyone, rent_opening
from dialogs.actions.declarations.rent_amount import (
    KNOWN_CHARGES,
    SAID_WITH_CHARGES,
    ActionAskRentAmount,
    ActionAskRentAmountConfirm,
    rent_said,
)
from dialogs.actions.declarations.rent_done import ActionRentDone
from dialogs.actions.declarations.rent_spec import RENT
from dialogs.forms.asking import AskRecap
from dialogs.forms.validation import SpecFormValidation, session_user
from dialogs.payloads import payload
from dialogs.wording import count
from services.core.errors import AmountError, NotAllowed, NotFound
from services.core.money import format_euros, parse_amount
from services.core.rules import rent_campaign_rules
from services.declarations.views import rent_campaign, rent_facts
from services.documents.texts import format_paris

TENANT_BUTTONS = 8
AMOUNT_REASONS = {
    "empty": "utter_rent_amount_invalid",
    "not_a_number": "utter_rent_amount_invalid",
    "not_positive": "utter_rent_amount_not_positive",
    "too_many_decimals": "utter_rent_amount_decimals",
    "too_large": "utter_rent_amount_too_large",
}


class ActionStartRent(StartFormAction):
    """Opens the declaration; what the opening message says is read by the form itself.
    "Tous mes loyers sont inchangés" or an exception to that recap ("sauf couture 400") opens
    the recap of every rent instead (`bulk.py`); a request for the spreadsheet (« envoie moi le
    tableau des loyers ») gets it, to send back filled in."""

    form = "rent_form"
    starts_forms = ("rent_form",)

    @staticmethod
    def claims(text: str) -> tuple[str, str] | None:
        """The request a message makes whatever form is active (read by the engine before the
        form reads it): a bulk phrase is the recap of every rent, never another form's answer
        (« tous mes loyers sont inchangés » is no « même jour »)."""
        return ("declare_rent", "bulk_rent_form") if asks_bulk(text) else None

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = str(tracker.latest_message.get("text") or "")
        opening = rent_opening(text, tracker.latest_message.get("entities") or [])
        if opening == "template":
            sheets.send_template(self.context, dispatcher, tracker)
            return []
        return [ActiveLoop("bulk_rent_form" if opening == "bulk" else self.form)]


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
            remaining=count(len(campaign.remaining), "rent"),
            total=campaign.total,
        )
        buttons = [
            {
                "title": f"{line.last_name} {line.first_name} — n° {line.allocataire_number} — "
                f"{line.postcode} {line.commune}",
                "payload": payload("inform", rent_tenant=line.tenant_id),
            }
            for line in campaign.remaining[:TENANT_BUTTONS]
        ]
        if len(campaign.remaining) > 1:
            buttons.append(
                {
                    "title": self.context.domain.render(
                        "utter_option_bulk_all_unchanged", count=len(campaign.remaining)
                    ).text,
                    "payload": payload("inform", bulk_rent_mode="unchanged"),
                }
            )
        dispatcher.utter_message(response="utter_ask_rent_tenant", buttons=buttons)
        return []


class ActionAskRentConfirm(AskRecap):
    """The recap, headed by what is known of the tenant."""

    def __init__(self, context: Any) -> None:
        super().__init__(context, RENT)

    def values(self, tracker: Tracker) -> dict[str, Any]:
        facts = rent_facts(
            self.context.uow(),
            user_id=session_user(tracker),
            tenant_id=int(tracker.get_slot("rent_tenant")),
            today=self.context.today(),
        )
        last = facts.last_rent_cents
        return {
            "allocataire": facts.allocataire_number,
            "address": facts.address,
            "last_year": facts.year - 1,
            "last_rent": format_euros(last) if last else self.text("utter_value_unknown"),
            "year": facts.year,
        }


class ValidateRentForm(SpecFormValidation):
    """The rent's own checks: the tenant's facts, the amount, and the answers that end it."""

    spec = RENT

    def takes(self, parse: dict[str, Any], slots: dict[str, Any]) -> str:
        """Typed instead of a tenant, « tous mes loyers sont inchangés » answers nothing here:
        the policy leaves it to `run`, which opens the recap of every rent."""
        if slots.get("requested_slot") == "rent_tenant" and asks_everyone(
            str(parse.get("text") or "")
        ):
            return ""
        return super().takes(parse, slots)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """« Tous inchangés » pressed, or typed instead of a tenant: the recap of every rent."""
        latest = tracker.latest_message or {}
        pressed = any(e.get("entity") == "bulk_rent_mode" for e in latest.get("entities", []))
        typed = tracker.get_slot("requested_slot") == "rent_tenant" and asks_everyone(
            str(latest.get("text") or "")
        )
        if pressed or typed:
            return [ActiveLoop("bulk_rent_form")]
        return await super().run(dispatcher, tracker, domain)

    def validate_rent_tenant(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            facts = rent_facts(
                self.context.uow(),
                user_id=session_user(tracker),
                tenant_id=int(value),
                today=self.context.today(),
            )
        except (NotFound, NotAllowed, ValueError, TypeError):
            dispatcher.utter_message(response="utter_rent_tenant_unknown")
            return {"rent_tenant": None}
        if facts.transmitted_at is not None:
            dispatcher.utter_message(
                response="utter_rent_already_transmitted",
                year=facts.year,
                tenant=f"{facts.last_name} {facts.first_name}",
                when=format_paris(facts.transmitted_at),
                amount=format_euros(facts.transmitted_rent_cents or 0),
                reference=facts.receipt_reference,
            )
            return {"rent_tenant": None}
        last = facts.last_rent_cents
        dispatcher.utter_message(
            response="utter_rent_facts",
            tenant=f"{facts.last_name} {facts.first_name}",
            allocataire=facts.allocataire_number,
            last_year=facts.year - 1,
            last_rent=format_euros(last) if last else self.text_unknown(),
            since=facts.since.strftime("%d/%m/%Y"),
            flatshare=self.yes_no(facts.flatshare),
            address=facts.address,
        )
        changed = tracker.get_slot("rent_tenant") not in (None, facts.tenant_id)
        # Defaults came from the previous tenant's facts: they are taken again from this one's.
        reset = dict.fromkeys(tracker.get_slot(RENT.defaulted_slot) or []) if changed else {}
        amount = tracker.get_slot("rent_amount")
        if isinstance(amount, int) and (changed or tracker.get_slot("rent_amount_confirm") is None):
            # an amount said before its tenant is judged against this tenant's last rent
            rules = rent_campaign_rules(self.context.today())
            reset["rent_amount_unusual"] = rules.is_unusual(amount, last)
            reset["rent_amount_confirm"] = None
        return {
            **reset,
            "rent_tenant": facts.tenant_id,
            "rent_tenant_name": f"{facts.last_name} {facts.first_name}",
            "rent_year": facts.year,
            "rent_last_amount": last,
            "rent_tenant_flatshare": facts.flatshare,
            KNOWN_CHARGES: facts.charges_cents,
        }

    def validate_rent_still_manager(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is False:
            dispatcher.utter_message(response="utter_rent_not_manager")
        return {"rent_still_manager": bool(value)}

    def validate_rent_still_living(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is False:
            dispatcher.utter_message(response="utter_rent_tenant_left")
        return {"rent_still_living": bool(value)}

    def validate_rent_unpaid(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True:
            dispatcher.utter_message(response="utter_rent_unpaid_noted")
        return {"rent_unpaid": bool(value)}

    def validate_rent_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            cents = value if isinstance(value, int) else parse_amount(str(value))
            if cents <= 0:
                raise AmountError("not_positive")
            if rent_campaign_rules(self.context.today()).too_large(cents):
                raise AmountError("too_large")
        except AmountError as error:
            dispatcher.utter_message(response=AMOUNT_REASONS[error.reason])
            return {"rent_amount": None, "rent_amount_unusual": None}
        said = rent_said(
            self.message(tracker), cents, tracker.get_slot(SAID_WITH_CHARGES), dispatcher
        )
        if said["rent_amount"] is None:
            return {**said, "rent_amount_unusual": None}
        last = tracker.get_slot("rent_last_amount")
        unusual = rent_campaign_rules(self.context.today()).is_unusual(said["rent_amount"], last)
        return {**said, "rent_amount_unusual": unusual, "rent_amount_confirm": None}

    def validate_rent_amount_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True:
            return {"rent_amount_confirm": True}
        return {"rent_amount": None, "rent_amount_confirm": None, "rent_amount_unusual": None}

    def reset_with(self, slot: str) -> tuple[str, ...]:
        return ("rent_amount_confirm", "rent_amount_unusual") if slot == "rent_amount" else ()

    def text_unknown(self) -> str:
        return self.context.domain.render("utter_value_unknown").text

    def yes_no(self, value: bool) -> str:
        return self.context.domain.render("utter_value_yes" if value else "utter_value_no").text


ACTIONS = (
    ActionStartRent,
    ActionAskRentTenant,
    ActionAskRentAmount,
    ActionAskRentAmountConfirm,
    ActionAskRentConfirm,
    ValidateRentForm,
    ActionRentDone,
)
FORMS = (ValidateRentForm,)
