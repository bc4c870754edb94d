"""The spec of « Créer un utilisateur »: its questions in the CAF screen's order, and the
reason codes of the services' refusals; the actions are in `new_user.py`."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.forms.spec import FormSpec, Kind, Question

TODAY = "new_user_today"
GROUPS = "new_user_groups"
DONE = "done"
MAX_NAME = 80
FORBIDDEN_IN_NAMES = set("@/\\<>{}")
# Reason codes of the services' `InvalidFields` -> the French sentence part.
FIELD_REASONS = {
    "email_format": "utter_expect_new_user_email",
    "mismatch": "utter_new_user_reason_mismatch",
    "phone_format": "utter_expect_new_user_phone",
    "before_opening": "utter_new_user_reason_before_opening",
    "unknown_group": "utter_new_user_group_unknown",
    "not_your_group": "utter_new_user_group_unknown",
}

NEW_USER = FormSpec(
    name="new_user_form",
    questions=(
        Question("new_user_last_name", Kind.NAME, pick_name="last", cues=("last_name",)),
        Question("new_user_first_name", Kind.NAME, pick_name="first", cues=("first_name",)),
        Question("new_user_email", Kind.EMAIL, cues=("email",)),
        Question("new_user_email_again", Kind.EMAIL, again_of="new_user_email"),
        Question("new_user_phone", Kind.PHONE, optional=True, cues=("phone",)),
        Question(
            "new_user_phone_again",
            Kind.PHONE,
            when=lambda answers: bool(answers.get("new_user_phone")),
            again_of="new_user_phone",
        ),
        Question("new_user_mobile", Kind.CHOICE, options=("sedentaire", "itinerant")),
        Question("new_user_group_pick", Kind.TEXT, cues=("groups",)),
        Question(
            "new_user_opened_on",
            Kind.DATE,
            default=lambda answers: answers.get(TODAY),
            same_as=TODAY,
            cues=("opened_on",),
            ahead=True,
        ),
        Question(
            "new_user_closed_on",
            Kind.DATE,
            optional=True,
            default=lambda _answers: "",
            same_as="new_user_opened_on",
            cues=("closed_on",),
            ahead=True,
        ),
    ),
    extra_slots=(GROUPS, TODAY),
)


def day_of(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
