"""How an answer is written back to the user: in a recap row, or said back after a message.

Every word comes from the domain's responses (`utter_value_yes`, `utter_label_<slot>`,
`utter_option_<slot>_<key>`, ...); this module only picks which one and fills it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from dialogs.domain import Domain
from dialogs.forms.spec import Answers, FormSpec, Kind, Question
from services.core.money import format_euros
from services.documents.texts import month_label


def text(domain: Domain, response: str, **values: Any) -> str:
    return domain.render(response, **values).text


def label(domain: Domain, slot: str) -> str:
    name = f"utter_label_{slot}"
    return text(domain, name) if domain.has_response(name) else slot


def option_label(domain: Domain, slot: str, key: str) -> str:
    name = f"utter_option_{slot}_{key}"
    return text(domain, name) if domain.has_response(name) else key


def option_labels(domain: Domain, spec: FormSpec) -> dict[str, dict[str, list[str]]]:
    """Every choice question's labels, per option: what a typed answer is matched against."""
    return {
        q.slot: {
            key: [option_label(domain, q.slot, key), key.replace("_", " ")] for key in q.options
        }
        for q in spec.questions
        if q.kind is Kind.CHOICE
    }


def slot_labels(domain: Domain, spec: FormSpec) -> dict[str, str]:
    return {q.slot: label(domain, q.slot) for q in spec.questions}


def value(domain: Domain, question: Question, answer: Any, answers: Answers) -> str:
    """An answer as the user reads it."""
    if answer is None or answer == "":
        specific = f"utter_value_unknown_{question.slot}"
        return text(domain, specific if domain.has_response(specific) else "utter_value_unknown")
    kind = question.kind
    if kind is Kind.YES_NO:
        return text(domain, "utter_value_yes" if answer else "utter_value_no")
    if kind is Kind.AMOUNT:
        return format_euros(int(answer))
    if kind is Kind.DATE:
        try:
            return date.fromisoformat(str(answer)).strftime("%d/%m/%Y")
        except ValueError:
            return str(answer)
    if kind is Kind.MONTH:
        try:
            return month_label(date.fromisoformat(f"{str(answer)[:7]}-01"))
        except ValueError:
            return str(answer)
    if kind is Kind.TENANT:
        name = answers.get(f"{question.slot}_name")
        return str(name) if name else str(answer)
    if kind is Kind.CHOICE:
        return option_label(domain, question.slot, str(answer))
    if kind is Kind.SECRET:
        return "••••••"
    if kind is Kind.PHONE and str(answer).isdigit() and len(str(answer)) == 10:
        digits = str(answer)
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return str(answer)


def rows(domain: Domain, spec: FormSpec, answers: Answers, defaulted: Mapping[str, Any]) -> str:
    """The recap's rows, one per answer in effect, defaults marked as such."""
    lines = []
    for question in spec.in_effect(answers):
        if not question.recap:
            continue
        shown = value(domain, question, answers.get(question.slot), answers)
        marked = question.slot in defaulted and answers.get(question.slot) != ""
        response = "utter_recap_row_default" if marked else "utter_recap_row"
        lines.append(text(domain, response, label=label(domain, question.slot), value=shown))
    return "\n".join(lines)


def said_back(domain: Domain, items: list[tuple[str, str]]) -> str:
    """ "Montant du loyer : 385,00 € · Colocation : Non" for the answers a message gave."""
    return " · ".join(text(domain, "utter_item", label=name, value=shown) for name, shown in items)
