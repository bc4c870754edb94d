"""A change's transmission on Valider: the service call for its kind, the receipt, a refusal
of the service said in French, and the rent campaign's count. The form is in `changes.py`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import format_day, parse_iso_date
from dialogs.actions.core.base import send_receipt
from dialogs.actions.declarations.change_spec import CHANGE, DEPARTURE, END, SERVICE_REASONS
from dialogs.forms.completion import FormDone
from dialogs.forms.validation import session_user
from dialogs.wording import count
from services.core.errors import (
    ChangeAlreadyDeclared,
    InvalidValue,
    NotAllowed,
    NotFound,
)
from services.core.rules import change_rules
from services.declarations.change_records import TransmittedChange
from services.declarations.changes import (
    declare_departure,
    declare_end_of_management,
    declare_flatshare,
)
from services.declarations.views import rent_campaign_count
from services.documents.texts import format_paris


class ActionChangeDone(FormDone):
    """Transmits on Valider and sends the receipt; a refusal of the service is said in French."""

    spec = CHANGE

    async def transmit(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            done = self._transmit(tracker)
        except ChangeAlreadyDeclared as already:
            dispatcher.utter_message(
                response="utter_change_already_declared",
                when=format_paris(already.transmitted_at),
                reference=already.reference,
            )
            return []
        except (NotFound, NotAllowed):
            dispatcher.utter_message(response="utter_form_tenant_unknown")
            return []
        except InvalidValue as error:
            day = parse_iso_date(tracker.get_slot("change_departure_date"))
            dispatcher.utter_message(
                response=SERVICE_REASONS.get(error.reason, "utter_change_refused"),
                departed=format_day(day) if day else "",
                cotenants=tracker.get_slot("change_cotenants"),
                most=change_rules(self.context.today()).max_cotenants,
            )
            return []
        kind = str(tracker.get_slot("change_type"))
        send_receipt(
            dispatcher,
            filename=done.pdf_filename,
            receipt=done.receipt,
            response="utter_change_transmitted",
            change=self.context.domain.render(f"utter_change_receipt_{kind}").text,
            tenants=", ".join(done.tenant_names),
            reference=done.reference,
            when=format_paris(done.transmitted_at),
        )
        if done.late:
            dispatcher.utter_message(response="utter_change_transmitted_late")
        campaign = rent_campaign_count(
            self.context.uow(), user_id=session_user(tracker), today=self.context.today()
        )
        dispatcher.utter_message(
            response="utter_change_campaign",
            year=campaign.year,
            remaining=count(campaign.remaining, "rent"),
            total=campaign.total,
        )
        return []

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
