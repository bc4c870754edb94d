"""The recap's answer and Modifier: Valider, Modifier (one answer opened again, asked with no
default meanwhile, with what depends on it), Quitter, or "which one?" when two labels are close.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from dialogs.forms import display
from dialogs.forms.form_message import SHORT_RECAP, FormMessages
from dialogs.forms.message import Message
from dialogs.forms.reading import Reading
from dialogs.payloads import payload


class FormRecap(FormMessages):
    """The recap's choice and Modifier; forms override `edit_target`, `reopen`, `reset_with`."""

    def _recap_choice(
        self,
        reading: Reading,
        message: Message,
        answers: dict[str, Any],
        requested: str | None,
        dispatcher: CollectingDispatcher,
    ) -> None:
        spec = self.spec
        if reading.close_options:
            self._which(reading.close_options, requested, dispatcher)
        if reading.unplaced and not reading.taken and requested == spec.confirm_slot:
            self._which_answer(reading.unplaced, answers, dispatcher)
            answers[SHORT_RECAP] = True
            return
        target = reading.edit
        modify = requested == spec.edit_slot or reading.recap == "modifier"
        if target is None and modify and not reading.taken and not reading.close_options:
            target = self.edit_target(message, answers)
        if requested == spec.confirm_slot and not reading.taken:
            if reading.recap is None:
                dispatcher.utter_message(response="utter_form_confirm_unclear")
                answers[SHORT_RECAP] = True
            answers[spec.confirm_slot] = reading.recap
            if reading.recap == "modifier" and target is not None:
                self._reopen(target, answers)
        elif requested == spec.edit_slot and target is not None:
            self._reopen(target, answers)
        elif requested == spec.edit_slot and not reading.taken and not reading.close_options:
            dispatcher.utter_message(response="utter_form_edit_unclear")

    def _which_answer(
        self, options: dict[str, Any], answers: dict[str, Any], dispatcher: CollectingDispatcher
    ) -> None:
        """« non le 26 juin » with two dates in the recap: which one it corrects, each button
        carrying the value, so one press applies it."""
        domain = self.context.domain
        buttons = []
        for slot, value in options.items():
            question = self.spec.question(slot)
            if question is None:
                continue
            shown = display.value(domain, question, value, answers)
            buttons.append(
                {
                    "title": display.text(
                        domain,
                        "utter_form_which_answer_option",
                        label=display.label(domain, slot),
                        value=shown,
                    ),
                    "payload": payload("inform", **{slot: value}),
                }
            )
        dispatcher.utter_message(response="utter_form_which_answer", buttons=buttons)

    def reopen(self, target: str, answers: dict[str, Any]) -> bool:
        """Modifier on a target that is not a question of the spec (see `edit_target`): the
        form updates `answers` so the loop asks what must be answered again; True if done."""
        return False

    def _reopen(self, slot: str, answers: dict[str, Any]) -> None:
        """Modifier on one answer: it is asked again (no default fills it meanwhile)."""
        question = self.spec.question(slot)
        if question is None or not question.editable:
            if self.reopen(slot, answers):
                answers[self.spec.confirm_slot] = None
                answers[self.spec.edit_slot] = None
            return
        answers[slot] = None
        for dependent in (*self.reset_with(slot), *(q.slot for q in self.spec.repeats(slot))):
            answers[dependent] = None
        if slot in answers[self.spec.defaulted_slot]:
            answers[self.spec.defaulted_slot].remove(slot)
        answers[self.spec.confirm_slot] = None
        answers[self.spec.edit_slot] = slot

    def reset_with(self, slot: str) -> tuple[str, ...]:
        """Answers that must be asked again when `slot` is changed with Modifier."""
        return ()

    def _which(
        self, options: list[str], requested: str | None, dispatcher: CollectingDispatcher
    ) -> None:
        slot = requested or ""
        question = self.spec.question(slot)
        domain = self.context.domain
        if question is not None:
            titles = {key: display.option_label(domain, slot, key) for key in options}
            option_slot = slot
        else:
            titles = {key: display.label(domain, key) for key in options}
            option_slot = "option"
        buttons = [
            {"title": title, "payload": payload("inform", **{option_slot: key})}
            if option_slot != "option"
            else {"title": title, "payload": payload("choose", option=key)}
            for key, title in titles.items()
        ]
        dispatcher.utter_message(response="utter_form_which", buttons=buttons)
