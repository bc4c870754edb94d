""" "Valider" at the bulk recap: the lines are rebuilt from the database (the scope and, for a
spreadsheet, the file checked again), transmitted one savepoint each with progress shown, then
one PDF lists every receipt and the failures are named with their reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action
from rasa_sdk.types import DomainDict

from dialogs.actions.declarations import sheets
from dialogs.actions.declarations.bulk_plan import (
    AMOUNTS,
    ANSWER,
    CHOICE,
    OPENED,
    PAGE,
    READY,
    REMOVED,
    UPLOAD,
    BulkPlan,
)
from dialogs.context import ActionContext
from dialogs.forms.validation import session_user
from dialogs.progress import report
from dialogs.wording import count, number
from services.core.errors import NotAllowed, NotFound
from services.core.money import format_euros
from services.declarations.bulk import BulkResult, RentLine, bulk_scope, transmit_rents
from services.declarations.views import rent_campaign
from services.documents.receipt_lists import ListedReceipt, ReceiptList, render_receipt_list

FAILURES_SHOWN = 15
# Lines from which the user is told how long the transmission takes (at the recap, and again
# when it starts), and the time per line of the whole « Valider » turn: transmission and PDF
# of the receipts, measured by benchmarks/bulk_turn.py for 1 980 lines (1.4 s on SQLite, 1.9 s
# on PostgreSQL on a quiet machine; 2.4 to 3.2 s on SQLite at a load average of 4), rounded up.
ANNOUNCED_FROM = 100
SECONDS_PER_LINE = 0.0015


def transmission_seconds(lines: int) -> int:
    """About how long « Valider » takes for this many lines, in whole seconds."""
    return max(1, round(lines * SECONDS_PER_LINE))


SLOTS = (ANSWER, AMOUNTS, REMOVED, PAGE, UPLOAD, READY, CHOICE, OPENED)


class ActionBulkRentDone(Action):
    requires_login = True

    def __init__(self, context: ActionContext) -> None:
        self.context = context

    def name(self) -> str:
        return "action_bulk_rent_done"

    def text(self, name: str, **values: Any) -> str:
        return self.context.domain.render(name, **values).text

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        cleared: list[dict[str, Any]] = [SlotSet(slot, None) for slot in SLOTS]
        choice = tracker.get_slot(CHOICE)
        if choice != "valider":
            dispatcher.utter_message(response="utter_form_quit")
            return cleared
        user_id = session_user(tracker)
        try:
            lines = self._lines(dispatcher, tracker)
        except (NotFound, NotAllowed):
            dispatcher.utter_message(response="utter_sheet_expired")
            return cleared
        if lines is None:
            return cleared
        if not lines:
            dispatcher.utter_message(response="utter_bulk_nothing_to_send")
            return cleared
        result = transmit_rents(
            self.context.uow(),
            user_id=user_id,
            lines=lines,
            now=self.context.now(),
            progress=self._progress(len(lines)),
        )
        if len(lines) >= ANNOUNCED_FROM:
            # The PDF of the receipts is the slowest step left: said, not left as a frozen count.
            report(
                self.text(
                    "utter_bulk_progress_receipts" if result.done else "utter_bulk_progress",
                    done=number(len(lines)),
                    total=number(len(lines)),
                ),
                last=True,
            )
        self._said(dispatcher, result)
        campaign = rent_campaign(self.context.uow(), user_id=user_id, today=self.context.today())
        if campaign.remaining:
            dispatcher.utter_message(
                response="utter_bulk_remaining",
                remaining=count(len(campaign.remaining), "rent"),
                total=number(campaign.total),
            )
        elif campaign.total and result.done:
            dispatcher.utter_message(response="utter_rent_all_done", year=campaign.year)
        return cleared

    def _lines(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> tuple[RentLine, ...] | None:
        upload = tracker.get_slot(UPLOAD)
        if upload is not None:
            check = sheets.recheck(self.context, dispatcher, tracker, int(upload))
            return check.ready if check is not None else None
        scope = bulk_scope(
            self.context.uow(), user_id=session_user(tracker), today=self.context.today()
        )
        opened = tracker.get_slot(OPENED)
        shown_at = datetime.fromisoformat(opened) if isinstance(opened, str) else None
        return BulkPlan.of(scope, tracker).rent_lines(shown_at, self.context.now())

    def _progress(self, total: int) -> Any:
        """Reports the estimate on its own line (a message of its own on Telegram), then the
        count of lines done on one line rewritten as chunks go."""
        long = total >= ANNOUNCED_FROM
        if long:
            report(
                self.text(
                    "utter_bulk_progress_start",
                    count=count(total, "rent"),
                    seconds=count(transmission_seconds(total), "second"),
                ),
                last=True,
            )

        def progress(done: int, all_lines: int) -> None:
            report(
                self.text("utter_bulk_progress", done=number(done), total=number(all_lines)),
                last=done == all_lines and not long,
            )

        return progress

    def _said(self, dispatcher: CollectingDispatcher, result: BulkResult) -> None:
        if result.done:
            listing = ReceiptList(
                year=result.year,
                organisation=result.organisation_name,
                issued_at=result.transmitted_at,
                transmitted_by=result.transmitted_by,
                receipts=tuple(
                    ListedReceipt(
                        d.reference,
                        d.tenant.name,
                        d.tenant.allocataire_number,
                        d.line.rent_cents,
                    )
                    for d in result.done
                ),
            )
            stamp = result.transmitted_at.strftime("%Y%m%d-%H%M")
            dispatcher.utter_message(
                response="utter_bulk_transmitted",
                count=count(len(result.done), "rent"),
                year=result.year,
                total=format_euros(sum(d.line.rent_cents for d in result.done)),
                json_message={
                    "document": {
                        "filename": f"loyers-{result.year}-{stamp}.pdf",
                        "content": render_receipt_list(listing),
                    }
                },
            )
        if result.failed:
            shown = [
                self.text(
                    "utter_bulk_failed_line",
                    tenant=f.tenant.name if f.tenant else str(f.line.tenant_id),
                    reason=self.text(f"utter_bulk_reason_{f.reason}"),
                )
                for f in result.failed[:FAILURES_SHOWN]
            ]
            more = len(result.failed) - FAILURES_SHOWN
            if more > 0:
                shown.append(self.text("utter_bulk_failed_more", count=number(more)))
            dispatcher.utter_message(
                response="utter_bulk_failed_one"
                if len(result.failed) == 1
                else "utter_bulk_failed_many",
                count=count(len(result.failed), "rent"),
                lines="\n".join(shown),
            )
