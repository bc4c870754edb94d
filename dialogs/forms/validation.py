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
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from dialogs.context import ActionContext
from dialogs.forms import display, twice, values
from dialogs.forms.lexicon import lexicon
from dialogs.forms.message import Message, split
from dialogs.forms.reading import Context, Reading, Taken, read
from dialogs.forms.spec import Answers, FormSpec, Kind, Question
from dialogs.forms.tenants import TenantChooser
from dialogs.nlu.entities import extract
from dialogs.payloads import payload
from services.core.names import person_name

REQUESTED = "requested_slot"
SHORT_RECAP = "form_recap_short"
OWN_EXTRACTOR = "bailleur_rules"
PRESSED_WORDS = {"affirm": "oui", "deny": "non"}


def session_user(tracker: Tracker) -> int | None:
    value = tracker.get_slot("session_user_id")
    return int(value) if value is not None else None


def _pressed(latest: dict[str, Any]) -> bool:
    """A pressed button, never typed text that looks like one: our engine marks the parse of a
    button it offered; behind Rasa, a payload is parsed with confidence 1 and no extractor."""
    if "pressed" in latest:
        return bool(latest["pressed"])
    text = str(latest.get("text") or "")
    entities = latest.get("entities") or []
    confidence = (latest.get("intent") or {}).get("confidence")
    return (
        text.startswith("/") and confidence == 1.0 and all(not e.get("extractor") for e in entities)
    )


class SpecFormValidation(FormValidationAction):
    """Runs `spec`; subclasses add `validate_<slot>` methods with rasa-sdk's signature."""

    spec: ClassVar[FormSpec]
    # False for a form opened right after a password was typed (the first connection): the
    # message that opened it is never read for answers.
    reads_opening: ClassVar[bool] = True

    def __init__(self, context: ActionContext) -> None:
        self.context = context

    def name(self) -> str:
        return f"validate_{self.spec.name}"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return self.spec.required_slots(tracker.slots)

    # ----- reading ---------------------------------------------------------------------------
    def message(self, tracker: Tracker) -> Message:
        """The latest message with entities; the project's own extractors read the raw text
        when the NLU in front gave none of theirs (a Rasa model, say)."""
        return self.message_of(tracker.latest_message or {}, tracker, tracker.get_slot(REQUESTED))

    def message_of(
        self, latest: dict[str, Any], tracker: Tracker | None, requested: str | None
    ) -> Message:
        text = str(latest.get("text") or "")
        if (requested is None and not self.reads_opening) or (
            self._secret(requested) and latest.get("pressed")
        ):
            return split("", [])  # nothing to read; a button is never a password
        if self._secret(requested):
            return Message(text=text, entities=[], clauses=[], words=[])  # never parsed
        entities = list(latest.get("entities") or [])
        pressed = _pressed(latest)
        intent = (latest.get("intent") or {}).get("name")
        if pressed and not entities and intent in PRESSED_WORDS:
            text, pressed = PRESSED_WORDS[intent], False  # a Oui / Non button
        if not pressed and not any(e.get("extractor") == OWN_EXTRACTOR for e in entities):
            tenants = (
                self.chooser(tracker).candidates()
                if tracker is not None and self._names_tenants()
                else []
            )
            entities = extract(text, today=self.context.today(), tenants=tenants)
        return split(text, entities, pressed=pressed)

    def _secret(self, slot: Any) -> bool:
        question = self.spec.question(str(slot)) if slot else None
        return question is not None and question.kind is Kind.SECRET

    def refresh(self, tracker: Tracker) -> dict[str, Any]:
        """Facts the services keep that decide what is asked, read again at every turn."""
        return {}

    def _names_tenants(self) -> bool:
        return any(q.kind is Kind.TENANT for q in self.spec.questions)

    def chooser(self, tracker: Tracker) -> TenantChooser:
        """A tenant chooser for this run (actions are shared between turns and users)."""
        user = session_user(tracker)
        cached: TenantChooser | None = getattr(tracker, "_tenant_chooser", None)
        if cached is None or cached.user_id != user:
            slot = next((q.slot for q in self.spec.questions if q.kind is Kind.TENANT), "")
            cached = TenantChooser(self.context, user, slot)
            setattr(tracker, "_tenant_chooser", cached)  # noqa: B010
        return cached

    def reading_context(self, tracker: Tracker) -> Context:
        domain = self.context.domain
        opening = tracker.get_slot(REQUESTED) is None
        return Context(
            today=self.context.today(),
            lexicon=lexicon(),
            option_labels=display.option_labels(domain, self.spec),
            slot_labels=display.slot_labels(domain, self.spec),
            opening=opening,
        )

    def takes(self, parse: dict[str, Any], slots: dict[str, Any]) -> str:
        """What the message is to this form, without side effects: "answer" when it answers
        or corrects something (the policy lets the form have it before anything else),
        "leave" when it asks to quit at the recap, "" otherwise."""
        requested = slots.get("requested_slot")
        if self._secret(requested):
            return "answer"  # a password is read by nothing else
        context = Context(
            today=self.context.today(),
            lexicon=lexicon(),
            option_labels=display.option_labels(self.context.domain, self.spec),
            slot_labels=display.slot_labels(self.context.domain, self.spec),
        )
        message = self.message_of(parse, None, requested)
        reading = read(self.spec, slots, requested, message, context)
        if reading.recap == "quitter" and not reading.taken:
            return "leave"
        if reading.understood or reading.close_options:
            return "answer"
        if requested == self.spec.edit_slot and self.edit_target(message, slots) is not None:
            return "answer"
        return ""

    # ----- the loop --------------------------------------------------------------------------
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
        reading = read(spec, answers, requested, message, self.reading_context(tracker))
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
        current = tracker.copy()
        current.slots.update(answers)
        result = method(value, dispatcher, current, domain)
        if inspect.isawaitable(result):
            result = await result
        return dict(result or {})

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

    def edit_target(self, message: Message, answers: Answers) -> str | None:
        """What Modifier should change when the message names none of the form's questions: a
        form's own target (one month of an unpaid report, say), or None."""
        return None

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
