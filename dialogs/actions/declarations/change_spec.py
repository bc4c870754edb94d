"""The change form as data (fin de gestion, départ, colocation): its questions, each asked
only for its kind of change, the optional answers (unknown unless said) and the lease end that
may be "le même jour" as the departure. Run by the form loop; checks in `changes.py`.
"""

from __future__ import annotations

from typing import Any

from dialogs.forms.spec import Answers, FormSpec, Kind, Question

END, DEPARTURE, FLATSHARE = "end_of_management", "tenant_departure", "flatshare"
MAX_NEW_MANAGER = 200
MAX_NEW_ADDRESS = 300
MAX_NAME = 100
DATE_FIELDS = {
    "change_end_date": "ended_on",
    "change_departure_date": "departed_on",
    "change_lease_end_date": "lease_ended_on",
    "change_from_date": "from_date",
}
SERVICE_REASONS = {
    "management_ended": "utter_change_management_ended",
    "lease_ended_before_departure": "utter_change_lease_before_departure",
    "flatshare_needs_two": "utter_change_cotenants_invalid",
    "invalid_cotenants": "utter_change_cotenants_invalid",
    "too_many_names": "utter_change_names_too_many",
    "no_change": "utter_change_flatshare_no_change",
    "tenant_left": "utter_change_tenant_left",
}


def _of(kind: str) -> Any:
    return lambda answers: answers.get("change_type") == kind


def _sharing(answers: Answers) -> bool:
    return answers.get("change_type") == FLATSHARE and answers.get("change_flatshare") is not False


CHANGE = FormSpec(
    name="change_form",
    questions=(
        Question(
            "change_type",
            Kind.CHOICE,
            options=(END, DEPARTURE, FLATSHARE),
            entity="change_type",
            cues=("change_type",),
            editable=False,
        ),
        Question("change_tenant", Kind.TENANT, cues=("tenant",)),
        Question("change_end_date", Kind.DATE, when=_of(END), cues=("end_date", "date")),
        Question(
            "change_end_reason",
            Kind.CHOICE,
            when=_of(END),
            options=("sale", "owner_death", "mandate_end", "other"),
            cues=("end_reason",),
        ),
        Question(
            "change_new_manager",
            Kind.TEXT,
            when=_of(END),
            optional=True,
            default=lambda _answers: "",
            cues=("new_manager",),
        ),
        Question(
            "change_departure_date",
            Kind.DATE,
            when=_of(DEPARTURE),
            cues=("departure_date", "date"),
        ),
        Question(
            "change_lease_end_date",
            Kind.DATE,
            when=_of(DEPARTURE),
            same_as="change_departure_date",
            cues=("lease_end_date", "date"),
        ),
        Question(
            "change_new_address",
            Kind.TEXT,
            when=_of(DEPARTURE),
            optional=True,
            default=lambda _answers: "",
            cues=("new_address",),
        ),
        Question("change_flatshare", Kind.YES_NO, when=_of(FLATSHARE), cues=("flatshare",)),
        Question("change_cotenants", Kind.COUNT, when=_sharing, cues=("cotenants",)),
        Question(
            "change_cotenant_names",
            Kind.TEXT,
            when=_sharing,
            optional=True,
            default=lambda _answers: "",
            cues=("cotenant_names",),
            names=True,
        ),
        Question("change_from_date", Kind.DATE, when=_of(FLATSHARE), cues=("from_date", "date")),
    ),
    extra_slots=("change_tenant_name", "change_tenant_since", "change_tenant_flatshare"),
)
