"""The domain and rules files stay Rasa 3 files: one per capability, with Rasa's keys only, and
merged they hold no name twice."""

from __future__ import annotations

from importlib import resources

import yaml

from dialogs.domain import CAPABILITIES

DOMAIN_KEYS = {
    "version", "session_config", "intents", "entities", "slots", "forms", "actions", "responses",
}  # fmt: skip


def _load(path: str) -> dict:
    return yaml.safe_load(resources.files("dialogs").joinpath(path).read_text("utf-8"))


def test_each_capability_has_a_rasa_3_domain_file_and_rules_file() -> None:
    for capability in CAPABILITIES:
        domain = _load(f"domain/{capability}.yml")
        rules = _load(f"rules/{capability}.yml")
        assert domain["version"] == rules["version"] == "3.1"
        assert set(domain) <= DOMAIN_KEYS, capability
        assert set(rules) == {"version", "rules"}, capability
        for rule in rules["rules"]:
            assert set(rule) <= {"rule", "condition", "steps", "wait_for_user_input"}, rule
        for name, variants in domain.get("responses", {}).items():
            assert name.startswith("utter_"), name
            assert all(set(variant) <= {"text", "buttons", "channel"} for variant in variants), name


def test_no_name_is_defined_in_two_capabilities() -> None:
    seen: dict[tuple[str, str], str] = {}
    for capability in CAPABILITIES:
        domain = _load(f"domain/{capability}.yml")
        for key in ("intents", "entities", "actions", "slots", "forms", "responses"):
            for name in domain.get(key, []):
                assert (key, name) not in seen, (key, name, seen.get((key, name)), capability)
                seen[(key, name)] = capability


def test_every_task_the_engine_may_ask_about_has_a_french_button_label() -> None:
    """« Je veux être sûr de bien vous comprendre » offers two tasks by these labels."""
    from dialogs.nlu.model import TASK_INTENTS

    responses: dict = {}
    for capability in CAPABILITIES:
        responses.update(_load(f"domain/{capability}.yml").get("responses", {}))
    for intent in TASK_INTENTS:
        label = responses.get(f"utter_button_{intent}")
        assert label, intent
        assert "_" not in label[0]["text"], intent
