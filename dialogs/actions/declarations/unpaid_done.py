"""The end of the unpaid form: on Valider the report is stored with its PDF receipt and what the
CAF does next; a debt that is not an unpaid any more is explained, nothing is stored."""

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
from dialogs.actions.declarations.unpaid_months import explain_not_constituted, recorded_lines
from dialogs.texts import text
from services.core.errors import (
    InvalidValue,
    NotAllowed,
    NotFound,
    UnpaidAlreadyReported,
    UnpaidNotConstituted,
)
from services.core.money import format_euros
from services.declarations.unpaid import report_unpaid
from services.declarations.unpaid_rules import UnpaidLine
from services.documents.texts import format_paris


class ActionUnpaidDone(BotAction):
    def name(self) -> str:
        return "action_unpaid_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cleared = [SlotSet(slot, None) for slot in tracker.slots if slot.startswith("unpaid_")]
        confirm = tracker.get_slot("unpaid_confirm")
        if confirm == "quitter":
            dispatcher.utter_message(response="utter_unpaid_quit")
            return cleared
        if confirm != "valider":
            return cleared
        lines = recorded_lines(tracker)
        try:
            done = report_unpaid(
                self.context.uow(),
                user_id=session_user(tracker),
                tenant_id=int(tracker.get_slot("unpaid_tenant")),
                first_month=lines[0][0],
                lines=[UnpaidLine(m, due, paid) for m, due, paid in lines],
                now=self.context.now(),
            )
        except UnpaidNotConstituted as refused:
            explain_not_constituted(dispatcher, refused.assessment, self.context.today())
            return cleared
        except UnpaidAlreadyReported as already:
            dispatcher.utter_message(
                response="utter_unpaid_already_open",
                tenant=tracker.get_slot("unpaid_tenant_name"),
                when=format_paris(already.transmitted_at),
                reference=already.reference,
            )
            return cleared
        except (NotFound, NotAllowed):
            dispatcher.utter_message(response="utter_flow_tenant_unknown")
            return cleared
        except InvalidValue:
            dispatcher.utter_message(response="utter_unpaid_refused")
            return cleared
        send_document(
            dispatcher,
            filename=done.pdf_filename,
            content=done.pdf,
            response="utter_unpaid_transmitted",
            tenant=done.tenant_name,
            debt=format_euros(done.assessment.debt_cents),
            reference=done.reference,
            when=format_paris(done.transmitted_at),
        )
        dispatcher.utter_message(
            response="utter_unpaid_next_steps",
            steps="\n".join(text("utter_unpaid_next_step", step=s.text) for s in done.next_steps),
            months=done.repayment_plan_within_months,
        )
        return cleared


ACTIONS = (ActionUnpaidDone,)
