"""Understanding a message in its situation: parse it, then see it the way the policy needs.

A typed command ("/menu", or "annuler" alone) is a command whatever the NLU says, and even at
the password prompt, where nothing else is parsed: a password never reaches the NLU, a log or a
history. While logged out, a message carrying a login identifier ("oliviers.admin", "connexion
jean.martin") starts the login with it. Inside a form, the form reads the message first
(`SpecFormValidation.takes`), so an answer is never mistaken for another request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

from dialogs.context import TURN_TENANTS
from dialogs.engine.focus import lend_focus
from dialogs.engine.follow_ups import follow_up, keep_shown
from dialogs.engine.policy import Situation, Understanding
from dialogs.engine.ports import Parse, TurnPort
from dialogs.engine.receipt_requests import receipt_asked
from dialogs.forms.form_message import sure_request
from dialogs.forms.lexicon import lexicon, words
from dialogs.forms.lexicon import words as lexicon_words
from dialogs.forms.message import find_numbers
from dialogs.forms.spec import FREE_KINDS, Kind
from dialogs.forms.validation import SpecFormValidation
from dialogs.nlu import TenantCandidate
from dialogs.nlu.normalise import fold
from dialogs.nlu.typos import LONG_WORD
from dialogs.rules_questions import RULES, rules_question
from dialogs.texts import words as vocabulary
from services.core.errors import NotAllowed

_IDENTIFIER = re.compile(
    r"(?<![\w@.])[a-z][a-z0-9]{0,39}(?:[._-][a-z0-9]{1,40}){1,3}(?![\w@]|\.\w)"
)
# A bare value said outside any form is a request about it: the first set of entities found
# picks the task ("brisson est partie" declares a change, "brisson 330" a rent, "allocataire
# 21083" shows that tenant). `number` stands for a bare number or an amount, `same` for « the
# same as before » (« lebrun pareil que l'an dernier »: last year's rent again); a month alone
# (« et le mois dernier ») asks what the Caf paid that month.
LOOKUPS = (
    (("change_type",), "declare_change"),
    (("tenant_name", "number"), "declare_rent"),
    (("tenant_name", "same"), "declare_rent"),
    (("rent_word", "number"), "declare_rent"),
    (("tenant_name",), "list_tenants"),
    (("allocataire_number",), "list_tenants"),
    (("month",), "view_payments"),
)
# Logged out, a N° utilisateur typed alone (« 14 oliviers 0001 ») is the way back to a lost
# identifier.
LOGGED_OUT_LOOKUPS = ((("user_number",), "faq_lost_identifier"),)
RENT_WORDS = frozenset(vocabulary("rent_words"))
_VALUE_SHAPED = re.compile(r"[.@\d]")
AGREEMENT_CONFIDENCE = 0.8
CHANGE_KINDS = ("end_of_management", "tenant_departure", "flatshare")


TYPO_FROM = 5
# A name, an email or a phone is never a request the NLU is sure of (« deco » at the email).
CONTACT_KINDS = frozenset({Kind.NAME, Kind.EMAIL, Kind.PHONE})


def command_with_typo(typed: str, commands: Mapping[str, str]) -> str | None:
    """« quiter », « anuler », « deconexion »: one word a typo away from a one-word command
    (two from 8 letters), starting with the same letter; short words are never guessed."""
    if len(typed) < TYPO_FROM or " " in typed:
        return None
    allowed = 2 if len(typed) >= LONG_WORD else 1
    keys = [k for k in commands if " " not in k and k[:1] == typed[:1] and len(k) >= TYPO_FROM - 1]
    found = process.extractOne(typed, keys, scorer=OSA.distance, score_cutoff=allowed)
    return commands[found[0]] if found is not None else None


def _minimal(text: str, intent: str = "inform") -> Parse:
    return {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}


def identifier_in(text: str) -> str | None:
    """A login identifier typed in the message (first.last, name_org...), if any."""
    found = _IDENTIFIER.findall(fold(text))
    return found[0] if len(found) == 1 else None


def _add_change_type(parse: Parse) -> None:
    """A change said in other words than the NLU's ("va partir") still names the change."""
    entities = parse.setdefault("entities", [])
    if any(e.get("entity") == "change_type" for e in entities):
        return
    message = words(str(parse.get("text", "")))
    named = [kind for kind in CHANGE_KINDS if lexicon().has(f"options.change_type.{kind}", message)]
    if len(named) == 1:
        entities.append({"entity": "change_type", "value": named[0], "extractor": "bailleur_rules"})


class Reader:
    """Reads one message for one turn."""

    def __init__(self, turn: TurnPort) -> None:
        self.turn = turn
        self.engine = turn.engine

    def command(self, text: str) -> str | None:
        """The intent of a command typed as such, or None."""
        message = words(text)
        if text.startswith("/"):
            return self.engine.commands.get(text.split()[0].lower())
        if 0 < len(message) <= 2:
            typed = " ".join(w for w in message if w.isalnum())
            return self.engine.commands.get(typed) or command_with_typo(typed, self.engine.commands)
        return None

    def parse(self, text: str, *, secret: bool) -> Parse:
        command = self.command(text)
        if command is not None:
            parse = _minimal(text, command)
            parse["command"] = command
            return parse
        if secret:
            return _minimal(text)
        parse = self.engine.nlu.parse(
            text, tenants=self._tenants(), today=self.engine.context.today()
        )
        _add_change_type(parse)
        self._rules_question(parse)
        receipt_asked(parse)
        state = self.turn.state
        if self.turn.user_id is not None and state.focus_user == self.turn.user_id:
            lend_focus(parse, state.focus_tenant, self._tenants())
        if self.turn.user_id is None and (identifier := identifier_in(text)) is not None:
            parse["entities"] = [
                *parse.get("entities", []),
                {"entity": "login_identifier", "value": identifier, "extractor": "bailleur_rules"},
            ]
        return parse

    def _rules_question(self, parse: Parse) -> None:
        """« j'ai combien de temps pour déclarer un départ ? » asks for the rules, not the task:
        answered wherever it is asked, the task offered as a button."""
        if not self.engine.has_rule(RULES):
            return
        topic = rules_question(str(parse.get("text", "")), parse.get("entities", []))
        if topic is None:
            return
        parse.pop("ambiguous", None)
        parse["intent"] = {"name": RULES, "confidence": 1.0}
        parse["command"] = RULES  # as unmistakable as a command: before any form's answer
        parse["entities"] = [
            *parse.get("entities", []),
            {"entity": "faq_topic", "value": topic, "extractor": "bailleur_rules"},
        ]

    def _tenants(self) -> list[TenantCandidate]:
        user_id = self.turn.user_id
        if user_id is None:
            return []
        today = self.engine.context.today()

        def load() -> list[TenantCandidate]:
            # Imported here: the views and their models are not needed before the first prompt.
            from services.tenants.views import tenant_candidates

            try:
                rows = tenant_candidates(self.engine.context.uow(), user_id=user_id, today=today)
            except NotAllowed:
                return []
            return [TenantCandidate(id=i, first_name=f, last_name=last) for i, f, last in rows]

        names = self.engine.tenant_names.get(
            user_id=user_id, scope_version=self.turn.record.scope_version, today=today, load=load
        )
        shared = TURN_TENANTS.get()
        if shared is not None:
            shared[user_id] = names  # the turn's forms resolve typed names against these
        return names

    # ----- the situation -----------------------------------------------------------------------
    def situation(self, parse: Parse) -> Situation:
        state = self.turn.state
        form = state.active_form
        requested = state.requested_slot
        validator = self.engine.actions.get(f"validate_{form}") if form else None
        free = secret = takes = leaving = other = contact = False
        if requested is not None:
            secret = self.engine.is_secret(requested)
            if isinstance(validator, SpecFormValidation):
                question = validator.spec.question(requested)
                free = question is not None and question.kind in FREE_KINDS
                contact = question is not None and question.kind in CONTACT_KINDS
            else:
                mappings = self.turn.domain.slots.get(requested, {}).get("mappings", [])
                free = any(m.get("type") == "from_text" for m in mappings)
        disposable = isinstance(validator, SpecFormValidation) and validator.spec.disposable
        if form is not None and isinstance(validator, SpecFormValidation):
            what = validator.takes(parse, state.slots)
            takes, leaving, other = what == "answer", what == "leave", what == "other"
        typed = str(parse.get("text", ""))
        if (
            free
            and len(typed.split()) < 2
            and not (contact and sure_request(parse) and not _VALUE_SHAPED.search(typed))
        ):
            # one word at a free question is its answer, not a request; at an email or a phone,
            # one with a dot, an @ or a figure (« oliviers.admin ») always is
            takes = True
        if requested is not None and _unknown_answer(str(parse.get("text", ""))):
            takes = True  # "je sais pas" answers the question (unknown, or asked again), not help
        return Situation(
            logged_in=self.turn.user_id is not None,
            active_form=form,
            pending=state.pending.kind if state.pending else None,
            free_text_expected=free,
            secret_expected=secret,
            form_takes_message=takes,
            leaving=leaving,
            other_subject=other,
            disposable_form=disposable,
            own_intents=self.engine.own_intents(form) if form else frozenset(),
        )

    def understanding(self, parse: Parse, situation: Situation) -> Understanding:
        intent = parse.get("intent", {})
        name = str(intent.get("name", ""))
        text = str(parse.get("text", ""))
        entities = parse.setdefault("entities", [])
        if not situation.active_form and not parse.get("pressed") and not parse.get("command"):
            following = follow_up(text, entities, self.turn.state.history)
            if following is not None and self.engine.has_rule(following):
                intent = {"name": following, "confidence": 1.0}
                name = following
                keep_shown(following, entities, self.turn.state.slots)
        found = {e.get("entity") for e in entities}
        if "amount" in found or find_numbers(fold(text), entities):
            found.add("number")
        said = words(text)
        if lexicon().has("same", said):
            found.add("same")
        if RENT_WORDS.intersection(said):
            found.add("rent_word")  # « loyer durand 520 »: a rent, whoever durand is
        # Used when the intent is not sure enough: the entities say what the request is about.
        lookups = LOOKUPS if situation.logged_in else LOGGED_OUT_LOOKUPS + LOOKUPS
        lookup = next(
            (
                task
                for needed, task in lookups
                if found.issuperset(needed) and self.engine.has_rule(task)
            ),
            None,
        )
        identifier = next(
            (str(e["value"]) for e in entities if e.get("entity") == "login_identifier"), None
        )
        return Understanding(
            intent=name,
            confidence=float(intent.get("confidence", 0.0)),
            pressed=bool(parse.get("pressed")),
            command=parse.get("command"),
            agreement=self._agreement(text, name, float(intent.get("confidence", 0.0))),
            lookup_task=lookup,
            identifier=identifier,
            close=tuple(parse.get("ambiguous") or ()),
            request=(
                self._request(text)
                if (situation.active_form or situation.logged_in) and not situation.secret_expected
                else None
            ),
            small_talk=small_talk(text, name),
        )

    def _request(self, text: str) -> tuple[str, str] | None:
        return claimed_request(self.engine.claimers, text)

    @staticmethod
    def _agreement(text: str, intent: str, confidence: float) -> bool | None:
        """Yes or no to the engine's own question; a negation anywhere is never a yes."""
        message = words(text)
        lex = lexicon()
        negative = lex.has("negation", message) or lex.has("refuse", message)
        if negative:
            return False if lex.has("refuse", message) or intent == "deny" else None
        if lex.has("agree", message) and lex.covers(message, ("agree", "confirm", "filler")):
            return True
        if intent == "affirm" and confidence >= AGREEMENT_CONFIDENCE:
            return True
        if intent == "deny" and confidence >= AGREEMENT_CONFIDENCE:
            return False
        return None


def _unknown_answer(text: str) -> bool:
    """ "je sais pas", "jsp", "aucune idée": an answer to the question asked, whatever it is."""
    said = lexicon_words(text)
    forms = lexicon()
    return forms.has("unknown", said) and forms.covers(said, ("unknown", "filler"))


def small_talk(text: str, intent: str) -> str | None:
    """Thanks or goodbye, when the NLU says so and the message says it in so many words."""
    group = f"small_talk_{intent}"
    if not lexicon().phrases(group):
        return None
    return intent if lexicon().has(group, words(text)) else None


def claimed_request(actions: Iterable[object], text: str) -> tuple[str, str] | None:
    """The (intent, form) an action claims the message asks for, whatever form is active
    (« tous mes loyers sont inchangés » typed inside another form): our engine and the Rasa
    bridge both ask before the active form reads the message."""
    for action in actions:
        claims = getattr(action, "claims", None)
        if claims is not None and (request := claims(text)) is not None:
            return (str(request[0]), str(request[1]))
    return None
