"""How users and habilitation groups are written in the chat: every word from the domain.

Shared by « Mes utilisateurs » (`users.py`) and the new-user form (`new_user.py`): a user's name,
role and dates, a group's label and button, and the polite answer to a refusal of the services.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from dialogs.domain import Domain
from dialogs.forms.display import value as shown
from dialogs.forms.spec import Kind, Question
from services.accounts.views import UserView
from services.core.errors import NotFound
from services.tenants.groups import GroupView

REFUSALS = {
    "not_habilitation_manager": "utter_users_not_allowed",
    "admin_only": "utter_users_admin_only",
    "replace_admin": "utter_users_replace_admin",
    "close_self": "utter_users_close_self",
    "not_your_user": "utter_users_not_your_user",
    "user_closed": "utter_users_user_closed",
}
_PHONE = Question("phone", Kind.PHONE)


def refuse(dispatcher: CollectingDispatcher, error: Exception) -> None:
    """A polite French answer to a refusal of the services (rights, unknown ids)."""
    if isinstance(error, NotFound):
        dispatcher.utter_message(response="utter_users_unknown")
        return
    reason = str(error.args[0]) if error.args else ""
    dispatcher.utter_message(response=REFUSALS.get(reason, "utter_users_not_allowed"))


class Texts:
    """Renders users and groups with the domain's responses."""

    def __init__(self, domain: Domain) -> None:
        self.domain = domain

    def text(self, response: str, /, **values: Any) -> str:
        return self.domain.render(response, **values).text

    @staticmethod
    def name(view: UserView) -> str:
        return f"{view.last_name} {view.first_name}".strip() or view.login

    def role(self, view: UserView) -> str:
        if view.is_admin:
            return self.text("utter_users_role_admin")
        if view.is_habilitation_manager:
            return self.text("utter_users_role_manager")
        return self.text("utter_users_role_user")

    def day(self, value: date | None) -> str:
        return value.strftime("%d/%m/%Y") if value else self.text("utter_users_none")

    def phone(self, value: str | None) -> str:
        return shown(self.domain, _PHONE, value, {}) if value else self.text("utter_users_none")

    def user_line(self, view: UserView) -> str:
        closed = "" if view.active else self.text("utter_users_line_closed")
        groups = ", ".join(view.group_labels)
        held = self.text("utter_users_line_groups", groups=groups) if groups else ""
        return self.text(
            "utter_users_line",
            name=self.name(view),
            login=view.login,
            role=self.role(view),
            closed=closed,
            groups=held,
        )

    def group_label(self, group: GroupView) -> str:
        """ "Logements privés 14" (the services' own label if the kind has no words here)."""
        response = f"utter_group_label_{group.dwelling_kind}"
        if not self.domain.has_response(response):
            return group.label
        return self.text(response, departement=group.departement)

    def group_button(self, group: GroupView, ticked: bool) -> str:
        number = "one" if group.dwellings <= 1 else "many"
        title = self.text(
            f"utter_new_user_group_button_{number}",
            label=self.group_label(group),
            count=group.dwellings,
        )
        return self.text("utter_new_user_group_ticked", title=title) if ticked else title
