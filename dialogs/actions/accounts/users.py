"""« Mes utilisateurs »: the administrator and the responsables d'habilitation list, create and
close users, and the administrator names responsables d'habilitation.

Buttons carry user and group ids; every service call re-checks the actor's rights, so a forged
id only ever gets `NotAllowed` or `NotFound`, answered politely here. Creating a user is a form
of its own (`new_user.py`); its actions are registered with these.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.accounts.new_user import (
    NEW_USER_ACTIONS,
    ActionStartNewUser,
    ValidateNewUserForm,
)
from dialogs.actions.accounts.user_texts import Texts, refuse
from dialogs.actions.core.base import BotAction, entities, session_user
from dialogs.forms.lexicon import words
from dialogs.payloads import payload
from dialogs.texts import words as vocabulary
from services.accounts.users import close_user, make_habilitation_manager, replace_admin
from services.accounts.views import UserView, list_users
from services.core.errors import DateError, NotAllowed, NotFound

USER_BUTTONS = 8


def _user_id(tracker: Tracker) -> int | None:
    found = entities(tracker, "user_id")
    try:
        return int(found[0]["value"]) if found else None
    except (TypeError, ValueError):
        return None


class _UsersAction(BotAction):
    requires_login = True

    @property
    def texts(self) -> Texts:
        return Texts(self.context.domain)

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

    def button(self, response: str, pressed: str, /, **values: Any) -> dict[str, Any]:
        return {"title": self.texts.text(response, **values), "payload": pressed}


def asks_new_user(text: str) -> bool:
    """« créer un utilisateur », « je voudrais ajouter ma secrétaire »: a request to create one,
    not « le nouvel utilisateur n'a rien reçu » nor « l'utilisateur que j'ai créé »."""
    openers = set(vocabulary("new_user_openers"))
    said = [w for w in words(text) if w.isalnum() or w.endswith("'")]
    first = next((w for w in said if w not in openers), "")
    return first in vocabulary("new_user_request")


class ActionManageUsers(_UsersAction):
    """The list of users and what can be done: create, manage one, replace the administrator.
    A request to create one goes straight to the new user's form."""

    def name(self) -> str:
        return "action_manage_users"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if asks_new_user(str(tracker.latest_message.get("text") or "")):
            return await ActionStartNewUser(self.context).run(dispatcher, tracker, domain)
        try:
            users = self._users(tracker)
        except (NotAllowed, NotFound) as error:
            refuse(dispatcher, error)
            return []
        actor_id = session_user(tracker)
        lines = "\n".join(self.texts.user_line(u) for u in users)
        dispatcher.utter_message(response="utter_users_list", lines=lines)
        buttons = [self.button("utter_users_button_create", payload("users_create"))]
        manageable = [u for u in users if u.active and not u.is_admin and u.id != actor_id]
        buttons += [
            self.button(
                "utter_users_button_manage",
                payload("users_show", user_id=u.id),
                name=self.texts.name(u),
            )
            for u in manageable[:USER_BUTTONS]
        ]
        buttons.append(
            self.button("utter_users_button_replace_admin", payload("users_replace_admin"))
        )
        dispatcher.utter_message(response="utter_users_actions", buttons=buttons)
        return []


class ActionUsersShow(_UsersAction):
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
                self.button("utter_users_button_close", payload("users_close", user_id=user.id))
            )
        if actor.is_admin and user.active and not user.is_habilitation_manager:
            buttons.append(
                self.button(
                    "utter_users_button_make_manager",
                    payload("users_make_manager", user_id=user.id),
                )
            )
        buttons.append(self.button("utter_users_button_list", payload("manage_users")))
        texts = self.texts
        dispatcher.utter_message(
            response="utter_users_card",
            name=texts.name(user),
            login=user.login,
            email=user.email or texts.text("utter_users_none"),
            phone=texts.phone(user.phone),
            mobile=texts.text(f"utter_users_mobile_{str(user.mobile_worker).lower()}"),
            groups=", ".join(user.group_labels) or texts.text("utter_users_no_group_held"),
            role=texts.role(user),
            opened=texts.day(user.opened_on),
            closed=texts.day(user.closed_on),
            buttons=buttons,
        )
        return []


class ActionUsersClose(_UsersAction):
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
                    name=self.texts.name(user),
                    today=self.texts.day(today),
                    buttons=[
                        self.button(
                            "utter_users_button_close_yes",
                            payload("users_close", user_id=user.id, confirmed=True),
                        ),
                        self.button("utter_users_button_close_no", payload("manage_users")),
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
            response="utter_users_closed", name=self.texts.name(view), on=self.texts.day(today)
        )
        return []


class ActionUsersMakeManager(_UsersAction):
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
        dispatcher.utter_message(response="utter_users_manager_named", name=self.texts.name(view))
        return []


class ActionUsersReplaceAdmin(_UsersAction):
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
    *NEW_USER_ACTIONS,
)
FORMS = (ValidateNewUserForm,)
