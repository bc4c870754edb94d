"""What runs next: a pure decision from the conversation's situation and the understood message.

No database and no action here, so a unit test can call `decide` with plain values. The order
of the checks is the order of priority: a yes/no question of the engine waits for its answer;
inside a form the form reads the message first (an answer, several answers or a correction are
never taken for another task), then leaving, digressions and other tasks are considered;
outside a form, the intent's rule runs when the classifier is confident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Do(StrEnum):
    """The kinds of decision."""

    CONFIRMED = "confirmed"  # yes to the engine's own question
    DECLINED = "declined"  # no to it: the form goes on
    NOT_ANSWERED = "not_answered"  # neither: the question is dropped, the message handled anew
    RESUME_FORM = "resume_form"  # /start inside a form: say where we are, ask again
    CONFIRM_CANCEL = "confirm_cancel"
    CONTINUE_FORM = "continue_form"
    DIGRESS = "digress"  # answer a question, then ask the pending one again
    SMALL_TALK = "small_talk"  # thanks or goodbye inside a form: a word, then ask again
    CONFIRM_SWITCH = "confirm_switch"
    SWITCH = "switch"  # a command leaves a form that has nothing to lose
    CLARIFY = "clarify"  # two tasks are close: ask which one
    NOTHING_TO_CANCEL = "nothing_to_cancel"
    RUN_RULE = "run_rule"
    LOOK_UP = "look_up"  # a bare value outside a form: look it up
    LOGIN_WITH_IDENTIFIER = "login_with_identifier"
    OUT_OF_SCOPE = "out_of_scope"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Situation:
    """What the policy needs to know of the conversation.

    `free_text_expected`: the pending question takes any text (a name, an address);
    `secret_expected`: it is a password; `form_takes_message`: reading the message against the
    active form found an answer or a correction in it; `leaving`: it asks to quit the form
    ("Quitter" at the recap); `other_subject`: it is about another tenant than the form's
    (« loyer couture 390 » while Murot's rent is asked); `disposable_form`: leaving the form loses nothing worth a
    confirmation (a command such as "/menu" at the login's password prompt just does it).
    """

    logged_in: bool = False
    active_form: str | None = None
    pending: str | None = None
    free_text_expected: bool = False
    secret_expected: bool = False
    form_takes_message: bool = False
    leaving: bool = False
    other_subject: bool = False
    disposable_form: bool = False
    own_intents: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Understanding:
    """The message as understood: intent, confidence and what else the turn found in it.

    `command`: the intent of a command typed as such ("/menu", or "annuler" alone);
    `agreement`: True/False when the message is a plain yes or no (negations respected);
    `lookup_task`: the task a bare value names outside a form ("allocataire 21083");
    `identifier`: a login identifier typed while logged out; `close`: two tasks too close to
    choose between; `request`: the (intent, form) a message unmistakably asks for whatever
    form is active (« tous mes loyers sont inchangés »), claimed by the action of that intent;
    `small_talk`: thanks or goodbye said in so many words (« merci », « au revoir »).
    """

    intent: str
    confidence: float = 1.0
    pressed: bool = False
    command: str | None = None
    agreement: bool | None = None
    lookup_task: str | None = None
    identifier: str | None = None
    close: tuple[str, ...] = field(default_factory=tuple)
    request: tuple[str, str] | None = None
    small_talk: str | None = None


@dataclass(frozen=True)
class Rules:
    """The assistant's fixed knowledge: intents that have a rule, digressions, tasks, and the
    confidence thresholds."""

    with_rule: frozenset[str]
    digressions: frozenset[str]
    tasks: frozenset[str]
    fallback_threshold: float = 0.35
    free_text_digression: float = 0.6


@dataclass(frozen=True)
class Decision:
    do: Do
    intent: str | None = None
    options: tuple[str, ...] = ()


def decide(situation: Situation, message: Understanding, rules: Rules) -> Decision:
    """The next step for this message in this situation."""
    if situation.pending is not None:
        return _pending(message)
    if situation.active_form is not None:
        return _in_form(situation, message, rules)
    return _outside_form(situation, message, rules)


def _pending(message: Understanding) -> Decision:
    if message.agreement is True or (message.pressed and message.intent == "affirm"):
        return Decision(Do.CONFIRMED)
    if message.agreement is False or message.intent == "deny":
        return Decision(Do.DECLINED)
    return Decision(Do.NOT_ANSWERED)


def _confident(message: Understanding, rules: Rules, threshold: float | None = None) -> bool:
    return message.pressed or message.confidence >= (threshold or rules.fallback_threshold)


def _in_form(situation: Situation, message: Understanding, rules: Rules) -> Decision:
    command = message.command
    if situation.secret_expected and command is None:
        return Decision(Do.CONTINUE_FORM)
    if command == "greet":
        return Decision(Do.RESUME_FORM)
    if command == "cancel" or situation.leaving:
        return Decision(Do.CONFIRM_CANCEL)
    if command in rules.digressions:
        return Decision(Do.DIGRESS, command)
    if command is not None and command in rules.tasks:
        return Decision(Do.SWITCH if situation.disposable_form else Do.CONFIRM_SWITCH, command)
    request = message.request
    # The form's own task, in which the form reads no answer, is the form's to route (« tous
    # mes loyers sont inchangés » at the rent's tenant question opens the recap of every rent).
    routed = request is not None and (
        request[0] in situation.own_intents and not situation.form_takes_message
    )
    if (
        request is not None
        and not message.pressed
        and request[1] != situation.active_form
        and not routed
    ):
        return Decision(Do.SWITCH if situation.disposable_form else Do.CONFIRM_SWITCH, request[0])
    if situation.other_subject and not message.pressed:
        # another tenant's declaration: never this one's values, a new request to confirm
        # (« couture 390 » may read as a bare answer: it is then this form's own task again)
        tasks = sorted(situation.own_intents & rules.tasks)
        wanted = message.intent if message.intent in rules.tasks else next(iter(tasks), None)
        if wanted is not None:
            return Decision(Do.SWITCH if situation.disposable_form else Do.CONFIRM_SWITCH, wanted)
    if situation.form_takes_message or message.pressed:
        return Decision(Do.CONTINUE_FORM)
    if message.intent == "cancel" and _confident(message, rules):
        return Decision(Do.CONFIRM_CANCEL)
    intent = message.intent
    threshold = rules.free_text_digression if situation.free_text_expected else None
    if intent in rules.digressions and _confident(message, rules, threshold):
        return Decision(Do.DIGRESS, intent)
    if message.small_talk is not None:
        # Not out-of-scope: inside a form, a line the NLU finds off-topic is mostly an answer
        # it cannot read (« bof », « n'importe quand »), which the form's own hint answers best.
        return Decision(Do.SMALL_TALK, message.small_talk)
    if message.close and not situation.free_text_expected:
        return Decision(Do.CLARIFY, options=message.close)
    if (
        intent in rules.tasks
        and intent not in situation.own_intents
        and _confident(message, rules, threshold)
    ):
        return Decision(Do.CONFIRM_SWITCH, intent)
    return Decision(Do.CONTINUE_FORM)


def _outside_form(situation: Situation, message: Understanding, rules: Rules) -> Decision:
    intent = message.command or message.intent
    if intent == "cancel":
        return Decision(Do.NOTHING_TO_CANCEL)
    if message.command is not None:
        return Decision(Do.RUN_RULE, message.command)
    if not situation.logged_in and message.identifier and not message.pressed:
        return Decision(Do.LOGIN_WITH_IDENTIFIER)
    if message.request is not None and not message.pressed:
        # what an action claims the words ask for (« tout pareil sauf petit 490 »), whatever the
        # NLU makes of them
        return Decision(Do.RUN_RULE, message.request[0])
    if message.close:
        return Decision(Do.CLARIFY, options=message.close)
    if intent == "out_of_scope" and _confident(message, rules):
        return Decision(Do.OUT_OF_SCOPE)
    if _confident(message, rules) and intent in rules.with_rule:
        return Decision(Do.RUN_RULE, intent)
    if message.lookup_task is not None:
        return Decision(Do.LOOK_UP, message.lookup_task)
    return Decision(Do.FALLBACK)
