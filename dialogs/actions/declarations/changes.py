"""Declaring a change (fin de gestion, départ, colocation): the change's own questions and
checks; its spec is `change_spec.py`, its transmission `change_done.py`.

"Mme Brisson est partie le 10/11" names the change, the tenant and the departure date at once;
the lease end is asked ("le même jour" works), the new address is optional (unknown unless said),
then the recap. Dates are checked here with the services' own rule (`check_fact_date`) so a wrong
date is asked again at once, with the reason; the service checks everything again on Valider.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.answers import format_day, parse_iso_date
from dialogs.actions.core.base import StartFormAction
from dialogs.actions.declarations.change_done import ActionChangeDone
from dialogs.actions.declarations.change_spec import (
    CHANGE,
    DATE_FIELDS,
    DEPARTURE,
    END,
    FLATSHARE,
    MAX_NAME,
    MAX_NEW_ADDRESS,
    MAX_NEW_MANAGER,
)
from dialogs.actions.tenants.picker import scoped_card
from dialogs.forms.asking import AskQuestion
from dialogs.forms.free import usual_name
from dialogs.forms.validation import SpecFormValidation, session_user
from services.core.dates import add_months
from services.core.errors import (
    DateError,
)
from services.core.rules import change_rules
from services.declarations.fact_dates import check_fact_date
from services.tenants.views import TenantCard, present_tenants


def _names(text: str) -> list[str]:
    return [part.strip() for part in re.split(r",|;|\bet\b|\n", text) if part.strip()]


class ActionStartChange(StartFormAction):
    """Opens the form; a change type or tenant named in the message (or a button) is kept."""

    form = "change_form"
    starts_forms = ("change_form",)


class ActionAskChangeTenant(AskQuestion):
    """Which tenant, with the user's own tenants as buttons."""

    def __init__(self, context: Any) -> None:
        super().__init__(context, CHANGE, CHANGE.questions[1])

    def values(self, tracker: Tracker) -> dict[str, Any]:
        kind = tracker.get_slot("change_type")
        name = f"utter_change_kind_{kind}" if kind else "utter_change_kind_any"
        return {"change": self.text(name)}

    def buttons(self, tracker: Tracker) -> list[dict[str, Any]]:
        """The tenants still there (a departed tenant or an ended management has no change
        left to declare); any other is still named by writing it, and refused with why."""
        present = present_tenants(
            self.context.uow(), user_id=session_user(tracker), today=self.context.today()
        )
        return [
            {"title": f"{last} {first}", "payload": f'/inform{{"change_tenant":{tid}}}'}
            for tid, first, last in present[:8]
        ]


class ActionAskChangeCotenantNames(AskQuestion):
    def __init__(self, context: Any) -> None:
        super().__init__(context, CHANGE, CHANGE.questions[10])

    def values(self, tracker: Tracker) -> dict[str, Any]:
        return {"cotenants": tracker.get_slot("change_cotenants")}


class ValidateChangeForm(SpecFormValidation):
    """Every answer checked as it comes, with the reason in French when it is refused."""

    spec = CHANGE

    # ----- type and tenant -----------------------------------------------------------------
    @staticmethod
    def _refusal(card: TenantCard, kind: Any, dispatcher: CollectingDispatcher) -> bool:
        """True (and says why) when this change cannot be declared for this tenant any more."""
        name = f"{card.last_name} {card.first_name}"
        if card.management_ended_on is not None:
            dispatcher.utter_message(
                response="utter_change_already_ended",
                tenant=name,
                when=format_day(card.management_ended_on),
            )
            return True
        if kind in (DEPARTURE, FLATSHARE) and card.departed_on is not None:
            dispatcher.utter_message(
                response="utter_change_already_departed",
                tenant=name,
                when=format_day(card.departed_on),
            )
            return True
        return False

    def validate_change_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value not in (END, DEPARTURE, FLATSHARE):
            dispatcher.utter_message(response="utter_change_type_unclear")
            return {"change_type": None}
        tenant = tracker.get_slot("change_tenant")
        card = scoped_card(self, tracker, tenant) if tenant is not None else None
        if card is not None and self._refusal(card, value, dispatcher):
            return {"change_type": None}
        return {"change_type": value}

    def validate_change_tenant(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        card = scoped_card(self, tracker, value)
        if card is None:
            dispatcher.utter_message(response="utter_form_tenant_unknown")
            return {"change_tenant": None}
        if self._refusal(card, tracker.get_slot("change_type"), dispatcher):
            return {"change_tenant": None}
        return {
            "change_tenant": card.tenant_id,
            "change_tenant_name": f"{card.last_name} {card.first_name}",
            "change_tenant_since": card.since.isoformat(),
            "change_tenant_flatshare": card.flatshare,
        }

    # ----- dates ---------------------------------------------------------------------------
    def _date(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> date | None:
        """The date of the answer if it may be declared; otherwise say why and return None."""
        day = parse_iso_date(value)
        if day is None:
            dispatcher.utter_message(response="utter_form_expect_date")
            return None
        today = self.context.today()
        since = parse_iso_date(tracker.get_slot("change_tenant_since"))
        not_before = None if slot == "change_lease_end_date" else since
        try:
            check_fact_date(day, today=today, not_before=not_before, field=DATE_FIELDS[slot])
        except DateError as error:
            if error.reason.endswith("too_far_ahead"):
                dispatcher.utter_message(
                    response="utter_change_date_future",
                    day=format_day(day),
                    limit=format_day(today + change_rules(today).future_tolerance),
                )
            else:
                dispatcher.utter_message(
                    response="utter_change_date_before_move_in",
                    day=format_day(day),
                    since=format_day(since or day),
                )
            return None
        return day

    def validate_change_end_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_end_date", value, dispatcher, tracker)
        return {"change_end_date": day.isoformat() if day else None}

    def validate_change_departure_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_departure_date", value, dispatcher, tracker)
        if day is None:
            return {"change_departure_date": None}
        report_by = add_months(day, 1)
        if self.context.today() > report_by:
            dispatcher.utter_message(
                response="utter_change_departure_late",
                day=format_day(day),
                by=format_day(report_by),
            )
        lease = parse_iso_date(tracker.get_slot("change_lease_end_date"))
        reset = {"change_lease_end_date": None} if lease is not None and lease < day else {}
        return {"change_departure_date": day.isoformat(), **reset}

    def validate_change_lease_end_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_lease_end_date", value, dispatcher, tracker)
        if day is None:
            return {"change_lease_end_date": None}
        departed = parse_iso_date(tracker.get_slot("change_departure_date"))
        if departed is not None and day < departed:
            dispatcher.utter_message(
                response="utter_change_lease_before_departure", departed=format_day(departed)
            )
            return {"change_lease_end_date": None}
        return {"change_lease_end_date": day.isoformat()}

    def validate_change_from_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = self._date("change_from_date", value, dispatcher, tracker)
        return {"change_from_date": day.isoformat() if day else None}

    # ----- other answers -------------------------------------------------------------------
    @staticmethod
    def _limited(
        slot: str, value: Any, limit: int, dispatcher: CollectingDispatcher
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if len(text) > limit:
            dispatcher.utter_message(response="utter_change_text_too_long", limit=limit)
            return {slot: None}
        return {slot: text}

    def validate_change_new_manager(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._limited("change_new_manager", value, MAX_NEW_MANAGER, dispatcher)

    def validate_change_new_address(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._limited("change_new_address", value, MAX_NEW_ADDRESS, dispatcher)

    def validate_change_flatshare(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is False:
            if tracker.get_slot("change_tenant_flatshare") is False:
                dispatcher.utter_message(response="utter_change_flatshare_no_change")
                return {"change_flatshare": None}
            return {"change_flatshare": False, "change_cotenants": 1, "change_cotenant_names": ""}
        reset = {"change_cotenants": None} if tracker.get_slot("change_cotenants") == 1 else {}
        return {"change_flatshare": True, **reset}

    def validate_change_cotenants(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        count = value if isinstance(value, int) and not isinstance(value, bool) else None
        most = change_rules(self.context.today()).max_cotenants
        if count is None or not 2 <= count <= most:
            dispatcher.utter_message(response="utter_change_cotenants_invalid", most=most)
            return {"change_cotenants": None}
        return {"change_cotenants": count}

    def validate_change_cotenant_names(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if not text:
            return {"change_cotenant_names": ""}
        names = _names(text)
        count = int(tracker.get_slot("change_cotenants") or 0)
        if len(names) > count or any(len(name) > MAX_NAME for name in names):
            dispatcher.utter_message(response="utter_change_names_too_many", cotenants=count)
            return {"change_cotenant_names": None}
        return {"change_cotenant_names": ", ".join(usual_name(name) for name in names)}

    def reset_with(self, slot: str) -> tuple[str, ...]:
        if slot == "change_flatshare":
            return ("change_cotenants", "change_cotenant_names")
        if slot == "change_cotenants":
            return ("change_cotenant_names",)
        return ()


ACTIONS = (
    ActionStartChange,
    ActionAskChangeTenant,
    ActionAskChangeCotenantNames,
    ValidateChangeForm,
    ActionChangeDone,
)
FORMS = (ValidateChangeForm,)
