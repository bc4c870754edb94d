"""The FAQ knowledge base: every account intent answered, in French, with buttons the domain
knows."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from dialogs.domain import Domain

INTENTS = [
    "faq_user_number",
    "faq_lost_identifier",
    "faq_forgot_password",
    "faq_first_login",
    "faq_administrator",
    "faq_rent_excluding_charges",
    "manage_users",
    "contact_caf",
]


def _load(name: str) -> dict:
    return yaml.safe_load(resources.files("dialogs").joinpath(name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def faq() -> dict:
    return _load("faq.yml")["faq"]


def test_every_account_intent_has_an_answer(faq):
    assert sorted(faq) == sorted(INTENTS)
    for intent, entry in faq.items():
        assert set(entry) == {"text", "buttons"}, intent
        assert 40 < len(entry["text"]) < 1200, intent


def test_buttons_lead_to_intents_the_domain_knows(faq):
    known = set(Domain.load().data["intents"]) | {"menu"}
    for intent, entry in faq.items():
        assert entry["buttons"], intent
        for button in entry["buttons"]:
            assert set(button) == {"title", "payload"}
            assert button["payload"].startswith("/")
            assert button["payload"][1:] in known, (intent, button)
            assert button["payload"][1:] != intent


def test_answers_use_vouvoiement_and_the_reference_facts(faq):
    text = " ".join(entry["text"] for entry in faq.values())
    assert " tu " not in f" {text.lower()} " and " ton " not in f" {text.lower()} "
    assert "14 caractères" in faq["faq_user_number"]["text"]
    assert "2 courriers distincts" in faq["faq_first_login"]["text"]
    assert "24 heures" in faq["faq_forgot_password"]["text"]
    assert "3230" in faq["contact_caf"]["text"]
    assert "secret professionnel" in faq["contact_caf"]["text"]


def test_rent_answer_says_charges_are_left_out(faq):
    text = faq["faq_rent_excluding_charges"]["text"]
    assert "charges comprises" in text and "juillet" in text and "forfait" in text
