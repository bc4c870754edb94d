"""Every rent still to declare, at once: the recap, exceptions in free text, one "Valider".

"Tous mes loyers sont inchangés" (or the « Tous inchangés » button of the rent campaign, or a
spreadsheet sent) opens one small form whose only question is the recap. At the recap, a message
is a choice (Valider, Page suivante, Modèle de tableau, Quitter) or exceptions ("sauf brisson
340 €", "pas murot", "couture 400"), said back at once. Rights are never taken from the slots: the
scope is read again on every turn and at "Valider" (`bulk_plan.py`); the transmission and its
receipt are `bulk_done.py`, the spreadsheet's check `sheets.py`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import BotAction, StartFormAction, entities
from dialogs.actions.declarations import sheets
from dialogs.actions.declarations.bulk_done import (
    ANNOUNCED_FROM,
    ActionBulkRentDone,
    transmission_seconds,
)
from dialogs.actions.declarations.bulk_plan import (
    AMOUNTS,
    ANSWER,
    CHOICE,
    NAMES_SHOWN,
    ONLY,
    OPENED,
    PAGE,
    PAGE_LINES,
    READY,
    REMOVED,
    UPLOAD,
    BulkPlan,
    stored_amounts,
)
from dialogs.actions.declarations.bulk_reading import (
    SEVERAL,
    Exceptions,
    asks_bulk,
    asks_everyone,
    choice_of,
    read_exceptions,
)
from dialogs.forms.spec import FormSpec, Kind, Question
from dialogs.forms.validation import SpecFormValidation, session_user
from dialogs.payloads import payload
from dialogs.wording import count, number, signed
from services.core.money import format_euros
from services.core.rules import rent_campaign_rules
from services.declarations.bulk import BulkScope, BulkTenant, bulk_scope

REQUESTED = "requested_slot"
BULK = FormSpec(
    name="bulk_rent_form",
    questions=(Question(ANSWER, Kind.TEXT, recap=False, editable=False),),
    recap=False,
    extra_slots=(AMOUNTS, REMOVED, PAGE, UPLOAD, READY, CHOICE, OPENED, ONLY),
)


def example_name(among: Sequence[BulkTenant], scope: BulkScope) -> str:
    """How to name a tenant of `among` in an example the recap can read: the last name alone
    when no other tenant still to declare bears it, else with the first name (« bertrand
    clara »); a name two tenants share entirely is never offered."""
    last_names = Counter(t.last_name for t in scope.remaining)
    full_names = Counter((t.last_name, t.first_name) for t in scope.remaining)
    for tenant in among:
        if last_names[tenant.last_name] == 1:
            return tenant.last_name.lower()
    for tenant in among:
        if full_names[(tenant.last_name, tenant.first_name)] == 1:
            return f"{tenant.last_name} {tenant.first_name}".lower()
    return among[0].last_name.lower() if among else ""


def _names(tenants: list[BulkTenant]) -> str:
    shown = ", ".join(t.name for t in tenants[:NAMES_SHOWN])
    more = len(tenants) - NAMES_SHOWN
    return f"{shown} (+{number(more)})" if more > 0 else shown


class ActionStartBulkRent(StartFormAction):
    """Opens the recap of every rent still to declare."""

    form = "bulk_rent_form"
    starts_forms = ("bulk_rent_form",)


class ActionStartBulkSheet(StartFormAction):
    """A spreadsheet was sent: the same recap, its lines coming from the file."""

    form = "bulk_rent_form"
    starts_forms = ("bulk_rent_form",)

    def name(self) -> str:
        return "action_start_bulk_sheet"


class ActionAskBulkRentAnswer(BotAction):
    """The recap's page, what is set aside, and the choices."""

    def name(self) -> str:
        return "action_ask_bulk_rent_answer"

    def text(self, name: str, **values: Any) -> str:
        return self.context.domain.render(name, **values).text

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot(UPLOAD) is not None:
            sheet_lines = int(tracker.get_slot(READY) or 0)
            dispatcher.utter_message(
                response="utter_ask_bulk_sheet_answer", buttons=self._buttons(sheet_lines, 1)
            )
            return []
        scope = bulk_scope(
            self.context.uow(), user_id=session_user(tracker), today=self.context.today()
        )
        plan = BulkPlan.of(scope, tracker)
        ready = plan.ready
        pages = plan.pages()
        page = int(tracker.get_slot(PAGE) or 0) % pages
        lines = []
        for line in ready[page * PAGE_LINES : (page + 1) * PAGE_LINES]:
            t = line.tenant
            values = {
                "tenant": t.name,
                "allocataire": t.allocataire_number,
                "amount": format_euros(line.rent_cents),
            }
            if not line.changed:
                lines.append(self.text("utter_bulk_line", **values))
            elif t.last_rent_cents:
                last = format_euros(t.last_rent_cents)
                lines.append(self.text("utter_bulk_line_changed", last=last, **values))
            else:
                lines.append(self.text("utter_bulk_line_new", **values))
        page_text = self.text("utter_bulk_page", page=page + 1, pages=pages) if pages > 1 else ""
        dispatcher.utter_message(
            response="utter_bulk_recap",
            year=scope.year,
            ready=count(len(ready), "rent"),
            total=format_euros(sum(line.rent_cents for line in ready)),
            page=page_text,
            lines="\n".join(lines),
        )
        if plan.without_amount and page == 0:
            example = example_name(plan.without_amount, scope)
            dispatcher.utter_message(
                response="utter_bulk_no_last_amount",
                names=_names(plan.without_amount),
                example=example,
            )
        if plan.set_aside:
            dispatcher.utter_message(response="utter_bulk_set_aside", names=_names(plan.set_aside))
        if len(ready) >= ANNOUNCED_FROM and page == 0:
            dispatcher.utter_message(
                response="utter_bulk_duration",
                count=count(len(ready), "rent"),
                seconds=count(transmission_seconds(len(ready)), "second"),
            )
        example = example_name(scope.remaining, scope)
        dispatcher.utter_message(
            response="utter_ask_bulk_rent_answer",
            example=example,
            buttons=self._buttons(len(ready), pages, template=True),
        )
        return []

    def _buttons(self, ready: int, pages: int, *, template: bool = False) -> list[dict[str, Any]]:
        buttons = []
        if ready:
            buttons.append(
                {
                    "title": self.text("utter_option_bulk_valider", count=number(ready)),
                    "payload": payload("inform", bulk_rent_choice="valider"),
                }
            )
        if pages > 1:
            buttons.append(
                {
                    "title": self.text("utter_option_bulk_page"),
                    "payload": payload("inform", bulk_rent_choice="page"),
                }
            )
        if template:
            buttons.append(
                {
                    "title": self.text("utter_option_bulk_template"),
                    "payload": payload("inform", bulk_rent_choice="template"),
                }
            )
        buttons.append(
            {
                "title": self.text("utter_option_bulk_quitter"),
                "payload": payload("inform", bulk_rent_choice="quitter"),
            }
        )
        return buttons


class ValidateBulkRentForm(SpecFormValidation):
    """The recap's one loop: every message is the form's (choices, exceptions, a new file)."""

    spec = BULK

    def takes(self, parse: dict[str, Any], slots: dict[str, Any]) -> str:
        return "answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        latest = tracker.latest_message or {}
        text = str(latest.get("text") or "")
        upload = next((e.get("value") for e in entities(tracker, "upload_id")), None)
        if upload is not None:
            return sheets.open_sheet(self.context, dispatcher, tracker, int(upload))
        if tracker.get_slot(REQUESTED) is None:
            return self._open(dispatcher, tracker, "" if latest.get("pressed") else text)
        pressed = next((e.get("value") for e in entities(tracker, "bulk_rent_choice")), None)
        choice = pressed if latest.get("pressed") else choice_of(text)
        sheet = tracker.get_slot(UPLOAD) is not None
        if choice in ("valider", "quitter"):
            return [SlotSet(CHOICE, choice), SlotSet(ANSWER, choice), SlotSet(REQUESTED, None)]
        if choice == "page":
            return [SlotSet(PAGE, int(tracker.get_slot(PAGE) or 0) + 1), SlotSet(REQUESTED, ANSWER)]
        if choice == "template":
            sheets.send_template(self.context, dispatcher, tracker)
            return [SlotSet(REQUESTED, ANSWER)]
        if sheet:
            dispatcher.utter_message(response="utter_sheet_not_understood")
            return [SlotSet(REQUESTED, ANSWER)]
        scope = self._scope(tracker)
        plan = BulkPlan.of(scope, tracker)
        found = read_exceptions(text, plan.candidates())
        if not found.anything:
            example = example_name(scope.remaining, scope)
            dispatcher.utter_message(response="utter_bulk_not_understood", example=example)
            return [SlotSet(REQUESTED, ANSWER)]
        return [*self._apply(dispatcher, plan, found), SlotSet(REQUESTED, ANSWER)]

    def _scope(self, tracker: Tracker) -> BulkScope:
        return bulk_scope(
            self.context.uow(), user_id=session_user(tracker), today=self.context.today()
        )

    def _open(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str
    ) -> list[EventType]:
        scope = self._scope(tracker)
        if not scope.remaining:
            dispatcher.utter_message(response="utter_bulk_none_left", year=scope.year)
            return [ActiveLoop(None)]
        plan = BulkPlan(scope, {}, frozenset())
        found = read_exceptions(text, plan.candidates()) if text else Exceptions()
        # The rents named, only those: « couture 400 et milome 410 », also when one of the names
        # is no tenant of the user's (« brisson 345 et petit 410 »), which is then said.
        only = not asks_everyone(text) and (
            len(found.amounts) >= SEVERAL
            or bool(found.amounts and found.unknown and not asks_bulk(text))
        )
        opened = [
            SlotSet(OPENED, self.context.now().isoformat()),
            SlotSet(PAGE, 0),
            SlotSet(AMOUNTS, {}),
            SlotSet(REMOVED, []),
            SlotSet(UPLOAD, None),
            SlotSet(ONLY, only),
        ]
        if found.found:
            opened += self._apply(dispatcher, plan, found, quiet_unknown=not only)
        return [*opened, SlotSet(REQUESTED, ANSWER)]

    def _apply(
        self,
        dispatcher: CollectingDispatcher,
        plan: BulkPlan,
        found: Exceptions,
        *,
        quiet_unknown: bool = False,
    ) -> list[EventType]:
        """Take the exceptions, say them back, and warn about what could not be placed."""
        amounts = dict(plan.amounts)
        removed = set(plan.removed)
        names = {t.tenant_id: t for t in plan.scope.remaining}
        changes = []
        rules = rent_campaign_rules(self.context.today())
        for tenant_id, cents in list(found.amounts.items()):
            if rules.too_large(cents):
                found.bad_amounts[tenant_id] = format_euros(cents)
                continue
            amounts[tenant_id] = cents
            removed.discard(tenant_id)
            tenant = names[tenant_id]
            changes.append(
                self._text(
                    "utter_bulk_change_amount", tenant=tenant.name, amount=format_euros(cents)
                )
            )
            last = tenant.last_rent_cents
            if rules.far_from(cents, last) and last:
                change = round(100 * (cents - last) / last)
                dispatcher.utter_message(
                    response="utter_bulk_unusual",
                    tenant=tenant.name,
                    amount=format_euros(cents),
                    change=signed(change),
                    last=format_euros(last),
                )
            elif rules.is_unusual(cents, last):
                dispatcher.utter_message(
                    response="utter_bulk_high", tenant=tenant.name, amount=format_euros(cents)
                )
        for tenant_id in found.removed:
            removed.add(tenant_id)
            amounts.pop(tenant_id, None)
            changes.append(self._text("utter_bulk_change_removed", tenant=names[tenant_id].name))
        if changes:
            dispatcher.utter_message(response="utter_bulk_taken", changes=", ".join(changes))
        for tenant_id, raw in found.bad_amounts.items():
            dispatcher.utter_message(
                response="utter_bulk_bad_amount", value=raw, tenant=names[tenant_id].name
            )
        for tenant_id, cents in found.with_charges.items():
            dispatcher.utter_message(
                response="utter_bulk_with_charges",
                amount=format_euros(cents),
                tenant=names[tenant_id].name,
                example=names[tenant_id].name.split()[0].lower(),
            )
        if found.unknown and not quiet_unknown:
            dispatcher.utter_message(
                response="utter_bulk_unknown_names", names=", ".join(found.unknown)
            )
        if found.ambiguous:
            first = found.ambiguous[0]
            dispatcher.utter_message(
                response="utter_bulk_ambiguous",
                names=", ".join(sorted({c.last_name for c in found.ambiguous})),
                example=f"{first.last_name.lower()} {first.first_name.lower()}",
            )
        if found.orphan_amounts:
            example = example_name(plan.scope.remaining, plan.scope)
            dispatcher.utter_message(
                response="utter_bulk_orphan_amounts",
                amounts=" ; ".join(found.orphan_amounts),
                example=example,
            )
        return [SlotSet(AMOUNTS, stored_amounts(amounts)), SlotSet(REMOVED, sorted(removed))]

    def _text(self, name: str, **values: Any) -> str:
        return self.context.domain.render(name, **values).text


ACTIONS = (
    ActionStartBulkRent,
    ActionStartBulkSheet,
    ActionAskBulkRentAnswer,
    ValidateBulkRentForm,
    ActionBulkRentDone,
)
FORMS = ()
