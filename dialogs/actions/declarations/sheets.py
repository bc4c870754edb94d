"""A spreadsheet of rents in the bulk recap: read and check the file, summarise ("1 987 lignes
prêtes, 13 à corriger"), list the lines to correct by number (and, when there are many, attach
them as a CSV), check it again at "Valider"; and the template to fill in."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from dialogs.actions.declarations.bulk_plan import (
    AMOUNTS,
    ANSWER,
    PAGE,
    READY,
    REMOVED,
    UPLOAD,
    sender,
)
from dialogs.context import ActionContext
from dialogs.forms.validation import session_user
from dialogs.wording import count, number
from services.core.errors import NotFound
from services.core.money import format_euros, parse_amount
from services.core.rules import rules_on
from services.declarations.bulk import bulk_scope
from services.declarations.sheet_checks import LineProblem, SheetCheck, check_spreadsheet
from services.declarations.spreadsheets import SpreadsheetError, read_spreadsheet
from services.declarations.uploads import load_upload
from services.documents.spreadsheets import TemplateLine, render_errors_csv, render_template

PROBLEMS_SHOWN = 15
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(context: ActionContext, name: str, **values: Any) -> str:
    return context.domain.render(name, **values).text


def _check(
    context: ActionContext, dispatcher: CollectingDispatcher, tracker: Tracker, upload_id: int
) -> tuple[str, SheetCheck] | None:
    """The file's verdicts, or None after saying why it cannot be read."""
    channel, chat_id = sender(tracker)
    try:
        upload = load_upload(
            context.uow(), channel=channel, chat_id=chat_id, upload_id=upload_id, now=context.now()
        )
    except NotFound:
        dispatcher.utter_message(response="utter_sheet_expired")
        return None
    limits = rules_on("spreadsheets", context.today())
    try:
        rows = read_spreadsheet(
            upload.filename,
            upload.content,
            max_bytes=int(limits["max_bytes"]),
            max_lines=int(limits["max_lines"]),
        )
    except SpreadsheetError as error:
        dispatcher.utter_message(response=f"utter_sheet_refused_{error.reason}")
        return None
    check = check_spreadsheet(
        context.uow(), user_id=session_user(tracker), rows=rows, today=context.today()
    )
    return upload.filename, check


def open_sheet(
    context: ActionContext, dispatcher: CollectingDispatcher, tracker: Tracker, upload_id: int
) -> list[EventType]:
    """A file just sent: its summary and the lines to correct; the recap waits for Valider."""
    checked = _check(context, dispatcher, tracker, upload_id)
    if checked is None:
        return [ActiveLoop(None)]
    filename, check = checked
    dispatcher.utter_message(
        response="utter_sheet_summary" if check.problems else "utter_sheet_summary_clean",
        filename=filename,
        ready=count(len(check.ready), "line_ready"),
        to_fix=number(len(check.problems)),
    )
    if check.problems:
        _problems(context, dispatcher, check.problems)
    if not check.ready:
        dispatcher.utter_message(response="utter_sheet_nothing_ready")
        return [ActiveLoop(None)]
    dispatcher.utter_message(
        response="utter_sheet_ready_total",
        ready=count(len(check.ready), "rent"),
        total=format_euros(check.ready_cents),
    )
    return [
        SlotSet(UPLOAD, upload_id),
        SlotSet(READY, len(check.ready)),
        SlotSet(AMOUNTS, {}),
        SlotSet(REMOVED, []),
        SlotSet(PAGE, 0),
        SlotSet("requested_slot", ANSWER),
    ]


def _problems(
    context: ActionContext, dispatcher: CollectingDispatcher, problems: tuple[LineProblem, ...]
) -> None:
    described = [(p, _reason(context, p)) for p in problems]
    lines = [
        _text(context, "utter_sheet_problem_line", line=p.line, reason=reason)
        for p, reason in described[:PROBLEMS_SHOWN]
    ]
    dispatcher.utter_message(response="utter_sheet_problems", lines="\n".join(lines))
    more = len(problems) - PROBLEMS_SHOWN
    if more > 0:
        content = render_errors_csv([(p.line, p.allocataire, p.rent, r) for p, r in described])
        dispatcher.utter_message(
            response="utter_sheet_problems_more",
            count=number(more),
            json_message={
                "document": {
                    "filename": "lignes-a-corriger.csv",
                    "content": content,
                    "mime_type": "text/csv",
                }
            },
        )


def _reason(context: ActionContext, problem: LineProblem) -> str:
    rent = problem.rent
    if problem.reason == "unusual_amount":  # a valid amount: written the French way
        rent = format_euros(parse_amount(rent))
    return _text(
        context,
        f"utter_sheet_reason_{problem.reason}",
        allocataire=problem.allocataire,
        rent=rent,
        tenant=problem.tenant,
        first_line=problem.first_line,
    )


def recheck(
    context: ActionContext, dispatcher: CollectingDispatcher, tracker: Tracker, upload_id: int
) -> SheetCheck | None:
    """At "Valider": the same file against the data of now."""
    checked = _check(context, dispatcher, tracker, upload_id)
    return checked[1] if checked is not None else None


def send_template(
    context: ActionContext, dispatcher: CollectingDispatcher, tracker: Tracker
) -> None:
    """The XLSX to fill in: the tenants still to declare, last year's rents prefilled."""
    scope = bulk_scope(context.uow(), user_id=session_user(tracker), today=context.today())
    lines = [
        TemplateLine(t.allocataire_number, t.name, t.last_rent_cents, t.flatshare)
        for t in scope.remaining
    ]
    dispatcher.utter_message(
        response="utter_sheet_template",
        count=count(len(lines), "tenant"),
        year=scope.year,
        json_message={
            "document": {
                "filename": f"loyers-juillet-{scope.year}.xlsx",
                "content": render_template(lines, year=scope.year),
                "mime_type": XLSX,
            }
        },
    )
