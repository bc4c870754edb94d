"""The one loop every form runs, as rasa-sdk's `FormValidationAction` of that form.

Each turn: read the message against the whole form (`reading.read`), turn each value into its
kind's normal form ("pareil" -> last year's amount, "je sais pas" -> unknown, a name -> its
tenant), let the form's own `validate_<slot>` accept or refuse it (refusals say why and the
question is asked again), say back what was taken besides the answer to the question asked, fill
what the last known information gives (marked as a default), apply the recap's choice (Modifier
opens one answer again, any answer included), then name the next question. A form module only
adds its spec, its `validate_<slot>` methods and its transmit call (and, where facts kept by the
services decide what is asked, `refresh`).

An answer typed twice (`Question.again_of`) is compared with the first typing (`twice.py`); a
password is never kept: its `validate_<slot>` uses it in the same turn.

Its bases: `form_message.py` (reading the message) and `recap_choice.py` (recap, Modifier).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from dialogs.forms import display, read_once, twice, values
from dialogs.forms.form_message import (
    OWN_EXTRACTOR,
    PRESSED_WORDS,
    REQUESTED,
    SHORT_RECAP,
    session_user,
)
from dialogs.forms.reading import Reading, Taken, read
from dialogs.forms.recap_choice import FormRecap
from dialogs.forms.spec import Answers, Kind, Question
from services.core.names import person_name

__all__ = [
    "OWN_EXTRACTOR",
    "PRESSED_WORDS",
    "REQUESTED",
    "SHORT_RECAP",
    "SpecFormValidation",
    "session_user",
]


class SpecFormValidation(FormRecap):
    """Runs `spec`; subclasses add `validate_<slot>` methods with rasa-sdk's signature."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        spec = self.spec
        requested = tracker.get_slot(REQUESTED)
        answers: dict[str, Any] = dict(tracker.slots)
        before = dict(answers)
        answers.update(self.refresh(tracker))
        said = len(dispatcher.messages)
        message = self.message(tracker)
        context = self.reading_context(tracker)
        reading = read_once.reading(
            self,
            tracker.latest_message,
            requested,
            answers,
            message,
            context,
            lambda: read(spec, answers, requested, message, context),
        )
        answers[SHORT_RECAP] = None
        answers[spec.defaulted_slot] = list(answers.get(spec.defaulted_slot) or [])
        items = await self._accept(reading, answers, dispatcher, tracker, domain)
        self._recap_choice(reading, message, answers, requested, dispatcher)
        self._defaults(answers)
        next_slot = self._next(answers)
        corrected = any(t.how == "correction" for t in reading.taken)
        if items and (corrected or next_slot != spec.confirm_slot):  # a recap shows the rest
            response = "utter_form_corrected" if corrected else "utter_form_taken"
            dispatcher.utter_message(
                response=response, items=display.said_back(self.context.domain, items)
            )
        if next_slot is not None and next_slot == requested and len(dispatcher.messages) == said:
            self._not_understood(next_slot, reading, dispatcher)
        changed = [
            SlotSet(slot, value)
            for slot, value in answers.items()
            if slot != REQUESTED and (slot not in before or before[slot] != value)
        ]
        return [*changed, SlotSet(REQUESTED, next_slot)]

    async def _accept(
        self,
        reading: Reading,
        answers: dict[str, Any],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[tuple[str, str]]:
        """Validate what was taken, in the order of the questions; returns what to say back:
        what was kept once every answer of the message is validated (an answer a later one
        used up or refused, or a correction the validation turned down, is not said back)."""
        kept: list[tuple[Question, Taken]] = []
        by_slot = {t.slot: t for t in reading.taken}
        requested = tracker.get_slot(REQUESTED)
        before = dict(answers)
        for question in self.spec.questions:
            taken = by_slot.get(question.slot)
            if taken is None:
                continue
            followed: list[tuple[Question, Taken]] = []
            value = self._normal(question, taken, answers, dispatcher, tracker)
            if value is None:
                continue
            if question.again_of is not None and not twice.typed_again(
                self.spec, question, value, answers, dispatcher, self.context.uow().passwords
            ):
                continue
            previous = answers.get(question.slot)
            updates = await self._validate(question, value, answers, dispatcher, tracker, domain)
            answers.update(updates)
            accepted = answers.get(question.slot)
            if accepted is None and question.kind is Kind.TENANT:
                break  # the rest of the message was about a tenant that cannot be used
            if question.kind is Kind.SECRET:
                answers[question.slot] = None  # used by its validation, never kept
                twice.secret_typed(
                    self.spec, question, accepted, answers, self.context.uow().passwords
                )
                continue
            if accepted is None:
                continue
            if accepted != previous:
                for repeat in self.spec.repeats(question.slot):
                    answers[repeat.slot] = None  # a new first answer is typed again
                followed = self._follow(question, previous, accepted, answers, by_slot)
            if question.slot in answers[self.spec.defaulted_slot]:
                answers[self.spec.defaulted_slot].remove(question.slot)
            if answers.get(self.spec.edit_slot) == question.slot:
                answers[self.spec.edit_slot] = None
            if (
                taken.how != "answer"
                or len(reading.taken) > 1
                or requested == self.spec.confirm_slot
            ):
                kept.append((question, taken))
            kept += followed
        items: list[tuple[str, str]] = []
        for question, taken in kept:
            accepted = answers.get(question.slot)
            if accepted is None or (
                taken.how == "correction" and accepted == before.get(question.slot)
            ):
                continue
            shown = display.value(self.context.domain, question, accepted, answers)
            items.append((display.label(self.context.domain, question.slot), shown))
        return items

    def _follow(
        self,
        question: Question,
        previous: Any,
        accepted: Any,
        answers: dict[str, Any],
        by_slot: Mapping[str, Taken],
    ) -> list[tuple[Question, Taken]]:
        """A date corrected carries along the dates given as « the same day » as it (a lease
        ending the day of the departure still ends that day once the departure is corrected),
        unless the message says something of them too."""
        if question.kind is not Kind.DATE or previous is None:
            return []
        followed = []
        for other in self.spec.questions:
            if (
                other.same_as == question.slot
                and other.kind is Kind.DATE
                and other.slot not in by_slot
                and answers.get(other.slot) == previous
            ):
                answers[other.slot] = accepted
                followed.append((other, Taken(other.slot, accepted, "correction")))
        return followed

    def _normal(
        self,
        question: Question,
        taken: Taken,
        answers: Mapping[str, Any],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> Any:
        """The value in its kind's normal form, or None after saying why it cannot be used."""
        value = taken.value
        if value == values.UNKNOWN:
            return ""
        if value == values.SAME:
            previous = answers.get(question.same_as or "")
            if previous in (None, ""):
                dispatcher.utter_message(response="utter_form_no_previous_value")
                return None
            return previous
        if question.kind is Kind.TENANT:
            return self.chooser(tracker).resolve(value, dispatcher, asked=taken.how != "fill")
        if question.kind is Kind.NAME:
            return person_name(str(value), family=question.pick_name == "last")
        if question.kind is Kind.YES_NO:
            return bool(value)
        return value

    async def _validate(
        self,
        question: Question,
        value: Any,
        answers: Mapping[str, Any],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        method = getattr(self, f"validate_{question.slot}", None)
        if method is None:
            return {question.slot: value}
        result = method(value, dispatcher, _with_answers(tracker, answers), domain)
        if inspect.isawaitable(result):
            result = await result
        return dict(result or {})

    def _defaults(self, answers: dict[str, Any]) -> None:
        """Unanswered questions take the last known information, marked as defaults."""
        editing = answers.get(self.spec.edit_slot)
        for question in self.spec.in_effect(answers):
            if question.default is None or answers.get(question.slot) is not None:
                continue
            if question.slot == editing:
                continue
            default = question.default(answers)
            if default is None:
                continue
            answers[question.slot] = default
            if question.slot not in answers[self.spec.defaulted_slot]:
                answers[self.spec.defaulted_slot].append(question.slot)

    def _next(self, answers: Answers) -> str | None:
        for slot in self.spec.required_slots(answers):
            if answers.get(slot) is None:
                return slot
        return None

    def _not_understood(
        self, slot: str, reading: Reading, dispatcher: CollectingDispatcher
    ) -> None:
        question = self.spec.question(slot)
        specific = next(
            (
                name
                for name in (f"utter_expect_{slot}", f"utter_{slot}_unclear")
                if self.context.domain.has_response(name)
            ),
            None,
        )
        if specific is not None:
            dispatcher.utter_message(response=specific)
        elif question is not None and question.kind is Kind.YES_NO:
            dispatcher.utter_message(response="utter_expect_yes_no")
        elif question is not None and self.context.domain.has_response(
            f"utter_form_expect_{question.kind.value}"
        ):
            dispatcher.utter_message(response=f"utter_form_expect_{question.kind.value}")
        elif slot not in (self.spec.confirm_slot, self.spec.edit_slot):
            dispatcher.utter_message(response="utter_not_understood")


def _with_answers(tracker: Tracker, answers: Mapping[str, Any]) -> Tracker:
    """The tracker a `validate_<slot>` reads: the form's answers so far as its slots. Its own
    slot dict, the rest shared with `tracker` (`Tracker.copy` deep-copied the message and every
    event for each answer; validations only read them)."""
    return Tracker(
        tracker.sender_id,
        {**tracker.slots, **answers},
        tracker.latest_message,
        tracker.events,
        tracker.is_paused(),
        tracker.followup_action,
        tracker.active_loop,
        tracker.latest_action_name,
        tracker.stack,
        tracker.user_id,
    )
