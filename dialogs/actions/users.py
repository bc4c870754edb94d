"""« Mes utilisateurs »: the administrator and the responsables d'habilitation list, create and
close users, and the administrator names responsables d'habilitation.

Buttons carry user and group ids; every service call re-checks the actor's rights, so a forged
id only ever gets `NotAllowed` or `NotFound`, answered politely here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.actions.account_texts import option, plain, response_text
from dialogs.actions.base import BotAction, BotFormValidation, entities, session_user
from dialogs.actions.contact_answers import (
    email_again_answer,
    email_answer,
    phone_again_answer,
    phone_answer,
)
from dialogs.actions.general import menu_buttons
from dialogs.payloads import payload
from services.errors import DateError, InvalidFields, NotAllowed, NotFound
from services.users import (
    GroupView,
    UserView,
    close_user,
    create_user,
    list_groups,
    list_users,
    make_habilitation_manager,
    replace_admin,
)

USER_BUTTONS = 8
KIND_LABELS = {"conventionne": "conventionnés", "prive": "privés"}
REFUSALS = {
    "not_habilitation_manager": "utter_users_not_allowed",
    "admin_only": "utter_users_admin_only",
    "replace_admin": "utter_users_replace_admin",
    "close_self": "utter_users_close_self",
    "not_your_user": "utter_users_not_your_user",
    "user_closed": "utter_users_user_closed",
}
# Reason codes of `InvalidFields` → the French sentence part, and the slots to ask again.
FIELD_SLOTS = {
    "last_name": ["new_user_last_name"],
    "first_name": ["new_user_first_name"],
    "email": ["new_user_email", "new_user_email_again"],
    "email_confirmation": ["new_user_email", "new_user_email_again"],
    "phone": ["new_user_phone", "new_user_phone_again"],
    "phone_confirmation": ["new_user_phone", "new_user_phone_again"],
    "group_ids": ["new_user_group_pick"],
    "opened_on": ["new_user_opened_on"],
    "closed_on": ["new_user_closed_on"],
}
# Modifier on the recap: the answer to change, its label, and the slots asked again for it.
EDIT_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "last_name": ("Nom", ("new_user_last_name",)),
    "first_name": ("Prénom", ("new_user_first_name",)),
    "email": ("Courriel", ("new_user_email", "new_user_email_again")),
    "phone": ("Téléphone", ("new_user_phone", "new_user_phone_again")),
    "mobile": ("Poste", ("new_user_mobile",)),
    "groups": ("Groupes", ("new_user_group_pick",)),
    "opened": ("Ouverture", ("new_user_opened_on",)),
    "closed": ("Clôture", ("new_user_closed_on",)),
}
EDIT_WORDS: dict[str, tuple[str, ...]] = {
    "last_name": ("nom", "famille"),
    "first_name": ("prenom",),
    "email": ("courriel", "mail", "email", "adresse"),
    "phone": ("telephone", "tel"),
    "mobile": ("poste", "sedentaire", "itinerant"),
    "groups": ("groupe", "habilitation"),
    "opened": ("ouverture",),
    "closed": ("cloture", "fermeture"),
}
FIELD_REASONS = {
    "email_format": "utter_new_user_email_format",
    "mismatch": "utter_new_user_email_mismatch",
    "phone_format": "utter_new_user_phone_format",
    "before_opening": "utter_new_user_closed_before",
    "unknown_group": "utter_new_user_group_unknown",
    "not_your_group": "utter_new_user_group_unknown",
}
_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")


def _refuse(dispatcher: CollectingDispatcher, error: Exception) -> None:
    """A polite French answer to a refusal of the services (rights, unknown ids)."""
    if isinstance(error, NotFound):
        dispatcher.utter_message(response="utter_users_unknown")
        return
    reason = str(error.args[0]) if error.args else ""
    dispatcher.utter_message(response=REFUSALS.get(reason, "utter_users_not_allowed"))


def group_label(group: GroupView) -> str:
    return (
        f"Logements {KIND_LABELS.get(group.dwelling_kind, group.dwelling_kind)} {group.departement}"
    )


def _name(view: UserView) -> str:
    return f"{view.last_name} {view.first_name}".strip() or view.login


def _role(view: UserView) -> str:
    if view.is_admin:
        return "administrateur"
    return "responsable d'habilitation" if view.is_habilitation_manager else "utilisateur"


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _user_id(tracker: Tracker) -> int | None:
    found = entities(tracker, "user_id")
    try:
        return int(found[0]["value"]) if found else None
    except (TypeError, ValueError):
        return None


class _UsersAction(BotAction):
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


class ActionManageUsers(_UsersAction):
    """The list of users and what can be done: create, manage one, replace the administrator."""

    def name(self) -> str:
        return "action_manage_users"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            users = self._users(tracker)
        except (NotAllowed, NotFound) as error:
            _refuse(dispatcher, error)
            return []
        actor_id = session_user(tracker)
        lines = "\n".join(
            f"• {_name(u)} ({u.login}) — {_role(u)}"
            + ("" if u.active else " — accès clôturé")
            + (f" — {', '.join(u.group_labels)}" if u.group_labels else "")
            for u in users
        )
        dispatcher.utter_message(response="utter_users_list", lines=lines)
        buttons = [{"title": "Créer un utilisateur", "payload": payload("users_create")}]
        manageable = [u for u in users if u.active and not u.is_admin and u.id != actor_id]
        buttons += [
            {"title": f"Gérer {_name(u)}", "payload": payload("users_show", user_id=u.id)}
            for u in manageable[:USER_BUTTONS]
        ]
        buttons.append(
            {"title": "Remplacer l'administrateur", "payload": payload("users_replace_admin")}
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
            _refuse(dispatcher, error)
            return []
        buttons = []
        if user.active:
            buttons.append(
                {"title": "Clôturer son accès", "payload": payload("users_close", user_id=user.id)}
            )
        if actor.is_admin and user.active and not user.is_habilitation_manager:
            buttons.append(
                {
                    "title": "Nommer responsable d'habilitation",
                    "payload": payload("users_make_manager", user_id=user.id),
                }
            )
        buttons.append({"title": "Mes utilisateurs", "payload": payload("manage_users")})
        dispatcher.utter_message(
            response="utter_users_card",
            name=_name(user),
            login=user.login,
            email=user.email or "—",
            phone=user.phone or "—",
            mobile="itinérant" if user.mobile_worker else "sédentaire",
            groups=", ".join(user.group_labels) or "aucun",
            role=_role(user),
            opened=_day(user.opened_on),
            closed=_day(user.closed_on),
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
                    name=_name(user),
                    today=_day(today),
                    buttons=[
                        {
                            "title": "Oui, clôturer",
                            "payload": payload("users_close", user_id=user.id, confirmed=True),
                        },
                        {"title": "Non", "payload": payload("manage_users")},
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
            _refuse(dispatcher, error)
            return []
        dispatcher.utter_message(response="utter_users_closed", name=_name(view), on=_day(today))
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
            _refuse(dispatcher, error)
            return []
        dispatcher.utter_message(response="utter_users_manager_named", name=_name(view))
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
            _refuse(dispatcher, error)
        return []


# ----- creating a user ---------------------------------------------------------------------
class ActionStartNewUser(_UsersAction):
    starts_forms = ("new_user_form",)

    def name(self) -> str:
        return "action_start_new_user"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        try:
            groups = _groups(self, tracker)
        except (NotAllowed, NotFound) as error:
            _refuse(dispatcher, error)
            return []
        if not groups:
            dispatcher.utter_message(response="utter_users_no_group")
            return []
        dispatcher.utter_message(response="utter_new_user_intro")
        return [ActiveLoop("new_user_form")]


def _groups(action: BotAction | BotFormValidation, tracker: Tracker) -> list[GroupView]:
    return list_groups(
        action.context.uow(), actor_id=int(session_user(tracker) or 0), now=action.context.now()
    )


def _chosen(tracker: Tracker) -> list[int]:
    return [int(g) for g in tracker.get_slot("new_user_groups") or []]


def parse_day(value: Any) -> date | None:
    """An ISO date (from the NLU) or a typed JJ/MM/AAAA."""
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DATE.match(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None


class _Ask(BotAction):
    """A question of the new-user form with its buttons."""

    slot = ""
    response = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        buttons = [
            {"title": title, "payload": payload("choose", option=value)}
            for title, value in self.buttons(tracker)
        ]
        dispatcher.utter_message(
            response=self.response or f"utter_ask_{self.slot}",
            buttons=buttons,
            **self.values(tracker, domain),
        )
        return []

    def values(self, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {}


class ActionAskNewUserPhone(_Ask):
    slot = "new_user_phone"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [("Passer", "skip")]


class ActionAskNewUserMobile(_Ask):
    slot = "new_user_mobile"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [("Sédentaire", "sedentaire"), ("Itinérant", "itinerant")]


class ActionAskNewUserOpenedOn(_Ask):
    slot = "new_user_opened_on"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [("Aujourd'hui", "today")]


class ActionAskNewUserClosedOn(_Ask):
    slot = "new_user_closed_on"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [("Pas de date de clôture", "none")]


class ActionAskNewUserGroupPick(_Ask):
    """Every group the actor may give, ticked when chosen; pressing again removes it."""

    slot = "new_user_group_pick"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        chosen = set(_chosen(tracker))
        rows = [
            (
                ("✓ " if g.id in chosen else "") + f"{group_label(g)} ({g.dwellings} logement(s))",
                f"group-{g.id}",
            )
            for g in _groups(self, tracker)
        ]
        return [*rows, ("Terminé", "done")]

    def values(self, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        labels = {g.id: group_label(g) for g in _groups(self, tracker)}
        chosen = [labels[g] for g in _chosen(tracker) if g in labels]
        return {"chosen": f"\nDéjà choisi(s) : {', '.join(chosen)}." if chosen else ""}


class ActionAskNewUserConfirm(_Ask):
    """The recap of every answer, then Valider / Modifier / Quitter."""

    slot = "new_user_confirm"
    response = "utter_new_user_recap"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [("Valider", "valider"), ("Modifier", "modifier"), ("Quitter", "quitter")]

    def values(self, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        labels = {g.id: group_label(g) for g in _groups(self, tracker)}
        phone = tracker.get_slot("new_user_phone")
        closed = parse_day(tracker.get_slot("new_user_closed_on"))
        return {
            "last_name": str(tracker.get_slot("new_user_last_name") or "").upper(),
            "first_name": tracker.get_slot("new_user_first_name"),
            "email": tracker.get_slot("new_user_email"),
            "phone": "—" if phone == "skip" else phone,
            "mobile": tracker.get_slot("new_user_mobile"),
            "groups": ", ".join(labels.get(g, "?") for g in _chosen(tracker)),
            "opened": _day(parse_day(tracker.get_slot("new_user_opened_on"))),
            "closed": _day(closed),
        }


class ActionAskNewUserEdit(_Ask):
    slot = "new_user_edit"

    def buttons(self, tracker: Tracker) -> list[tuple[str, str]]:
        return [(label, key) for key, (label, _) in EDIT_FIELDS.items()]


class ValidateNewUserForm(BotFormValidation):
    """Checks each answer as it comes, then creates the user on Valider (the service checks
    everything again and its refusals send the user back to the fields in error)."""

    def name(self) -> str:
        return "validate_new_user_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = [s for s in domain_slots if s != "new_user_edit"]
        if tracker.get_slot("new_user_confirm") == "modifier":
            slots.append("new_user_edit")
        if tracker.get_slot("new_user_phone") == "skip":
            return [s for s in slots if s != "new_user_phone_again"]
        return slots

    def _name(self, slot: str, value: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if not text or len(text) > 80 or not any(c.isalpha() for c in text):
            dispatcher.utter_message(response="utter_new_user_name_invalid")
            return {slot: None}
        if any(c.isdigit() or c in "@/\\<>{}" for c in text):
            dispatcher.utter_message(response="utter_new_user_name_invalid")
            return {slot: None}
        return {slot: text}

    def validate_new_user_last_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._name("new_user_last_name", value, dispatcher)

    def validate_new_user_first_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._name("new_user_first_name", value, dispatcher)

    def validate_new_user_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return email_answer("new_user", value, dispatcher)

    def validate_new_user_email_again(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return email_again_answer("new_user", value, dispatcher, tracker)

    def validate_new_user_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = plain(str(value or ""))
        if option(tracker) == "skip" or text in ("passer", "aucun", "non", "pas de telephone"):
            return {"new_user_phone": "skip", "new_user_phone_again": None}
        return phone_answer("new_user", value, dispatcher)

    def validate_new_user_phone_again(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return phone_again_answer("new_user", value, dispatcher, tracker)

    def validate_new_user_mobile(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = option(tracker)
        text = plain(str(value or ""))
        if chosen not in ("sedentaire", "itinerant"):
            if "sedentaire" in text or "fixe" in text:
                chosen = "sedentaire"
            elif "itinerant" in text or "variable" in text or "mobile" in text:
                chosen = "itinerant"
            else:
                dispatcher.utter_message(response="utter_new_user_mobile_unclear")
                return {"new_user_mobile": None}
        return {"new_user_mobile": "itinérant" if chosen == "itinerant" else "sédentaire"}

    def validate_new_user_group_pick(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = _chosen(tracker)
        picked = option(tracker) or ""
        text = plain(str(value or ""))
        if picked == "done" or (not picked and text in ("termine", "fini", "c'est tout", "ok")):
            if not chosen:
                dispatcher.utter_message(response="utter_new_user_group_required")
                return {"new_user_group_pick": None}
            return {"new_user_group_pick": "done"}
        groups = {g.id: g for g in _groups(self, tracker)}
        group_id: int | None = None
        if picked.startswith("group-") and picked[6:].isdigit():
            group_id = int(picked[6:])
        elif not picked:
            words = text.replace("logements", "").split()
            matches = [
                g
                for g in groups.values()
                if words and all(w in plain(group_label(g)) for w in words)
            ]
            group_id = matches[0].id if len(matches) == 1 else None
        if group_id not in groups:
            dispatcher.utter_message(response="utter_new_user_group_unknown")
            return {"new_user_group_pick": None}
        label = group_label(groups[group_id])
        if group_id in chosen:
            chosen.remove(group_id)
            dispatcher.utter_message(response="utter_new_user_group_removed", label=label)
        else:
            chosen.append(group_id)
            dispatcher.utter_message(response="utter_new_user_group_added", label=label)
        return {"new_user_group_pick": None, "new_user_groups": chosen}

    def validate_new_user_opened_on(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        today = self.context.today()
        if option(tracker) == "today" or plain(str(value or "")) in ("aujourd'hui", "today"):
            return {"new_user_opened_on": today.isoformat()}
        day = parse_day(value)
        if day is None:
            dispatcher.utter_message(response="utter_new_user_date_invalid")
            return {"new_user_opened_on": None}
        if day < today:
            dispatcher.utter_message(response="utter_new_user_opened_past")
            return {"new_user_opened_on": None}
        return {"new_user_opened_on": day.isoformat()}

    def validate_new_user_closed_on(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = plain(str(value or ""))
        if option(tracker) == "none" or text in ("aucune", "non", "pas de date", "passer"):
            return {"new_user_closed_on": "none"}
        day = parse_day(value)
        if day is None:
            dispatcher.utter_message(response="utter_new_user_date_invalid")
            return {"new_user_closed_on": None}
        opened = parse_day(tracker.get_slot("new_user_opened_on")) or self.context.today()
        if day <= opened:
            dispatcher.utter_message(response="utter_new_user_closed_before", opened=_day(opened))
            return {"new_user_closed_on": None}
        return {"new_user_closed_on": day.isoformat()}

    def validate_new_user_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        choice = option(tracker) or ""
        text = plain(str(value or ""))
        if choice not in ("valider", "modifier", "quitter"):
            if "valid" in text or "cree" in text:
                choice = "valider"
            elif "modif" in text or "corrig" in text or "chang" in text:
                choice = "modifier"
            elif "quit" in text or "abandon" in text:
                choice = "quitter"
            else:
                dispatcher.utter_message(response="utter_new_user_confirm_unclear")
                return {"new_user_confirm": None}
        if choice in ("quitter", "modifier"):
            return {"new_user_confirm": choice}
        return self._create(dispatcher, tracker, domain)

    def validate_new_user_edit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        picked = option(tracker) or ""
        if picked not in EDIT_FIELDS:
            text = plain(str(value or ""))
            tokens = text.replace("'", " ").split()
            found = [
                key
                for key, starts in EDIT_WORDS.items()
                if any(token.startswith(starts) for token in tokens)
            ]
            picked = found[0] if len(found) == 1 else ""
        if not picked:
            dispatcher.utter_message(response="utter_new_user_edit_unclear")
            return {"new_user_edit": None}
        # The answer is asked again; every other one is kept, and the recap follows.
        return {
            "new_user_edit": None,
            "new_user_confirm": None,
            **dict.fromkeys(EDIT_FIELDS[picked][1], None),
        }

    def _create(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        phone = tracker.get_slot("new_user_phone")
        phone = None if phone == "skip" else phone
        try:
            view = create_user(
                self.context.uow(),
                actor_id=int(session_user(tracker) or 0),
                last_name=str(tracker.get_slot("new_user_last_name") or ""),
                first_name=str(tracker.get_slot("new_user_first_name") or ""),
                email=str(tracker.get_slot("new_user_email") or ""),
                email_confirmation=str(tracker.get_slot("new_user_email_again") or ""),
                phone=phone,
                phone_confirmation=tracker.get_slot("new_user_phone_again") if phone else None,
                mobile_worker=tracker.get_slot("new_user_mobile") == "itinérant",
                group_ids=_chosen(tracker),
                opened_on=parse_day(tracker.get_slot("new_user_opened_on")),
                closed_on=parse_day(tracker.get_slot("new_user_closed_on")),
                now=self.context.now(),
            )
        except InvalidFields as error:
            reasons = "; ".join(
                response_text(domain, FIELD_REASONS.get(reason, "utter_new_user_name_invalid"))
                for reason in dict.fromkeys(error.fields.values())
            )
            dispatcher.utter_message(response="utter_new_user_refused", reasons=reasons)
            reset: dict[str, Any] = {"new_user_confirm": None}
            for field in error.fields:
                reset.update(dict.fromkeys(FIELD_SLOTS.get(field, []), None))
            if "group_ids" in error.fields:
                reset["new_user_groups"] = []
            return reset
        except (NotAllowed, NotFound) as error:
            _refuse(dispatcher, error)
            return {"new_user_confirm": "abandon"}
        return {"new_user_confirm": "valider", "new_user_created": _name(view)}


class ActionNewUserDone(BotAction):
    def name(self) -> str:
        return "action_new_user_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        confirm = tracker.get_slot("new_user_confirm")
        if confirm == "quitter":
            dispatcher.utter_message(response="utter_new_user_quit")
        elif confirm == "valider" and tracker.get_slot("new_user_created"):
            dispatcher.utter_message(
                response="utter_new_user_created",
                name=tracker.get_slot("new_user_created"),
                buttons=[{"title": "Mes utilisateurs", "payload": payload("manage_users")}],
            )
        else:
            dispatcher.utter_message(response="utter_menu", buttons=menu_buttons(domain, True))
        return []


ACTIONS = (
    ActionManageUsers,
    ActionUsersShow,
    ActionUsersClose,
    ActionUsersMakeManager,
    ActionUsersReplaceAdmin,
    ActionStartNewUser,
    ActionAskNewUserPhone,
    ActionAskNewUserMobile,
    ActionAskNewUserGroupPick,
    ActionAskNewUserOpenedOn,
    ActionAskNewUserClosedOn,
    ActionAskNewUserConfirm,
    ActionAskNewUserEdit,
    ValidateNewUserForm,
    ActionNewUserDone,
)
