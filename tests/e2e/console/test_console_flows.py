"""Issue 6 flows through the terminal: changes, unpaid reports, tenants and payments, each to its
receipt or document, with refusals in French and the user's scope enforced."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pypdf
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from bot.bootstrap import App
from dialogs.io import Inbound
from services.clock import PARIS
from services.models import Tenant, User
from services.models_flows import ChangeDeclaration, UnpaidReport
from tests.conftest import TestClock as Clock
from tests.e2e.console.test_console_rent import LOGIN, PASSWORD, chat


def pdf_of(output: str) -> str:
    found = re.findall(r"Document enregistré : (\S+\.pdf)", output)
    assert found, output
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(found[-1]).pages)


def talk(app: App, lines: list[str], tmp_path: Path, chat_id: str = "alice") -> str:
    output, _, _ = chat(app, [*LOGIN, *lines], tmp_path, [PASSWORD], chat_id=chat_id)
    return output


def _id(app: App, model: Any, **where: str) -> int:
    with app.uow_factory() as uow:
        query = select(model.id)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(uow.session.scalars(query).one())


def _count(app: App, model: Any) -> int:
    with app.uow_factory() as uow:
        return int(uow.session.scalar(select(func.count(model.id))) or 0)


# ----- changes ---------------------------------------------------------------------------------
def test_departure_to_its_receipt_leaves_the_rent_campaign(app: App, tmp_path: Path) -> None:
    lines = [
        "déclarer le départ de Brisson",
        "le 10/11/2026",
        "30/11/2026",
        "Valider",
    ]
    output = talk(app, lines, tmp_path)
    assert "La Caf demande à être informée dans le mois qui suit le déménagement" in output
    assert "• Nouvelle adresse : non connue" in output
    assert "• Date de départ : 10/11/2026" in output
    assert "Votre déclaration de départ est transmise à la Caf (BRISSON Isabelle)" in output
    reference = re.search(r"DEP-2026-[0-9A-F]{8}", output).group(0)  # type: ignore[union-attr]
    text = pdf_of(output)
    for expected in (reference, "BRISSON Isabelle", "10/11/2026", "30/11/2026", "Non connue"):
        assert expected in text
    assert "il reste 3 loyers à saisir sur 5" in output
    # The rent form no longer offers her.
    after = talk(app, ["déclarer un loyer"], tmp_path, chat_id="bob")
    assert "Il reste 3 loyers à saisir sur 5." in after
    assert "BRISSON" not in after.split("Il reste 3")[1]


def test_the_date_given_with_the_departure_is_not_asked_again(app: App, tmp_path: Path) -> None:
    lines = ["mme brisson est partie le 10/11/2026", "30/11/2026", "Valider"]
    output = talk(app, lines, tmp_path)

    assert "À quelle date le locataire a-t-il quitté le logement" not in output
    assert "Date de départ : 10/11/2026." in output  # said back, since it was never asked
    assert "• Date de départ : 10/11/2026" in output
    assert "• Date de fin du bail : 30/11/2026" in output
    assert "Votre déclaration de départ est transmise à la Caf (BRISSON Isabelle)" in output


def test_a_wrong_date_in_the_opening_message_is_refused_then_asked(
    app: App, tmp_path: Path
) -> None:
    output = talk(app, ["brisson est partie le 01/01/2010", "10/11/2026"], tmp_path)

    assert "antérieure à l'entrée dans le logement (10/07/2012)" in output
    assert "À quelle date le locataire a-t-il quitté le logement" in output
    assert "Date de départ : 10/11/2026" not in output  # the asked answer is not echoed


def test_departure_dates_are_checked_in_french(app: App, tmp_path: Path) -> None:
    lines = [
        "déclarer le départ de Brisson",
        "le 15/12/2026",  # beyond the week of margin
        "01/01/2010",  # before she moved in
        "n'importe quand",
        "01/09/2026",  # more than a month ago: warned
        "15/08/2026",  # lease end before departure
        "30/09/2026",
        "nouvelle adresse : 12 rue des Lilas 14000 Caen",
        "Valider",
    ]
    output = talk(app, lines, tmp_path)
    assert "La date du 15/12/2026 est trop loin dans le futur" in output
    assert "antérieure à l'entrée dans le logement (10/07/2012)" in output
    assert "Je n'ai pas compris cette date" in output
    assert "Attention : le départ du 01/09/2026 date de plus d'un mois" in output
    assert "La fin du bail ne peut pas précéder le départ du locataire (le 01/09/2026)" in output
    assert "Elle est enregistrée comme tardive" in output
    assert "12 rue des Lilas 14000 Caen" in pdf_of(output)


def test_end_of_management_from_the_rent_form(app: App, tmp_path: Path) -> None:
    lines = [
        "declarer le loyer de Murot",
        "je ne gère plus ce logement",
        "Déclarer une fin de gestion",
        "le 01/11/2026",
        "bof",
        "Vente du logement",
        "Modifier",
        "Nouveau propriétaire ou gestionnaire",
        "SCI Les Tilleuls",
        "Valider",
    ]
    output = talk(app, lines, tmp_path)
    assert "il faut déclarer une fin de gestion" in output
    assert "Choisissez le motif dans la liste" in output
    assert "• Nouveau propriétaire ou gestionnaire : non connu" in output
    assert "• Nouveau propriétaire ou gestionnaire : SCI Les Tilleuls" in output
    assert "Votre déclaration de fin de gestion est transmise" in output
    text = pdf_of(output)
    assert "Vente du logement" in text and "SCI Les Tilleuls" in text and "MUROT Esther" in text
    assert "il reste 3 loyers à saisir sur 5" in output


def test_flatshare_asks_the_type_and_refuses_a_single_cotenant(app: App, tmp_path: Path) -> None:
    lines = [
        "déclarer un changement",
        "Colocation",
        "Milome",
        "oui",
        "un seul",
        "3 colocataires",
        "01/11/2026",
        "Modifier",
        "Noms des colocataires",
        "Anna Lopez, Paul Girard, Zoé Martin, Léa Roux",  # more names than co-tenants
        "Anna Lopez, Paul Girard",
        "Valider",
    ]
    output = talk(app, lines, tmp_path)
    assert "Quel changement voulez-vous déclarer ?" in output
    assert "Une colocation compte au moins 2 colocataires" in output
    assert "Vous avez donné plus de noms que de colocataires (3)" in output
    assert "• Colocataires inscrits au bail : 3" in output
    text = pdf_of(output)
    assert "Anna Lopez, Paul Girard" in text and "MILOME Syndy" in text
    assert _count(app, ChangeDeclaration) == 1


def test_quitting_a_change_stores_nothing(app: App, tmp_path: Path) -> None:
    output = talk(
        app,
        ["déclarer le départ de Brisson", "10/11/2026", "10/11/2026", "Quitter", "oui"],
        tmp_path,
    )
    assert "rien n'a été enregistré" in output
    assert _count(app, ChangeDeclaration) == 0


# ----- unpaid ----------------------------------------------------------------------------------
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
    assert _count(app, UnpaidReport) == 1
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
    assert _count(app, UnpaidReport) == 0

    after = _beauvois(
        app, clock, datetime(2027, 1, 12, 10, tzinfo=PARIS), "décembre 2026", tmp_path, "c2"
    )
    assert "Impayé constitué le 01/01/2027" in after
    assert "Décrets n° 2026-83 et 2026-84" in after
    assert "La CCAPEX décide du maintien" in after
    assert "Décrets n° 2026-83" in pdf_of(after)
    assert _count(app, UnpaidReport) == 1


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
    assert _count(app, UnpaidReport) == 0


def test_the_rent_form_offers_the_unpaid_report_for_its_tenant(app: App, tmp_path: Path) -> None:
    lines = ["declarer le loyer de Couture", "389,90 € et j'ai un impayé à signaler", "Valider"]
    lines += ["Signaler un impayé"]
    output = talk(app, lines, tmp_path)
    assert "pensez à le signaler à la Caf" in output
    offered = output.split("pensez à le signaler à la Caf", 1)[1]
    assert "Locataire : COUTURE Anthony (n° allocataire 580592)" in offered
    assert "Depuis quel mois le loyer n'est-il plus payé" in offered
    assert "Pour quel locataire voulez-vous signaler un impayé" not in offered


# ----- tenants ---------------------------------------------------------------------------------
def test_tenant_list_pages_search_and_card(app: App, tmp_path: Path) -> None:
    lines = ["mes locataires", "Suivant ▶", "◀ Précédent", "Rechercher", "Rocquancourt"]
    output = talk(app, lines, tmp_path)
    assert "il reste 4 loyers à saisir sur 6" in output
    assert "6 au total, page 1/2" in output and "6 au total, page 2/2" in output
    page2 = output.split("page 2/2")[1].split("page 1/2")[0]
    assert "MUROT Esther" in page2 and "BEAUVOIS" not in page2
    assert "DUPONT Maryline — n° 21083 — 14540 ROCQUANCOURT — loyer 2026 : transmis" in output
    states = talk(app, ["Mes locataires", "Rechercher", "Loyers non saisis"], tmp_path, "bob")
    listed = states.split("(loyer non saisi)")[1]
    assert "BRISSON" in listed and "DUPONT" not in listed and "BEAUVOIS" not in listed


def test_a_bare_number_or_name_outside_a_form_looks_the_tenant_up(app: App, tmp_path: Path) -> None:
    output = talk(app, ["allocataire 21083", "n° allocataire 3318204", "dupond"], tmp_path)
    by_number, rest = output.split("Aucun locataire", 1)
    assert "Fiche de DUPONT Maryline" in by_number  # a whole number names one tenant
    assert "Adresse : 5 RUE DES ECOLES 14540 ROCQUANCOURT" in by_number
    assert "ne correspond à « 3318204 »" in rest  # another organisation's tenant: nothing shown
    assert "Fiche de DUPONT Maryline" in rest  # a bare name, typo included, opens the card
    assert "Je n'ai pas bien compris" not in output
    assert "LEBRUN" not in output and "Camille" not in output


def test_a_card_by_name_with_a_typo_then_declare_its_rent(app: App, tmp_path: Path) -> None:
    output = talk(app, ["voir la fiche de mon locataire Brison", "Déclarer le loyer"], tmp_path)
    assert "Fiche de BRISSON Isabelle" in output
    assert "Loyer de juillet 2026 : non saisi" in output
    assert "Dernières informations connues" in output
    assert "Quel est le montant du loyer hors charges de juillet 2026 ?" in output


# ----- payments --------------------------------------------------------------------------------
def test_payments_view_filters_and_statements(app: App, tmp_path: Path) -> None:
    output = talk(app, ["mes paiements", "Relevé 2026 en PDF"], tmp_path)
    assert "Paiements de la Caf de" in output
    assert "l'APL est versée le 25 du mois" in output
    assert "l'AL (ALF, ALS) est versée au début du mois suivant" in output
    assert "Paiements de la Caf – année 2026" in pdf_of(output)
    march = talk(app, ["mes paiements de mars"], tmp_path, "bob")
    assert "Paiements de la Caf mars 2026" in march
    brisson = talk(app, ["combien la caf a payé pour Brisson cette année"], tmp_path, "carol")
    assert "pour BRISSON Isabelle" in brisson
    assert "DUPONT" not in brisson.split("pour BRISSON Isabelle")[1]


def test_the_csv_statement_is_a_csv_document(app: App) -> None:
    engine = app.engine
    engine.handle(Inbound(channel="test", chat_id="csv", text="/start"))
    engine.handle(Inbound(channel="test", chat_id="csv", text="je veux me connecter"))
    engine.handle(Inbound(channel="test", chat_id="csv", text="oliviers.admin"))
    engine.handle(Inbound(channel="test", chat_id="csv", text=PASSWORD))
    reply = engine.handle(Inbound(channel="test", chat_id="csv", text="mes paiements"))
    key = next(c.key for m in reply.messages for c in m.choices if c.label.endswith("CSV"))
    reply = engine.handle(Inbound(channel="test", chat_id="csv", choice=key))
    document = next(m.document for m in reply.messages if m.document is not None)
    assert document.mime_type == "text/csv"
    assert document.filename == "paiements-caf-2026.csv"
    assert document.content.decode("utf-8-sig").startswith("Mois;Locataire")


# ----- permissions -----------------------------------------------------------------------------
def test_another_organisations_tenant_by_name_or_number(app: App, tmp_path: Path) -> None:
    by_name = talk(app, ["signaler un impayé pour Lebrun", "Lebrun", "Quitter"], tmp_path)
    assert "Je ne trouve pas ce locataire parmi les vôtres" in by_name
    assert "LEBRUN" not in by_name
    by_number = talk(app, ["déclarer un départ", "3318204"], tmp_path, "bob")
    assert "Je ne trouve pas ce locataire parmi les vôtres" in by_number
    assert "LEBRUN" not in by_number and "Camille" not in by_number


def test_a_foreign_id_cannot_be_offered_nor_accepted(app: App, tmp_path: Path) -> None:
    lebrun = _id(app, Tenant, last_name="LEBRUN")
    # A pressed key only resolves to a payload the bot offered in this chat: a made-up key is
    # stale, so a payload naming LEBRUN cannot be produced from the outside.
    engine = app.engine
    talk(app, ["mes locataires"], tmp_path, chat_id="forger")
    reply = engine.handle(Inbound(channel="console", chat_id="forger", choice=f"x{lebrun}"))
    assert "Ce choix n'est plus valable" in reply.messages[0].text
    # And should a foreign id reach an action, the service refuses it: a polite answer.
    user = _id(app, User, login="oliviers.admin")
    domain = app.engine.domain.as_rasa_dict()

    def run(name: str, parse: dict[str, Any], slots: dict[str, Any]) -> str:
        tracker = Tracker("t", {**slots, "session_user_id": user}, parse, [], False, None, {}, None)
        dispatcher = CollectingDispatcher()
        asyncio.run(app.engine.actions[name].run(dispatcher, tracker, domain))
        return " ".join(
            app.engine.domain.render(m["response"]).text if m.get("response") else m["text"]
            for m in dispatcher.messages
        )

    payment = {
        "intent": {"name": "view_payments"},
        "entities": [{"entity": "payments_tenant", "value": lebrun}],
    }
    assert "Je ne trouve pas ce locataire" in run("action_view_payments", payment, {})
    card = {
        "intent": {"name": "list_tenants"},
        "entities": [{"entity": "tenant_card", "value": lebrun}],
    }
    assert "Je ne trouve pas ce locataire" in run("action_list_tenants", card, {})
    change = {
        "change_type": "tenant_departure",
        "change_tenant": lebrun,
        "change_tenant_name": "X",
        "change_departure_date": "2026-11-10",
        "change_lease_end_date": "2026-11-10",
        "change_new_address": "",
        "change_confirm": "valider",
    }
    assert "Je ne trouve pas ce locataire" in run("action_change_done", {}, change)
    assert _count(app, ChangeDeclaration) == 0
