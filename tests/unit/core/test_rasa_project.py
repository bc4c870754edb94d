"""The Rasa project trains on our own files: its domain is ours and declares everything used.

Rasa refuses, or silently ignores, an intent, slot, action or response its domain does not
declare; these checks catch one added in our code or data and forgotten in the domain.
"""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import yaml

from dialogs.actions import MODULES
from dialogs.domain import CAPABILITIES, Domain

ROOT = Path(__file__).resolve().parents[3]
PROJECT = ROOT / "rasa_project"
NLU_FILES = [*sorted((ROOT / "nlu_data").glob("*.yml")), PROJECT / "data" / "buttons.yml"]
RULE_FILES = [*sorted((ROOT / "dialogs" / "rules").glob("*.yml")), PROJECT / "data" / "rules.yml"]
STORY_FILES = sorted((PROJECT / "data").glob("stories*.yml"))
RASA_DEFAULT_INTENTS = {"nlu_fallback", "restart", "back", "out_of_scope", "session_start"}


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _domain() -> Domain:
    return Domain.load()


FORM_SLOTS = PROJECT / "domain" / "form_slots.yml"


def test_the_rasa_domain_is_our_domain_files_and_the_forms_own_slots() -> None:
    linked = {p.name: p.resolve() for p in (PROJECT / "domain").iterdir()}
    ours = {p.name: p.resolve() for p in (ROOT / "dialogs" / "domain").glob("*.yml")}
    assert {f"{c}.yml" for c in CAPABILITIES} <= set(ours)
    assert linked == {**ours, FORM_SLOTS.name: FORM_SLOTS.resolve()}
    assert set(_yaml(FORM_SLOTS)) == {"version", "slots"}


def test_every_intent_of_the_training_data_is_declared_and_has_examples() -> None:
    trained = {
        item["intent"]
        for path in NLU_FILES
        for item in _yaml(path).get("nlu", [])
        if "intent" in item
    }
    declared = set(_domain().data["intents"])
    assert trained <= declared, trained - declared
    assert declared <= trained, declared - trained


def test_every_rule_uses_declared_intents_and_actions() -> None:
    domain = _domain()
    intents = set(domain.data["intents"]) | RASA_DEFAULT_INTENTS
    known = set(domain.data["actions"]) | set(domain.data["responses"]) | set(domain.forms)
    for path in RULE_FILES:
        for rule in _yaml(path)["rules"]:
            for step in rule["steps"]:
                assert step.get("intent", "greet") in intents, (path.name, step)
                assert step.get("action", "action_greet") in known, (path.name, step)


def test_every_story_uses_declared_intents_actions_forms_and_slots() -> None:
    domain = _domain()
    intents = set(domain.data["intents"]) | RASA_DEFAULT_INTENTS
    known = set(domain.data["actions"]) | set(domain.data["responses"]) | set(domain.forms)
    slots = set(domain.slots) | set(_yaml(FORM_SLOTS)["slots"]) | {"requested_slot"}
    assert STORY_FILES
    for path in STORY_FILES:
        stories = _yaml(path)["stories"]
        assert stories and set(_yaml(path)) == {"version", "stories"}
        for story in stories:
            for step in story["steps"]:
                assert step.get("intent", "greet") in intents, (story["story"], step)
                assert step.get("action", "action_greet") in known, (story["story"], step)
                loop = step.get("active_loop")
                assert loop is None or loop in domain.forms, (story["story"], step)
                for slot in step.get("slot_was_set", []):
                    assert set(slot) <= slots, (story["story"], step)


def test_stories_take_every_form_through_its_completion_rule() -> None:
    """A form closed in a story is followed by the action its completion rule names."""
    completion = {
        rule["condition"][0]["active_loop"]: rule["steps"][-1]["action"]
        for path in RULE_FILES
        for rule in _yaml(path)["rules"]
        if rule.get("condition")
    }
    for path in STORY_FILES:
        for story in _yaml(path)["stories"]:
            steps = story["steps"]
            for i, step in enumerate(steps):
                if "active_loop" in step and step["active_loop"] is None:
                    form = next(s["action"] for s in reversed(steps[:i]) if "action" in s)
                    after = next(s["action"] for s in steps[i + 1 :] if "action" in s)
                    assert after == completion[form], (story["story"], form, after)


def _source() -> str:
    files = [*(ROOT / "dialogs").rglob("*.py"), *(ROOT / "bot").glob("rasa_*.py")]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_every_slot_an_action_sets_is_declared() -> None:
    declared = set(_domain().slots) | set(_yaml(FORM_SLOTS)["slots"]) | {"requested_slot"}
    literal = set(re.findall(r"SlotSet\(\s*\"(\w+)\"", _source()))
    spec_slots: set[str] = set()
    for name in MODULES:
        for form in getattr(import_module(f"dialogs.actions.{name}"), "FORMS", ()):
            spec_slots |= set(form.spec.slots())
    assert not set(_yaml(FORM_SLOTS)["slots"]) & set(_domain().slots)
    assert literal <= declared, literal - declared
    assert spec_slots <= declared, spec_slots - declared


def test_every_response_named_in_the_code_is_declared() -> None:
    responses = set(_domain().data["responses"])
    named = set(re.findall(r"response=\"(utter_\w+)\"", _source()))
    named |= set(re.findall(r"\"response\": \"(utter_\w+)\"", _source()))
    assert named and named <= responses, named - responses


def test_no_example_is_labelled_with_two_intents() -> None:
    """Rasa's validation fails on an example found under two intents."""
    seen: dict[str, str] = {}
    for path in NLU_FILES:
        for item in _yaml(path).get("nlu", []):
            if "intent" not in item:
                continue
            for line in str(item.get("examples", "")).splitlines():
                text = re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", line.strip()[2:])
                if not text:
                    continue
                other = seen.setdefault(text.strip().lower(), item["intent"])
                assert other == item["intent"], (text, other, item["intent"])
