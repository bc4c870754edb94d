"""« Mes utilisateurs »: the administrator and the responsables d'habilitation list, create and
close users, and the administrator names responsables d'habilitation.

Buttons carry user and group ids; every service call re-checks the actor's rights, so a forged
id only ever gets `NotAllowed` or `NotFound`, answered politely here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.core.base import BotAction, entities, session_user
from dialogs.payloads import payload
from dialogs.texts import text
from services.accounts.users import (
    close_user,
    make_habilitation_manager,
    replace_admin,
)
from services.accounts.views import UserView, list_users
from services.core.errors import DateError, NotAllowed, NotFound
from services.tenants.groups import GroupView

USER_BUTTONS = 8
REFUSALS = {
    "not_habilitation_manager": "utter_users_not_allowed",
    "admin_only": "utter_users_admin_only",
    "replace_admin": "utter_users_replace_admin",
    "close_self": "utter_users_close_self",
    "not_your_user": "utter_users_not_your_user",
    "user_closed": "utter_users_user_closed",
}


def refuse(dispatcher: CollectingDispatcher, error: Exception) -> None:
    """A polite French answer to a refusal of the services (rights, unknown ids)."""
    if isinstance(error, NotFound):
        dispatcher.utter_message(response="utter_users_unknown")
        return
    reason = str(error.args[0]) if error.args else ""
    dispatcher.utter_message(response=REFUSALS.get(reason, "utter_users_not_allowed"))


def group_label(group: GroupView) -> str:
    return text(
        "utter_users_group_label",
        kind=text(f"utter_users_kind_{group.dwelling_kind}"),
        departement=group.departement,
    )


def workplace_label(workplace: str) -> str:
    """ "sédentaire" or "itinérant" for the codes "sedentaire" and "itinerant"."""
    return text(f"utter_users_workplace_{workplace}")


def user_name(view: UserView) -> str:
    return f"{view.last_name} {view.first_name}".strip() or view.login


def _role(view: UserView) -> str:
    if view.is_admin:
        return text("utter_users_role_admin")
    return text(
        "utter_users_role_manager" if view.is_habilitation_manager else "utter_users_role_user"
    )


def day_text(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else text("utter_users_none")


def _user_id(tracker: Tracker) -> int | None:
    found = entities(tracker, "user_id")
    try:
        return int(found[0]["value"]) if found else None
    except (TypeError, ValueError):
        return None


class UsersAction(BotAction):
    requires_login = True

    def _users(self, tracker: Tracker) -> list[UserView]:
        return list_users(
            self.context.uow(), actor_id=int(session_user(tracker) or 0), now=self.context.now()
        )

    def _target(self, tracker: Tracker) -> tuple[UserView, UserView]:
        """(actor, target) among the users the actor manages; `NotFound` otherwise."""
        users = self._users(tracker)
        actor_id, wanted = session_user(tracker), _user_id(tracker)
        actor = next(u for u in users if u.id == actor_id)
        target = next((u for u in users if u.id == wanted and u.id != actor_id), None)
        if target is None:
            raise NotFound("user")
        return actor, target


class ActionManageUsers(UsersAction):
    """The list of users and what can be done: create, manage one, replace the administrator."""

    def name(self) -> str:
        return "action_manage_users"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            users = self._users(tracker)
        except (NotAllowed, NotFound) as error:
            refuse(dispatcher, error)
            return []
        actor_id = session_user(tracker)
        lines = "\n".join(
            text("utter_users_line", name=user_name(u), login=u.login, role=_role(u))
            + ("" if u.active else text("utter_users_line_closed"))
            + (
                text("utter_users_line_groups", groups=", ".join(u.group_labels))
                if u.group_labels
                else ""
            )
            for u in users
        )
        dispatcher.utter_message(response="utter_users_list", lines=lines)
        buttons = [{"title": text("utter_button_users_create"), "payload": payload("users_create")}]
        manageable = [u for u in users if u.active and not u.is_admin and u.id != actor_id]
        buttons += [
            {
                "title": text("utter_button_users_manage", name=user_name(u)),
                "payload": payload("users_show", user_id=u.id),
            }
            for u in manageable[:USER_BUTTONS]
        ]
        buttons.append(
            {
                "title": text("utter_button_users_replace_admin"),
                "payload": payload("users_replace_admin"),
            }
        )
        dispatcher.utter_message(response="utter_users_actions", buttons=buttons)
        return []


class ActionUsersShow(UsersAction):
    def name(self) -> str:
        return "action_users_show"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            actor, user = self._target(tracker)
        except (NotAllowed, NotFound) as error:
            refuse(dispatcher, error)
            return []
        buttons = []
        if user.active:
            buttons.append(
                {
                    "title": text("utter_button_users_close"),
                    "payload": payload("users_close", user_id=user.id),
                }
            )
        if actor.is_admin and user.active and not user.is_habilitation_manager:
            buttons.append(
                {
                    "title": text("utter_button_users_make_manager"),
                    "payload": payload("users_make_manager", user_id=user.id),
                }
            )
        buttons.append(
            {"title": text("utter_button_users_list"), "payload": payload("manage_users")}
        )
        dispatcher.utter_message(
            response="utter_users_card",
            name=user_name(user),
            login=user.login,
            email=user.email or text("utter_users_none"),
            phone=user.phone or text("utter_users_none"),
            mobile=workplace_label("itinerant" if user.mobile_worker else "sedentaire"),
            groups=", ".join(user.group_labels) or text("utter_users_groups_none"),
            role=_role(user),
            opened=day_text(user.opened_on),
            closed=day_text(user.closed_on),
            buttons=buttons,
        )
        return []


class ActionUsersClose(UsersAction):
    """Asks for confirmation, then closes the access from today."""

    def name(self) -> str:
        return "action_users_close"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        user_id = _user_id(tracker)
        today = self.context.today()
        try:
            if not entities(tracker, "confirmed"):
                _, user = self._target(tracker)
                dispatcher.utter_message(
                    response="utter_users_close_confirm",
                    name=user_name(user),
                    today=day_text(today),
                    buttons=[
                        {
                            "title": text("utter_button_users_close_confirm"),
                            "payload": payload("users_close", user_id=user.id, confirmed=True),
                        },
                        {
                            "title": text("utter_button_users_close_cancel"),
                            "payload": payload("manage_users"),
                        },
                    ],
                )
                return []
            view = close_user(
                self.context.uow(),
                actor_id=int(session_user(tracker) or 0),
                user_id=int(user_id or 0),
                on=today,
                now=self.context.now(),
            )
        except (NotAllowed, NotFound, DateError) as error:
            refuse(dispatcher, error)
            return []
        dispatcher.utter_message(
            response="utter_users_closed", name=user_name(view), on=day_text(today)
        )
        return []


class ActionUsersMakeManager(UsersAction):
    def name(self) -> str:
        return "action_users_make_manager"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            view = make_habilitation_manager(
                self.context.uow(),
                actor_id=int(session_user(tracker) or 0),
                user_id=int(_user_id(tracker) or 0),
                now=self.context.now(),
            )
        except (NotAllowed, NotFound) as error:
            refuse(dispatcher, error)
            return []
        dispatcher.utter_message(response="utter_users_manager_named", name=user_name(view))
        return []


class ActionUsersReplaceAdmin(UsersAction):
    """Only the CAF replaces an administrator: the service says so (or refuses a non-manager)."""

    def name(self) -> str:
        return "action_users_replace_admin"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            replace_admin(
                self.context.uow(),
                actor_id=int(session_user(tracker) or 0),
                user_id=0,
                now=self.context.now(),
            )
        except (NotAllowed, NotFound) as error:
            refuse(dispatcher, error)
        return []


ACTIONS = (
    ActionManageUsers,
    ActionUsersShow,
    ActionUsersClose,
    ActionUsersMakeManager,
    ActionUsersReplaceAdmin,
)
