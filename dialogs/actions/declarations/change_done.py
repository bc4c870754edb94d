"""The end of the change form: transmitted on Valider with its PDF receipt and the campaign's
count; a refusal of the service is said in French."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import (
    format_day,
    parse_iso_date,
)
from dialogs.actions.core.base import (
    BotAction,
    send_document,
    session_user,
)
from dialogs.actions.declarations.change_questions import DEPARTURE, END, kind_label
from services.core.errors import (
    ChangeAlreadyDeclared,
    InvalidValue,
    NotAllowed,
    NotFound,
)
from services.core.rules import change_rules
from services.declarations.changes import (
    TransmittedChange,
    declare_departure,
    declare_end_of_management,
    declare_flatshare,
)
from services.declarations.views import rent_campaign
from services.documents.texts import format_paris

SERVICE_REASONS = {
    "management_ended": "utter_change_management_ended",
    "lease_ended_before_departure": "utter_change_lease_before_departure",
    "flatshare_needs_two": "utter_change_cotenants_invalid",
    "invalid_cotenants": "utter_change_cotenants_invalid",
    "too_many_names": "utter_change_names_too_many",
    "no_change": "utter_change_flatshare_no_change",
    "tenant_left": "utter_change_tenant_left",
}


class ActionChangeDone(BotAction):
    """Transmits on Valider and sends the receipt; a refusal of the service is said in French."""

    def name(self) -> str:
        return "action_change_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cleared = [SlotSet(slot, None) for slot in tracker.slots if slot.startswith("change_")]
        confirm = tracker.get_slot("change_confirm")
        if confirm == "quitter":
            dispatcher.utter_message(response="utter_change_quit")
            return cleared
        if confirm != "valider":
            return cleared
        try:
            done = self._transmit(tracker)
        except ChangeAlreadyDeclared as already:
            dispatcher.utter_message(
                response="utter_change_already_declared",
                when=format_paris(already.transmitted_at),
                reference=already.reference,
            )
            return cleared
        except (NotFound, NotAllowed):
            dispatcher.utter_message(response="utter_flow_tenant_unknown")
            return cleared
        except InvalidValue as error:
            dispatcher.utter_message(
                response=SERVICE_REASONS.get(error.reason, "utter_change_refused"),
                departed=self._departed(tracker),
                cotenants=tracker.get_slot("change_cotenants"),
                most=change_rules(self.context.today()).max_cotenants,
            )
            return cleared
        send_document(
            dispatcher,
            filename=done.pdf_filename,
            content=done.pdf,
            response="utter_change_transmitted",
            change=kind_label(tracker.get_slot("change_type")),
            tenants=", ".join(done.tenant_names),
            reference=done.reference,
            when=format_paris(done.transmitted_at),
        )
        if done.late:
            dispatcher.utter_message(response="utter_change_transmitted_late")
        campaign = rent_campaign(
            self.context.uow(), user_id=session_user(tracker), today=self.context.today()
        )
        dispatcher.utter_message(
            response="utter_change_campaign",
            year=campaign.year,
            remaining=len(campaign.remaining),
            total=campaign.total,
        )
        return cleared

    @staticmethod
    def _departed(tracker: Tracker) -> str:
        day = parse_iso_date(tracker.get_slot("change_departure_date"))
        return format_day(day) if day else ""

    def _transmit(self, tracker: Tracker) -> TransmittedChange:
        kind = tracker.get_slot("change_type")
        common: dict[str, Any] = {
            "user_id": session_user(tracker),
            "tenant_id": int(tracker.get_slot("change_tenant")),
            "now": self.context.now(),
        }
        uow = self.context.uow()

        def day(slot: str) -> date:
            value = parse_iso_date(tracker.get_slot(slot))
            if value is None:
                raise InvalidValue(f"invalid_{slot}")
            return value

        if kind == END:
            return declare_end_of_management(
                uow,
                ended_on=day("change_end_date"),
                reason=str(tracker.get_slot("change_end_reason")),
                new_manager=tracker.get_slot("change_new_manager") or None,
                **common,
            )
        if kind == DEPARTURE:
            return declare_departure(
                uow,
                departed_on=day("change_departure_date"),
                lease_ended_on=day("change_lease_end_date"),
                new_address=tracker.get_slot("change_new_address") or None,
                **common,
            )
        names = str(tracker.get_slot("change_cotenant_names") or "")
        return declare_flatshare(
            uow,
            flatshare=bool(tracker.get_slot("change_flatshare")),
            cotenants=int(tracker.get_slot("change_cotenants") or 1),
            cotenant_names=[n.strip() for n in names.split(",") if n.strip()],
            from_date=day("change_from_date"),
            **common,
        )


ACTIONS = (ActionChangeDone,)
