"""« Mes locataires » through the terminal: pages, search and cards, and the user's scope: another
organisation's tenant is never shown nor accepted, by name, number or forged id."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.bootstrap import App
from dialogs.io import Inbound
from services.accounts.models import User
from services.declarations.models import ChangeDeclaration
from services.tenants.models import Tenant
from tests.e2e.console_chat import count_of, id_of, talk


def test_tenant_list_pages_search_and_card(app: App, tmp_path: Path) -> None:
    lines = ["mes locataires", "Page suivante ▶", "◀ Page précédente", "Rechercher", "Rocquancourt"]
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
    assert "Fiche locataire : DUPONT Maryline" in by_number  # a whole number names one tenant
    assert "Adresse : 5 RUE DES ECOLES 14540 ROCQUANCOURT" in by_number
    assert "ne correspond à « 3318204 »" in rest  # another organisation's tenant: nothing shown
    assert "Fiche locataire : DUPONT Maryline" in rest  # a bare name, typo included, opens the card
    assert "Je n'ai pas bien compris" not in output
    assert "LEBRUN" not in output and "Camille" not in output


def test_a_card_by_name_with_a_typo_then_declare_its_rent(app: App, tmp_path: Path) -> None:
    output = talk(app, ["voir la fiche de mon locataire Brison", "Déclarer le loyer"], tmp_path)
    assert "Fiche locataire : BRISSON Isabelle" in output
    assert "Loyer de juillet 2026 : non saisi" in output
    assert "Dernières informations connues" in output
    assert "Quel est le montant du loyer hors charges de juillet 2026 ?" in output


def test_another_organisations_tenant_by_name_or_number(app: App, tmp_path: Path) -> None:
    by_name = talk(app, ["signaler un impayé pour Lebrun", "Lebrun", "Quitter"], tmp_path)
    assert "Je ne trouve pas ce locataire parmi les vôtres" in by_name
    assert "LEBRUN" not in by_name
    by_number = talk(app, ["déclarer un départ", "3318204"], tmp_path, "bob")
    assert "Je ne trouve pas ce locataire parmi les vôtres" in by_number
    assert "LEBRUN" not in by_number and "Camille" not in by_number


def test_a_foreign_id_cannot_be_offered_nor_accepted(app: App, tmp_path: Path) -> None:
    lebrun = id_of(app, Tenant, last_name="LEBRUN")
    # A pressed key only resolves to a payload the bot offered in this chat: a made-up key is
    # stale, so a payload naming LEBRUN cannot be produced from the outside.
    engine = app.engine
    talk(app, ["mes locataires"], tmp_path, chat_id="forger")
    reply = engine.handle(Inbound(channel="console", chat_id="forger", choice=f"x{lebrun}"))
    assert "Ce choix n'est plus valable" in reply.messages[0].text
    # And should a foreign id reach an action, the service refuses it: a polite answer.
    user = id_of(app, User, login="oliviers.admin")
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
    assert count_of(app, ChangeDeclaration) == 0
