"""An unpaid rent reported through the terminal, month by month to its receipt, under the dated
rule in force, with refusals in French."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.bootstrap import App
from services.core.clock import PARIS
from services.declarations.models import UnpaidReport
from tests.conftest import TestClock as Clock
from tests.e2e.console_chat import count_of, pdf_of, talk


def test_couture_unpaid_month_by_month_to_the_receipt(app: App, tmp_path: Path) -> None:
    lines = [
        "signaler un impayé pour Couture",
        "Depuis août 2026 (d'après votre suivi)",
        "100",  # the due is the tenant's monthly share: only what was paid is asked
        "80 €",
        "pareil",  # October: the same due and paid as September
        "Rien payé",
        "Valider",
    ]
    output = talk(app, lines, tmp_path)
    assert "depuis août 2026 jusqu'à ce mois-ci (4 mois)" in output
    assert "août 2026 (1/4) — Le locataire devait 286,90 €. Combien a-t-il payé ?" in output
    assert "septembre 2026 : dû 286,90 €, payé 80,00 €. Dette cumulée : 393,80 €." in output
    assert "octobre 2026 : dû 286,90 €, payé 80,00 €. Dette cumulée : 600,70 €." in output
    assert "• Dette à ce jour : 887,60 €" in output
    assert "Impayé constitué le 01/10/2026, à signaler avant le 01/12/2026" in output
    assert "Votre signalement d'impayé est transmis à la Caf" in output
    assert "CCAPEX" in output and "six mois" in output
    text = pdf_of(output)
    assert "COUTURE Anthony" in text and "887,60 €" in text
    assert count_of(app, UnpaidReport) == 1
    again = talk(app, ["signaler un impayé pour Couture"], tmp_path, chat_id="bob")
    assert "Un impayé est déjà signalé pour COUTURE Anthony" in again


def test_the_month_given_with_the_report_is_not_asked_again(app: App, tmp_path: Path) -> None:
    output = talk(app, ["couture paye plus depuis aout"], tmp_path)

    assert "COUTURE Anthony" in output
    assert "Depuis quel mois le loyer n'est-il plus payé" not in output
    assert "depuis août 2026 jusqu'à ce mois-ci (4 mois)" in output
    assert "août 2026 (1/4) — Le locataire devait 286,90 €" in output


def test_a_month_with_an_unknown_tenant_waits_for_the_tenant(app: App, tmp_path: Path) -> None:
    output = talk(app, ["impayé de Zorglub depuis aout", "Couture"], tmp_path)

    assert "Depuis quel mois le loyer n'est-il plus payé" in output
    assert "(1/4) — Le locataire devait" not in output


def test_modifier_corrects_one_month_and_keeps_the_others(app: App, tmp_path: Path) -> None:
    lines = [
        "signaler un impayé pour Couture",
        "Depuis août 2026 (d'après votre suivi)",
        "100",
        "80 €",
        "pareil",
        "Rien payé",
        "Modifier",
        "septembre 2026 seulement",
        "50",  # September: 50 € paid, not 80 €
        "Valider",
    ]
    output = talk(app, lines, tmp_path)
    modifier = output.split("Que voulez-vous modifier ?", 1)[1]
    recap = output.split("septembre 2026 : dû 286,90 €, payé 50,00 €", 1)[1]
    assert "Dette cumulée : 917,60 €" in output.split("payé 50,00 €", 1)[1]
    assert "septembre 2026 (2/4) — Le locataire devait 286,90 €" in modifier
    assert "• Dette à ce jour : 917,60 €" in recap
    # August, October and November were kept, not asked again.
    assert "(3/4)" not in modifier and "(4/4)" not in modifier
    assert "Votre signalement d'impayé est transmis à la Caf" in recap
    assert "917,60 €" in pdf_of(output)


def _beauvois(app: App, clock: Clock, moment: datetime, first: str, tmp: Path, cid: str) -> str:
    clock.moment = moment
    lines = ["signaler un impayé", "Beauvois", first, "dû 262 payé 32", "pareil", "Valider"]
    return talk(app, lines, tmp, chat_id=cid)


def test_the_dated_rule_on_both_sides_of_1_january_2027(
    app: App, clock: Clock, tmp_path: Path
) -> None:
    # 460 € owed: under 2 × 262 € before 2027, over the 450 € of the 2027 rule afterwards.
    before = _beauvois(
        app, clock, datetime(2026, 12, 20, 10, tzinfo=PARIS), "novembre 2026", tmp_path, "c1"
    )
    assert "Dette cumulée : 460,00 €" in before
    assert "l'impayé n'est pas encore constitué selon la règle en vigueur aujourd'hui" in before
    assert "atteint 524,00 €" in before
    assert "Rien n'a été enregistré" in before
    assert "Récapitulatif du signalement" not in before
    assert count_of(app, UnpaidReport) == 0

    after = _beauvois(
        app, clock, datetime(2027, 1, 12, 10, tzinfo=PARIS), "décembre 2026", tmp_path, "c2"
    )
    assert "Impayé constitué le 01/01/2027" in after
    assert "Décrets n° 2026-83 et 2026-84" in after
    assert "La CCAPEX décide du maintien" in after
    assert "Décrets n° 2026-83" in pdf_of(after)
    assert count_of(app, UnpaidReport) == 1


def test_unpaid_refusals_in_french(app: App, tmp_path: Path) -> None:
    lines = [
        "signaler un impayé pour Brisson",
        "mars 2027",
        "janvier 2010",
        "novembre 2026",
        "beaucoup",
        "dû 0",
        "-12",
        "dû 300 payé 300",  # the first month cannot be fully paid
        "en juillet il a payé 50",  # not a month of this report
        "annuler",
        "oui",
    ]
    output = talk(app, lines, tmp_path)
    assert "mars 2027 n'est pas encore commencé" in output
    assert "antérieur à l'entrée du locataire dans le logement (10/07/2012)" in output
    assert "Je n'ai pas compris ce montant" in output
    assert "Le montant dû doit être supérieur à 0 €" in output
    assert "Le montant payé ne peut pas être négatif" in output
    assert "Le premier mois impayé ne peut pas avoir été payé en entier (300,00 €)" in output
    assert (
        "juillet 2026 ne fait pas partie de ce signalement, qui commence en novembre 2026" in output
    )
    assert "Voulez-vous vraiment abandonner le signalement d'impayé ?" in output
    assert "C'est abandonné : rien n'a été enregistré." in output
    assert count_of(app, UnpaidReport) == 0


def test_the_rent_form_offers_the_unpaid_report_for_its_tenant(app: App, tmp_path: Path) -> None:
    lines = ["declarer le loyer de Couture", "389,90 € et j'ai un impayé à signaler", "Valider"]
    lines += ["Signaler un impayé"]
    output = talk(app, lines, tmp_path)
    assert "pensez à le signaler à la Caf" in output
    offered = output.split("pensez à le signaler à la Caf", 1)[1]
    assert "Locataire : COUTURE Anthony (n° allocataire 580592)" in offered
    assert "Depuis quel mois le loyer n'est-il plus payé" in offered
    assert "Pour quel locataire voulez-vous signaler un impayé" not in offered
