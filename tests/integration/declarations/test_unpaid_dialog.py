"""The unpaid report through the engine, as a landlord types it: the opening message that names
the tenant and the month, several amounts in one message, corrections at any question and at the
recap, "pareil", "rien", and a recap that a negation never validates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.bootstrap import App
from dialogs.io import Inbound, Reply
from services.declarations.models import UnpaidReport, UnpaidReportLine

SEPTEMBER_TO_NOVEMBER = ["couture paye plus depuis septembre", "rien", "pareil", "pareil"]


class Chat:
    """One logged-in conversation; `say` returns the text of the bot's reply."""

    def __init__(self, app: App, chat_id: str = "u1") -> None:
        self.app = app
        self.chat_id = chat_id
        self.last: Reply | None = None
        for text in ("je veux me connecter", "oliviers.admin", "Oliviers-Demo-2026"):
            self.say(text)
        assert "Connexion réussie" in self.text()

    def say(self, text: str) -> str:
        self.last = self.app.engine.handle(Inbound(channel="test", chat_id=self.chat_id, text=text))
        return self.text()

    def press(self, label: str) -> str:
        assert self.last is not None
        key = next(c.key for m in self.last.messages for c in m.choices if c.label == label)
        self.last = self.app.engine.handle(
            Inbound(channel="test", chat_id=self.chat_id, choice=key)
        )
        return self.text()

    def text(self) -> str:
        assert self.last is not None
        return "\n".join(m.text for m in self.last.messages)

    def labels(self) -> list[str]:
        assert self.last is not None
        return [c.label for m in self.last.messages for c in m.choices]


def reports(app: App) -> int:
    with app.uow_factory() as uow:
        return int(uow.session.scalar(select(func.count(UnpaidReport.id))) or 0)


def stored_lines(app: App) -> list[tuple[date, int, int]]:
    with app.uow_factory() as uow:
        rows = uow.session.scalars(select(UnpaidReportLine).order_by(UnpaidReportLine.month))
        return [(row.month, row.due_cents, row.paid_cents) for row in rows]


def at_recap(app: App, chat_id: str = "u1") -> Chat:
    """Couture has paid nothing since September: 860,70 € owed, an unpaid since 1 November."""
    chat = Chat(app, chat_id)
    for text in SEPTEMBER_TO_NOVEMBER:
        reply = chat.say(text)
    assert "Récapitulatif du signalement" in reply
    return chat


def test_the_opening_message_names_the_tenant_and_the_first_month(app: App) -> None:
    chat = Chat(app)
    reply = chat.say("couture paye plus depuis août")

    assert "Locataire : COUTURE Anthony (n° allocataire 580592)" in reply
    assert "Depuis quel mois" not in reply
    assert "Pour quel locataire" not in reply
    # The due is the tenant's share: only what was paid is asked.
    assert "août 2026 (1/4) — Le locataire devait 286,90 €. Combien a-t-il payé ?" in reply
    assert chat.labels() == ["Rien payé"]


def test_a_report_in_six_messages_with_a_bare_number_rien_and_pareil(app: App) -> None:
    chat = Chat(app)
    chat.say("couture paye plus depuis août")
    assert "août 2026 : dû 286,90 €, payé 100,00 €. Dette cumulée : 186,90 €." in chat.say("100")
    assert "septembre 2026 : dû 286,90 €, payé 80,00 €" in chat.say("80")
    assert "octobre 2026 : dû 286,90 €, payé 80,00 €. Dette cumulée : 600,70 €." in chat.say(
        "pareil"
    )
    recap = chat.say("rien")
    assert "novembre 2026 : dû 286,90 €, payé 0,00 €. Dette cumulée : 887,60 €." in recap
    assert "• Début de l'impayé : août 2026" in recap
    assert "• Dette à ce jour : 887,60 €" in recap
    assert "Votre signalement d'impayé est transmis à la Caf" in chat.say("oui")
    assert [paid for _, _, paid in stored_lines(app)] == [10000, 8000, 8000, 0]


def test_several_amounts_in_one_message(app: App) -> None:
    chat = Chat(app)
    chat.say("couture paye plus depuis août")

    assert "août 2026 : dû 300,00 €, payé 100,00 €" in chat.say("dû 300, payé 100")
    september = chat.say("450 et 200")
    assert "septembre 2026 : dû 450,00 €, payé 200,00 €" in september
    # The next month's due is the last one given.
    assert "octobre 2026 (3/4) — Le locataire devait 450,00 €" in september
    assert "octobre 2026 : dû 300,00 €, payé 80,00 €" in chat.say("dû 300 payé 80")
    assert "novembre 2026 : dû 286,90 €, payé 0,00 €" in chat.say("dû 286,90 et rien payé")


def test_a_correction_at_the_amount_question_is_not_its_answer(app: App) -> None:
    chat = Chat(app)
    chat.say("couture paye plus depuis août")
    chat.say("100")

    corrected = chat.say("non le loyer dû c'est 480")
    assert "septembre 2026 :" not in corrected  # nothing recorded as paid
    assert "septembre 2026 (2/4) — Le locataire devait 480,00 €" in corrected

    earlier = chat.say("ah non en août il avait payé 120")
    assert "août 2026 : dû 286,90 €, payé 120,00 €" in earlier
    assert "septembre 2026 (2/4)" in earlier  # September is still the question
    assert "septembre 2026 : dû 480,00 €, payé 0,00 €" in chat.say("rien payé du tout")


def test_corrections_at_the_recap_change_the_months_and_are_sent(app: App) -> None:
    chat = at_recap(app)

    every_month = chat.say("non le loyer dû c'est 290")
    assert "Montant dû corrigé pour chacun des 3 mois : 290,00 €" in every_month
    assert "• octobre 2026 : dû 290,00 €, payé 0,00 €" in every_month
    one_month = chat.say("payé 50 en octobre")
    assert "octobre 2026 : dû 290,00 €, payé 50,00 €. Dette cumulée : 820,00 €." in one_month
    assert "• Dette à ce jour : 820,00 €" in one_month
    assert "Pour quel mois" in chat.say("payé 20")  # several months: which one?

    assert "transmis à la Caf" in chat.say("valider")
    assert stored_lines(app) == [
        (date(2026, 9, 1), 29000, 0),
        (date(2026, 10, 1), 29000, 5000),
        (date(2026, 11, 1), 29000, 0),
    ]


def test_a_payment_corrected_by_its_wrong_amount_at_the_recap_finds_its_month(app: App) -> None:
    chat = at_recap(app)
    chat.say("payé 50 en octobre")
    # « pas 50 »: the one month whose payment was 50
    corrected = chat.say("non pas 50, 60")
    assert "octobre 2026 : dû 286,90 €, payé 60,00 €" in corrected
    assert "Je n'ai rien transmis" not in corrected
    assert "Pour quel mois" in chat.say("non c'est 70")  # no wrong amount said: which month?
    assert "transmis à la Caf" in chat.say("valider")
    assert [paid for _, _, paid in stored_lines(app)] == [0, 6000, 0]


def test_pareil_needs_a_month_before(app: App) -> None:
    chat = Chat(app)
    chat.say("couture paye plus depuis octobre")

    first = chat.say("pareil")
    assert "Je ne connais pas de valeur précédente à reprendre" in first
    assert "octobre 2026 :" not in first
    chat.say("30")
    assert "Pareil que le mois précédent (payé 30,00 €)" in chat.labels()
    assert "novembre 2026 : dû 286,90 €, payé 30,00 €" in chat.press(
        "Pareil que le mois précédent (payé 30,00 €)"
    )


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("je ne veux pas valider", "Je n'ai rien transmis"),
        ("ne transmettez pas", "Je n'ai rien transmis"),
        ("non", "Je n'ai rien transmis"),
        ("invalide", "Je n'ai rien transmis"),
        ("pas encore, je veux vérifier avant d'envoyer", "Que voulez-vous modifier ?"),
    ],
)
def test_a_negation_at_the_recap_never_transmits(app: App, text: str, answer: str) -> None:
    chat = at_recap(app)

    reply = chat.say(text)
    assert answer in reply
    assert "transmis à la Caf" not in reply
    assert reports(app) == 0
    if "Rien, revenir au récapitulatif" in chat.labels():
        assert "Récapitulatif du signalement" in chat.press("Rien, revenir au récapitulatif")
    # The report is still there: a plain yes sends it.
    assert "transmis à la Caf" in chat.say("oui")
    assert reports(app) == 1


@pytest.mark.parametrize("text", ["oui", "ok c bon", "valide"])
def test_a_plain_yes_at_the_recap_transmits(app: App, text: str) -> None:
    chat = at_recap(app)

    assert "Votre signalement d'impayé est transmis à la Caf" in chat.say(text)
    assert reports(app) == 1


def test_modifier_by_name_one_month_every_amount_or_the_first_month(app: App) -> None:
    chat = at_recap(app)

    october = chat.say("modifier octobre")
    assert "octobre 2026 (2/3) — Le locataire devait 286,90 €" in october
    assert "• octobre 2026 : dû 286,90 €, payé 40,00 €" in chat.say("40")

    chat.say("modifier")
    assert "Le premier mois impayé" in chat.labels()
    again = chat.say("tous les montants")
    assert "septembre 2026 (1/3)" in again
    chat.say("10")
    chat.say("pareil")
    assert "• novembre 2026 : dû 286,90 €, payé 10,00 €" in chat.say("pareil")

    chat.say("modifier")
    chat.press("Le premier mois impayé")
    # An earlier first month: only August is asked, September to November are kept.
    assert "août 2026 (1/4) — Le locataire devait 286,90 €" in chat.say("depuis août")
    recap = chat.say("100")
    assert "(2/4)" not in recap
    assert "• Début de l'impayé : août 2026" in recap
    assert "• septembre 2026 : dû 286,90 €, payé 10,00 €" in recap
    assert "• Dette à ce jour : 1 017,60 €" in recap


def test_leaving_asks_for_confirmation_and_stores_nothing(app: App) -> None:
    chat = at_recap(app)

    assert "Voulez-vous vraiment abandonner le signalement d'impayé" in chat.say("quitter")
    assert "Récapitulatif du signalement" in chat.say("non")
    chat.say("annuler")
    assert "rien n'a été enregistré" in chat.say("oui")
    assert reports(app) == 0


@pytest.mark.parametrize("text", ["2 mois", "ca fait 3 mois", "depuis 2 semaines"])
def test_a_length_of_time_is_never_read_as_a_payment(app: App, text: str) -> None:
    chat = Chat(app)
    chat.say("couture paye plus depuis septembre")
    answer = chat.say(text)
    assert "payé" not in answer.split("Combien")[0]
    assert "Je n'ai pas compris ce montant" in answer
    assert "septembre 2026 (1/3)" in answer  # asked again


@pytest.mark.parametrize("said", ["il paye 100 par mois", "100 chaque mois", "tous les mois 100"])
def test_a_payment_said_for_every_month_fills_every_month_left(app: App, said: str) -> None:
    chat = Chat(app)
    chat.say("couture paye plus depuis août")
    chat.say("80")
    recap = chat.say(said)
    assert (
        "Noté : payé 100,00 € chaque mois (dû 286,90 €) de septembre 2026 à novembre 2026, "
        "soit 3 mois. Dette cumulée : 767,60 €." in recap
    )
    assert "• octobre 2026 : dû 286,90 €, payé 100,00 €" in recap
    assert "Votre signalement d'impayé est transmis à la Caf" in chat.say("oui")
    assert [paid for _, _, paid in stored_lines(app)] == [8000, 10000, 10000, 10000]


def test_a_count_of_months_unpaid_names_the_first_month(app: App) -> None:
    chat = Chat(app)
    said = chat.say("mr couture ne paye plus son loyer depuis 3 mois")
    assert "depuis septembre 2026 jusqu'à ce mois-ci (3 mois)" in said
    assert "septembre 2026 (1/3)" in said
