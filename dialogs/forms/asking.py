"""Asking a form's questions, the recap and Modifier's list, from the spec alone.

Every question is asked with its response (`utter_ask_<form>_<slot>`, else `utter_ask_<slot>`)
and the buttons its kind calls for: Oui / Non, the choices, "the same as last year", "I don't
know" for an optional one (`utter_option_unknown_<slot>` where it has its own words). A form
module overrides one of these by defining its own `action_ask_<slot>`. The recap lists every
answer in effect, defaults marked as such (`utter_<prefix>_defaults_note` where the form says
what its defaults are), with Valider / Modifier / Quitter; Modifier lists every answer that can
be changed.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action
from rasa_sdk.types import DomainDict

from dialogs.context import ActionContext
from dialogs.forms import display
from dialogs.forms.spec import FormSpec, Kind, Question
from dialogs.forms.validation import SHORT_RECAP, SpecFormValidation
from dialogs.payloads import payload
from services.core.money import format_euros

RECAP_OPTIONS = ("valider", "modifier", "quitter")


class _SpecAction(Action):
    requires_login = False

    def __init__(self, context: ActionContext, spec: FormSpec, action_name: str) -> None:
        self.context = context
        self.spec = spec
        self._name = action_name

    def name(self) -> str:
        return self._name

    def text(self, name: str, **values: Any) -> str:
        return display.text(self.context.domain, name, **values)


class AskQuestion(_SpecAction):
    """Asks one question of a spec with the buttons of its kind."""

    def __init__(self, context: ActionContext, spec: FormSpec, question: Question) -> None:
        super().__init__(context, spec, f"action_ask_{question.slot}")
        self.question = question

    def response(self) -> str:
        specific = f"utter_ask_{self.spec.name}_{self.question.slot}"
        domain = self.context.domain
        return specific if domain.has_response(specific) else f"utter_ask_{self.question.slot}"

    def buttons(self, tracker: Tracker) -> list[dict[str, Any]]:
        question, slot = self.question, self.question.slot
        buttons: list[dict[str, Any]] = []
        if question.kind is Kind.YES_NO:
            buttons = [
                {
                    "title": self.text("utter_value_yes"),
                    "payload": payload("inform", **{slot: True}),
                },
                {
                    "title": self.text("utter_value_no"),
                    "payload": payload("inform", **{slot: False}),
                },
            ]
        elif question.kind is Kind.CHOICE:
            buttons = [
                {
                    "title": display.option_label(self.context.domain, slot, key),
                    "payload": payload("inform", **{slot: key}),
                }
                for key in question.options
            ]
        previous = tracker.get_slot(question.same_as) if question.same_as else None
        if question.kind is Kind.AMOUNT and isinstance(previous, int) and previous > 0:
            title = self.text("utter_option_same_amount", amount=format_euros(previous))
            buttons.append({"title": title, "payload": payload("inform", **{slot: previous})})
        if question.optional:
            specific = f"utter_option_unknown_{slot}"
            has = self.context.domain.has_response(specific)
            title = self.text(specific if has else "utter_option_unknown")
            buttons.append({"title": title, "payload": payload("inform", **{slot: ""})})
        return buttons

    def values(self, tracker: Tracker) -> dict[str, Any]:
        """Placeholders of the question besides the slots (a form adds its own)."""
        return {}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        rendered = self.context.domain.render(
            self.response(), **{**tracker.slots, **self.values(tracker)}
        )
        buttons = list(rendered.buttons) or self.buttons(tracker)
        dispatcher.utter_message(response=self.response(), buttons=buttons, **self.values(tracker))
        return []


class AskRecap(_SpecAction):
    """The recap: every answer in effect, then Valider / Modifier / Quitter."""

    def __init__(self, context: ActionContext, spec: FormSpec) -> None:
        super().__init__(context, spec, f"action_ask_{spec.confirm_slot}")

    def values(self, tracker: Tracker) -> dict[str, Any]:
        """Placeholders of the recap's header (a form adds what it knows of the case)."""
        return {}

    def buttons(self) -> list[dict[str, Any]]:
        return [
            {
                "title": self.text(f"utter_option_confirm_{option}"),
                "payload": payload("choose", option=option),
            }
            for option in RECAP_OPTIONS
        ]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot(SHORT_RECAP):
            dispatcher.utter_message(response="utter_form_recap_choice", buttons=self.buttons())
            return []
        defaulted = tracker.get_slot(self.spec.defaulted_slot) or []
        marked = any(tracker.get_slot(slot) not in (None, "") for slot in defaulted)
        rows = display.rows(self.context.domain, self.spec, tracker.slots, dict.fromkeys(defaulted))
        response = f"utter_{self.spec.prefix}_recap"
        note = f"utter_{self.spec.prefix}_defaults_note"
        note = note if self.context.domain.has_response(note) else "utter_form_defaults_note"
        dispatcher.utter_message(
            response=response,
            rows=rows,
            buttons=self.buttons(),
            defaults_note=self.text(note) if marked else "",
            **self.values(tracker),
        )
        return []


class AskEdit(_SpecAction):
    """Modifier: which answer to change; every answer of the recap that can be changed."""

    def __init__(self, context: ActionContext, spec: FormSpec) -> None:
        super().__init__(context, spec, f"action_ask_{spec.edit_slot}")

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        buttons = [
            {
                "title": display.label(self.context.domain, q.slot),
                "payload": payload("choose", option=q.slot),
            }
            for q in self.spec.in_effect(tracker.slots)
            if q.editable and q.recap
        ]
        specific = f"utter_ask_{self.spec.edit_slot}"
        response = specific if self.context.domain.has_response(specific) else "utter_form_ask_edit"
        dispatcher.utter_message(response=response, buttons=buttons)
        return []


def spec_actions(
    context: ActionContext, validation: type[SpecFormValidation], own: set[str]
) -> list[Action]:
    """The ask actions of a form that its module does not define itself (names in `own`)."""
    spec = validation.spec
    actions: list[Action] = [
        AskQuestion(context, spec, q) for q in spec.questions if f"action_ask_{q.slot}" not in own
    ]
    if spec.recap:
        if f"action_ask_{spec.confirm_slot}" not in own:
            actions.append(AskRecap(context, spec))
        if f"action_ask_{spec.edit_slot}" not in own:
            actions.append(AskEdit(context, spec))
    return actions
