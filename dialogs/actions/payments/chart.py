"""The chart of the last 12 months of CAF payments, offered by « mes paiements »: a picture the
channel shows (a photo on Telegram, a PNG file in the terminal)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from dialogs.actions.core.answers import plain
from dialogs.actions.payments.periods import period_text
from dialogs.context import ActionContext
from dialogs.payloads import payload
from dialogs.texts import text, words
from services.core.money import format_euros
from services.payments.chart import payments_chart


def chart_asked(tracker: Tracker) -> bool:
    """The chart button, or a message that names a chart ("graphique de mes paiements")."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "payments_chart" and entity.get("value"):
            return True
    typed = plain(str(tracker.latest_message.get("text") or ""))
    return not typed.startswith("/") and any(word in typed for word in words("payments_chart"))


def chart_button(tenant_id: int | None) -> dict[str, str]:
    values: dict[str, object] = {"payments_chart": True}
    if tenant_id is not None:
        values["payments_tenant"] = tenant_id
    return {
        "title": text("utter_button_payments_chart"),
        "payload": payload("view_payments", **values),
    }


def send_chart(
    context: ActionContext,
    dispatcher: CollectingDispatcher,
    *,
    user_id: int | None,
    tenant_id: int | None,
) -> None:
    """Raises what `payments_chart` raises (`NotFound` for a tenant outside the scope)."""
    chart = payments_chart(
        context.uow(), user_id=user_id, today=context.today(), tenant_id=tenant_id
    )
    dispatcher.utter_message(
        response="utter_payments_chart",
        period=period_text(chart.first_month, chart.last_month),
        who=text("utter_payments_for", name=chart.tenant_name) if chart.tenant_name else "",
        total=format_euros(chart.total_cents),
        json_message={
            "document": {"filename": chart.filename, "content": chart.png, "mime_type": "image/png"}
        },
    )
