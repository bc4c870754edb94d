"""The July rent's form as data: its questions in order, the defaults the last known
information gives (still the manager, the tenant still there, the same flat-share situation, no
unpaid rent) and what ends the form early ("no longer the manager", "the tenant left"). Run by
the form loop (`dialogs/forms/validation.py`); the rent's own checks are in `rent.py`.
"""

from __future__ import annotations

from typing import Any

from dialogs.forms.spec import FormSpec, Kind, Question


def _ends(value: Any) -> bool:
    return value is False


RENT = FormSpec(
    name="rent_form",
    questions=(
        Question("rent_tenant", Kind.TENANT, cues=("tenant",)),
        Question(
            "rent_still_manager",
            Kind.YES_NO,
            cues=("still_manager",),
            default=lambda _answers: True,
            last=_ends,
        ),
        Question(
            "rent_still_living",
            Kind.YES_NO,
            cues=("still_living",),
            default=lambda _answers: True,
            last=_ends,
        ),
        Question(
            "rent_flatshare",
            Kind.YES_NO,
            cues=("flatshare",),
            default=lambda answers: answers.get("rent_tenant_flatshare"),
        ),
        Question("rent_amount", Kind.AMOUNT, cues=("amount",), same_as="rent_last_amount"),
        Question(
            "rent_amount_confirm",
            Kind.YES_NO,
            confirms="rent_amount",
            when=lambda answers: bool(answers.get("rent_amount_unusual")),
            recap=False,
            editable=False,
        ),
        Question("rent_unpaid", Kind.YES_NO, cues=("unpaid",), default=lambda _answers: False),
    ),
    extra_slots=(
        "rent_tenant_name",
        "rent_year",
        "rent_last_amount",
        "rent_amount_unusual",
        "rent_tenant_flatshare",
        "rent_known_charges",
        "rent_amount_with_charges",
    ),
)
