"""How a form reads a message: the latest message with its entities (our own extractors when
the NLU in front gave none), the reading context, and `takes`, the side-effect-free answer to
"is this message for the form?" that the policy asks before anything else.

The base of `SpecFormValidation` (`validation.py`); `recap_choice.py` adds the recap and Modifier.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from dialogs.context import ActionContext
from dialogs.forms import display, read_once
from dialogs.forms.lexicon import lexicon
from dialogs.forms.message import Message, split
from dialogs.forms.reading import Context, read
from dialogs.forms.spec import Answers, FormSpec, Kind
from dialogs.forms.tenants import TenantChooser
from dialogs.nlu.entities import extract

REQUESTED = "requested_slot"
SHORT_RECAP = "form_recap_short"
# An unknown word is read as `inform` or `out_of_scope`: it may be a name. Any other intent the
# NLU is this sure of is a request (« mes paiements », « deco »), never a tenant's name.
NAME_LIKE_INTENTS = frozenset({"inform", "out_of_scope", None})
REQUEST_CONFIDENCE = 0.5


def sure_request(parse: dict[str, Any]) -> str | None:
    """The intent of a message the NLU is sure is a request, not an answer; else None."""
    intent = parse.get("intent") or {}
    name = intent.get("name")
    if name in NAME_LIKE_INTENTS or float(intent.get("confidence") or 0.0) < REQUEST_CONFIDENCE:
        return None
    return str(name)


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


class FormMessages(FormValidationAction):
    """A form's spec and how it reads a message; `SpecFormValidation` runs the loop."""

    spec: ClassVar[FormSpec]
    # False for a form opened right after a password was typed (the first connection): the
    # message that opened it is never read for answers.
    reads_opening: ClassVar[bool] = True

    def __init__(self, context: ActionContext) -> None:
        self.context = context
        self._labels: tuple[dict[str, dict[str, list[str]]], dict[str, str]] | None = None

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
        message = read_once.cut(latest, text, entities, pressed)
        message.request = sure_request(latest)
        return message

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
        return self._context(opening=tracker.get_slot(REQUESTED) is None)

    def _context(self, *, opening: bool) -> Context:
        labels = self._labels
        if labels is None:  # the domain's and the spec's, the same for every turn and user
            domain = self.context.domain
            labels = (
                display.option_labels(domain, self.spec),
                display.slot_labels(domain, self.spec),
            )
            self._labels = labels
        return Context(
            today=self.context.today(),
            lexicon=lexicon(),
            option_labels=labels[0],
            slot_labels=labels[1],
            opening=opening,
        )

    def takes(self, parse: dict[str, Any], slots: dict[str, Any]) -> str:
        """What the message is to this form, without side effects: "answer" when it answers
        or corrects something (the policy lets the form have it before anything else),
        "leave" when it asks to quit at the recap, "other" when it is about another tenant
        than the form's (another declaration), "" otherwise."""
        requested = slots.get("requested_slot")
        if self._secret(requested):
            return "answer"  # a password is read by nothing else
        context = self._context(opening=False)
        message = self.message_of(parse, None, requested)
        reading = read(self.spec, slots, requested, message, context)
        read_once.keep(self, parse, requested, slots, message, context, reading)
        if reading.recap == "quitter" and not reading.taken:
            return "leave"
        if reading.understood or reading.close_options:
            return "answer"
        if reading.other_subject:
            return "other"
        if requested == self.spec.edit_slot and self.edit_target(message, slots) is not None:
            return "answer"
        return ""

    def edit_target(self, message: Message, answers: Answers) -> str | None:
        """What Modifier should change when the message names none of the form's questions: a
        form's own target (one month of an unpaid report, say), or None."""
        return None
