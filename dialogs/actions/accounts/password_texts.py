"""A new password checked against the password rule as it is typed, and the rule's reasons said
back: the same for the first connection's password and a logged-in user's change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from dialogs.context import ActionContext
from services.accounts.credentials import password_rule_reasons
from services.core.rules import account_rules


def reasons_text(context: ActionContext, reasons: Iterable[str], own: Mapping[str, str]) -> str:
    """One line per reason; `own`: a form's own wording of some reasons (reason -> response)."""
    domain = context.domain
    return "\n".join(
        domain.render(
            "utter_password_reason",
            reason=domain.render(own.get(r, f"utter_password_reason_{r}")).text,
        ).text
        for r in reasons
    )


def refused(
    context: ActionContext,
    value: Any,
    dispatcher: CollectingDispatcher,
    *,
    response: str,
    own: Mapping[str, str],
) -> bool:
    """Whether a new password breaks the rule; if so, says why with `response`."""
    min_length = account_rules(context.today()).min_password_length
    reasons = password_rule_reasons(str(value), login="", min_length=min_length)
    if reasons:
        dispatcher.utter_message(response=response, reasons=reasons_text(context, reasons, own))
    return bool(reasons)
