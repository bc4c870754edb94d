"""Every text the user reads is correct French: each response of the domain, each FAQ answer and
each text the services write, rendered with sample values (months and names that start with a vowel, counts
that are plural), is checked for what a careful writer never leaves: "(s)" and "(e)" instead of
an agreed word, "de août" instead of "d'août", "jusqu'à 30/11/2026" instead of "jusqu'au",
"bouton" (the terminal has none: the channel says how a choice is picked), a large number
without its thousands apart, and an example naming a tenant (the user may have no such tenant).
"""

from __future__ import annotations

import re
import string
from importlib import resources
from typing import Any

import pytest
import yaml

from dialogs.domain import Domain
from dialogs.wording import count, elides

# Values that expose missing agreement or elision: vowels first, plurals, large numbers.
SAMPLES: dict[str, str] = {
    "month": "août 2026",
    "first": "avril 2026",
    "last": "octobre 2026",
    "day": "30/11/2026",
    "until": "30/11/2026",
    "when": "23/11/2026 à 10:00",
    "constituted_on": "01/08/2026",
    "report_by": "01/11/2026",
    "departed": "10/11/2026",
    "since": "10/07/2012",
    "opened": "01/01/2026",
    "closed": "",
    "on": "30/11/2026",
    "today": "23/11/2026",
    "tenant": "Isabelle ANDRÉ",
    "name": "Anne ARNAUD",
    "organisation": "LES OLIVIERS",
    "count": "2",
    "total": "12 345",
    "remaining": "2 loyers",
}

ELIDED = "_elided"
CONSONANT_SAMPLES = {
    "month": "mai 2026",
    "first": "mai 2026",
    "tenant": "Paul MARTIN",
    "name": "Paul",
}
# Texts of the accounts dialogs, which their own work is rewriting; listed here so that the rest is
# checked meanwhile (their faults: "que Anne", "de Anne", "logement(s)", "choisi(s)").
OWNED_BY_ACCOUNTS: set[str] = set()

FAULTS = {
    "(s)": re.compile(r"\((?:s|e|es|x)\)"),
    "de + vowel": re.compile(r"(?<![\w'’])de (?=[aeiouyàâéèêëîïôûAEIOUYÀÂÉÈÊÎÔÛ])"),
    "que + vowel": re.compile(r"(?<![\w'’-])(?:que|le|la|je|ne|se) (?=[aeiouyéèêàAEIOUÉ]\w)"),
    "jusqu'à + date": re.compile(r"jusqu['’]à (?:le |\d)"),
    "bouton": re.compile(r"\bboutons?\b", re.IGNORECASE),
    "large number": re.compile(r"(?<![\d,./:])\d{5,}(?![\d/])"),
}
# Words after which an elided article is wrong, and numbers that are identifiers, not amounts.
ALLOWED = (
    re.compile(r"\b(?:n°|numéro|allocataire|référence|code postal)\b[^.\n]{0,30}\d{5,}", re.I),
    re.compile(r"\d{5} [A-Z]"),  # a postcode before its commune
    re.compile(r"(?:la|le) (?:Caf|un|une|huit|onze|ou)\b"),  # "le ou les": no elision
)
TENANT_EXAMPLE = re.compile(r"«[^»]*\b(?:brisson|couture|milome|murot|nguyen|lebrun)\b[^»]*»", re.I)


def _fields(template: str) -> list[str]:
    return [field for _, field, _, _ in string.Formatter().parse(template) if field]


class _Samples(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec and isinstance(value, str):
            return format(2, format_spec)  # a count written with its own format
        return str(format(value, format_spec))


def _render(template: str, samples: dict[str, str] | None = None) -> str:
    chosen = {**SAMPLES, **(samples or {})}
    values: dict[str, Any] = {field: chosen.get(field, "X") for field in _fields(template)}
    return _Samples().vformat(template, (), values)


def _domain_texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    responses = Domain.load().data.get("responses", {})
    for name, variants in responses.items():
        if name in OWNED_BY_ACCOUNTS:
            continue
        # A response with an elided sibling ("de {first}" / "d'{first}") is used before a consonant.
        samples = CONSONANT_SAMPLES if f"{name}{ELIDED}" in responses else {}
        for variant in variants:
            found.append((name, _render(str(variant.get("text", "")), samples)))
            for button in variant.get("buttons") or []:
                title = _render(str(button.get("title", "")), samples)
                found.append((f"{name} (button)", title))
    return found


# Keys of YAML files whose values nobody reads: button payloads, and words typed by users.
NOT_TEXTS = frozenset({"payload", "words", "asking", "asking_marked"})


def _yaml_texts(package: str, name: str) -> list[tuple[str, str]]:
    raw = yaml.safe_load(resources.files(package).joinpath(name).read_text(encoding="utf-8"))

    def walk(prefix: str, node: Any) -> list[tuple[str, str]]:
        if isinstance(node, dict):
            return [
                item
                for key, value in node.items()
                if key not in NOT_TEXTS
                for item in walk(f"{prefix}.{key}", value)
            ]
        if isinstance(node, list):
            return [item for value in node for item in walk(prefix, value)]
        return [(prefix, _render(str(node)))] if isinstance(node, str) else []

    return walk(name, raw)


def _faults(rendered: str) -> list[str]:
    cleaned = rendered
    for allowed in ALLOWED:
        cleaned = allowed.sub("", cleaned)
    found = [fault for fault, pattern in FAULTS.items() if pattern.search(cleaned)]
    if TENANT_EXAMPLE.search(rendered):
        found.append("example naming a tenant")
    return found


@pytest.mark.parametrize("source", ["domain", "services", "faq"])
def test_every_text_is_written_in_correct_french(source: str) -> None:
    texts = {
        "domain": _domain_texts,
        "services": lambda: _yaml_texts("services.documents", "texts.yml"),
        "faq": lambda: _yaml_texts("dialogs", "faq.yml"),
    }[source]()
    assert len(texts) > 20
    wrong = [(name, fault, text) for name, text in texts for fault in _faults(text)]
    assert not wrong, "\n".join(f"{name}: {fault}: {text!r}" for name, fault, text in wrong)


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("Il reste 2 loyer(s)", "(s)"),
        ("déclaré(e)", "(s)"),
        ("le loyer de août 2026", "de + vowel"),
        ("jusqu'à 30/11/2026", "jusqu'à + date"),
        ("choisissez un bouton", "bouton"),
        ("+28471 %", "large number"),
        ("par exemple « loyer brisson 330 »", "example naming a tenant"),
    ],
)
def test_the_check_sees_each_fault(text: str, fault: str) -> None:
    assert fault in _faults(text)


def test_counts_agree_and_months_elide() -> None:
    assert count(1, "rent") == "1 loyer"
    assert count(0, "rent") == "0 loyer"
    assert count(2, "rent") == "2 loyers"
    assert count(28471, "line") == "28\u202f471 lignes"
    assert [elides(word) for word in ("août 2026", "avril", "Octobre", "mai", "juin")] == [
        True,
        True,
        True,
        False,
        False,
    ]


# What the help must name for each request the rules answer (greetings and the like aside).
HELP_NAMES = {
    "declare_rent": "loyer",
    "declare_change": "changement",
    "report_unpaid": "impayé",
    "list_tenants": "mes locataires",
    "view_payments": "paiements",
    "send_spreadsheet": "tableau",
    "manage_reminders": "rappels",
    "manage_users": "utilisateurs",
    "faq_lost_identifier": "identifiant perdu",
    "faq_forgot_password": "mot de passe oublié",
    "faq_user_number": "numéro utilisateur",
    "contact_caf": "contacter la caf",
    "login": "connecter",
    "logout": "déconnexion",
}


def test_the_help_lists_everything_the_bot_does() -> None:
    domain = Domain.load()
    help_text = domain.render("utter_help").text.casefold()
    answered = {intent for intent in domain.intent_rules}
    missing = [
        intent
        for intent, name in HELP_NAMES.items()
        if intent in answered and name not in help_text
    ]
    assert not missing
    assert "annuler" in help_text
