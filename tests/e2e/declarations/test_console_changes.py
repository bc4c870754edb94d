"""Changes through the terminal: a departure, an end of management and a flat-share, each to its
receipt, with dates checked in French and nothing stored when the user quits."""

from __future__ import annotations

import re
from pathlib import Path

from bot.bootstrap import App
from services.declarations.models import ChangeDeclaration
from tests.e2e.console_chat import count_of, pdf_of, talk


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
    assert "Anna LOPEZ, Paul GIRARD" in text and "MILOME Syndy" in text
    assert count_of(app, ChangeDeclaration) == 1


def test_quitting_a_change_stores_nothing(app: App, tmp_path: Path) -> None:
    output = talk(
        app,
        ["déclarer le départ de Brisson", "10/11/2026", "10/11/2026", "Quitter", "oui"],
        tmp_path,
    )
    assert "rien n'a été enregistré" in output
    assert count_of(app, ChangeDeclaration) == 0
