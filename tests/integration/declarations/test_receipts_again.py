"""A transmitted rent's or change's receipt asked again, in words or from the tenant card: the
same PDF, reference and figures; nothing for what was not transmitted, nor for a tenant outside
the scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from bot.bootstrap import App
from services.core.db import UowFactory
from services.core.errors import NotFound
from services.declarations.change_receipts import transmitted_change
from services.declarations.models import ChangeKind
from services.declarations.rent import transmitted_rent
from services.declarations.unpaid import transmitted_unpaid
from tests.integration.chat import Chat
from tests.integration.conftest import pdf_text


def _theirs_only(
    service: Callable[..., Any], uow_factory: UowFactory, user_id: Callable[[str], int], tenant: int
) -> Any:
    """What the service gives LES OLIVIERS for its tenant; Jean Martin gets `NotFound`."""
    today = date(2026, 11, 23)
    done = service(uow_factory(), user_id=user_id("oliviers.admin"), tenant_id=tenant, today=today)
    with pytest.raises(NotFound):
        service(uow_factory(), user_id=user_id("jean.martin"), tenant_id=tenant, today=today)
    return done


def _pdf(chat: Chat) -> str:
    assert chat.last is not None
    documents = [m.document for m in chat.last.messages if m.document is not None]
    assert len(documents) == 1
    return pdf_text(documents[0].content)


def test_the_receipt_is_sent_again_when_asked_in_words_or_from_the_card(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer brisson 330")
    sent = chat.say("oui")
    reference = sent.split("Référence ")[1].split(",")[0]
    first = _pdf(chat)

    again = chat.say("renvoyez moi le recu de brisson svp")
    assert "Voici de nouveau le récapitulatif de votre déclaration" in again
    assert reference in again
    assert _pdf(chat) == first

    assert "Fiche locataire : BRISSON Isabelle" in chat.say("fiche brisson")
    assert reference in chat.press("Récapitulatif du loyer (PDF)")
    assert reference in _pdf(chat)


def test_no_receipt_for_a_rent_not_transmitted(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    answer = chat.say("le justificatif du loyer de couture stp")
    assert "n'a pas encore été transmis" in answer
    assert chat.last is not None
    assert not [m.document for m in chat.last.messages if m.document is not None]
    assert "Récapitulatif du loyer (PDF)" not in [
        c.label for m in chat.last.messages for c in m.choices
    ]


def test_another_landlords_tenant_has_no_receipt_for_them(
    uow_factory: UowFactory,
    user_id: Callable[[str], int],
    tenant_id: Callable[[str], int],
) -> None:
    # Beauvois's 2026 rent is transmitted in the demo data, by LES OLIVIERS
    today = date(2026, 11, 20)
    done = transmitted_rent(
        uow_factory(),
        user_id=user_id("oliviers.admin"),
        tenant_id=tenant_id("BEAUVOIS"),
        today=today,
    )
    assert done.reference
    with pytest.raises(NotFound):
        transmitted_rent(
            uow_factory(),
            user_id=user_id("jean.martin"),
            tenant_id=tenant_id("BEAUVOIS"),
            today=today,
        )


def test_a_changes_receipt_is_sent_again_the_same(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("murot est partie le 3/11, nouvelle adresse 12 rue des lilas 14000 caen")
    chat.say("le même jour")
    sent = chat.say("oui")
    reference = sent.split("Référence ")[1].split(",")[0]
    first = _pdf(chat)
    assert reference.startswith("DEP-")

    again = chat.say("je n'ai plus le recap du depart de murot")
    assert (
        "Voici de nouveau le récapitulatif de votre déclaration de départ (MUROT Esther)" in again
    )
    assert reference in again
    assert _pdf(chat) == first  # same rows, reference, date and author
    assert "12 rue des lilas 14000 caen" in first

    chat.say("fiche murot")
    assert reference in chat.press("Récapitulatif du départ (PDF)")
    assert "plus de récapitulatif" not in chat.say("le recu de la coloc de murot")


def test_no_changes_receipt_when_none_was_transmitted(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    answer = chat.say("le reçu de la coloc de couture")
    assert "pas de récapitulatif à vous renvoyer" in answer
    assert chat.last is not None
    assert not [m.document for m in chat.last.messages if m.document is not None]


def test_another_landlords_change_has_no_receipt_for_them(
    app: App,
    uow_factory: UowFactory,
    user_id: Callable[[str], int],
    tenant_id: Callable[[str], int],
) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("murot est partie le 3/11")
    chat.say("le même jour")
    chat.say("oui")
    done = _theirs_only(transmitted_change, uow_factory, user_id, tenant_id("MUROT"))
    assert done.kind is ChangeKind.DEPARTURE


def test_an_unpaid_reports_receipt_is_sent_again_the_same(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("couture paye plus depuis août")
    chat.say("100")
    chat.say("80")
    chat.say("pareil")
    chat.say("rien")
    sent = chat.say("oui")
    reference = sent.split("Référence ")[1].split(",")[0]
    first = _pdf(chat)
    assert reference.startswith("IMP-")

    again = chat.say("renvoyez moi le recu de l'impayé de couture")
    assert "récapitulatif de votre signalement d'impayé (COUTURE Anthony" in again
    assert reference in again
    assert _pdf(chat) == first  # the same rows, rule, thresholds, reference and date

    chat.say("fiche couture")
    assert reference in chat.press("Récapitulatif de l'impayé (PDF)")
    # the rent's receipt, none for Couture, is not another declaration's
    assert "n'a pas encore été transmis" in chat.say("le recu du loyer de couture")


def test_another_landlords_unpaid_report_has_no_receipt_for_them(
    app: App,
    uow_factory: UowFactory,
    user_id: Callable[[str], int],
    tenant_id: Callable[[str], int],
) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("couture paye plus depuis août")
    for answer in ("rien", "rien", "rien", "rien"):
        chat.say(answer)
    assert "transmis à la Caf" in chat.say("oui")
    done = _theirs_only(transmitted_unpaid, uow_factory, user_id, tenant_id("COUTURE"))
    assert done.reference.startswith("IMP-")
