"""Logs carry no personal data: whole conversations through every form, at DEBUG level, on both
channels — the terminal (in-process, with the CLI's logging set-up) and Telegram (the webhook
cluster's real processes writing their log) — and no tenant name, allocataire number, email, phone
or password appears in what was logged."""

from __future__ import annotations

import html
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bootstrap import App
from bot.cli import configure_logging
from services.demo.seed import demo_data
from tests.e2e.console_chat import chat
from tests.e2e.core.webhook_cluster import Cluster
from tests.fakes.bot_api import FakeBotApi

CONNECT = "je veux me connecter"
OLIVIERS = ("oliviers.admin", "Oliviers-Demo-2026")
PORT_LETTER = "Lettre-Provisoire-1"
PORT_PERSONAL = "Residences-Port-2026!"
NEW_EMAIL = "paul.prive@lesoliviers.example"
NEW_PHONE = "0612345678"

# Every form, as typed on a phone (no accents, "oui", "ok"); secrets go through hidden prompts.
CONVERSATIONS: list[tuple[list[str], list[str]]] = [
    (["loyer brisson 330", "oui"], []),
    (["declarer le loyer de Couture", "389,90 € et j'ai un impayé à signaler", "Valider"], []),
    (["mme milome est partie le 10/11/2026", "30/11/2026", "Valider"], []),
    (
        [
            "signaler un impayé pour Couture",
            "Depuis août 2026 (d'après votre suivi)",
            "100",
            "80 €",
            "Valider",
        ],
        [],
    ),
    (["mes locataires", "Rechercher", "Rocquancourt", "allocataire 21083", "murot"], []),
    (["mes paiements de mars", "combien la caf a paye pour Brisson cette annee"], []),
    (
        [
            "mes utilisateurs",
            "Créer un utilisateur",
            "Privé",
            "Paul",
            NEW_EMAIL,
            NEW_EMAIL,
            "06 12 34 56 78",
            NEW_PHONE,
            "sedentaire",
            "privés 14",
            "Terminé",
            "Valider",
        ],
        [],
    ),
]
ANONYMOUS: list[tuple[list[str], list[str]]] = [
    (["j'ai oublié mon mot de passe", "gestion@lesoliviers.example"], []),
    (["identifiant perdu", "14OLIVIERS0001", "Par courriel"], []),
    (
        [
            CONNECT,
            "port.bailleur",
            "port@residences.example",
            "port@residences.example",
            "05 46 00 11 22",
            "0546001122",
            "oui",
            "oui",
        ],
        [PORT_LETTER, PORT_PERSONAL, PORT_PERSONAL],
    ),
    ([CONNECT, "oliviers.admin"], ["pas-le-bon-Mot2passe"]),
]


def personal_values() -> set[str]:
    """What must never be logged: every name, number, email, phone and password of the demo
    data, and those typed in the conversations above."""
    values = {NEW_EMAIL, NEW_PHONE, PORT_LETTER, PORT_PERSONAL, "pas-le-bon-Mot2passe"}
    values |= {"port@residences.example", "0546001122", "PRIVÉ"}
    for organisation in demo_data()["organisations"]:
        for user in organisation.get("users", []):
            values |= {str(user[key]) for key in ("password", "email", "phone") if user.get(key)}
            values |= {str(user[key]) for key in ("first_name", "last_name") if user.get(key)}
        for dwelling in organisation.get("dwellings", []):
            for tenant in dwelling.get("tenants", []):
                values |= {tenant["last_name"], tenant["first_name"], str(tenant["allocataire"])}
    return values


def leaks(log: str) -> list[str]:
    """The personal values found in `log` (whole words, any case); process ids and update ids
    are numbers of ours, not allocataire numbers."""
    cleaned = re.sub(r"(pid|worker|update|port) \d+", r"\1 #", log, flags=re.IGNORECASE)
    found = []
    for value in personal_values():
        if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", cleaned, flags=re.IGNORECASE):
            found.append(value)
    return sorted(found)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        if record.exc_info:
            self.lines.append(logging.Formatter().formatException(record.exc_info))


@pytest.fixture
def debug_logs() -> Iterator[_Collect]:
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "sqlalchemy", "telegram")}
    collect = _Collect()
    configure_logging("DEBUG")
    root.addHandler(collect)
    yield collect
    root.removeHandler(collect)
    for name, level in levels.items():
        logging.getLogger(name or None).setLevel(level)


def test_terminal_conversations_log_no_personal_data(
    app: App, tmp_path: Path, debug_logs: _Collect
) -> None:
    for number, (lines, secrets) in enumerate(CONVERSATIONS):
        output, _, _ = chat(
            app, [CONNECT, OLIVIERS[0], *lines], tmp_path, [OLIVIERS[1], *secrets], f"t{number}"
        )
        assert "Connexion réussie" in output
    for number, (lines, secrets) in enumerate(ANONYMOUS):
        chat(app, lines, tmp_path, secrets, f"a{number}")
    log = "\n".join(debug_logs.lines)
    assert "DEBUG" in log or "INFO" in log or log == ""  # the handler saw the run
    assert leaks(log) == []


@pytest.mark.slow
def test_telegram_conversations_log_no_personal_data(
    tmp_path: Path, sqlite_template: Path, nlu_model_file: Path
) -> None:
    database = tmp_path / "logs.db"
    shutil.copyfile(sqlite_template, database)
    log_path = tmp_path / "cluster.log"
    with FakeBotApi() as api:
        cluster = Cluster(
            api=api,
            database_url=f"sqlite:///{database}",
            data_dir=tmp_path / "data",
            nlu_model=nlu_model_file,
            log_path=log_path,
            log_level="DEBUG",
        ).start()
        try:
            for number, (lines, secrets) in enumerate(CONVERSATIONS + ANONYMOUS):
                chat_id = 40_000 + number
                typed = [CONNECT, OLIVIERS[0], OLIVIERS[1]] if number < len(CONVERSATIONS) else []
                pending_secrets = list(secrets)
                for line in [*typed, *lines]:
                    _type_or_press(cluster, api, chat_id, line)
                    while pending_secrets and _asks_password(api, chat_id):
                        _type_or_press(cluster, api, chat_id, pending_secrets.pop(0))
            sent = api.calls_to("sendMessage") + api.calls_to("sendDocument")
            replies = "\n".join(html.unescape(c.text) for c in sent)
            assert "Connexion réussie" in replies, replies[-3000:]
            assert "est transmise" in replies, replies[-3000:]
        finally:
            assert cluster.stop() == 0
    log = log_path.read_text()
    assert "Webhook worker" in log
    assert leaks(log) == []


def _asks_password(api: FakeBotApi, chat_id: int) -> bool:
    sent = api.calls_to("sendMessage", chat_id)
    return bool(sent) and "effacé de la conversation" in html.unescape(sent[-1].text)


def _type_or_press(cluster: Cluster, api: FakeBotApi, chat_id: int, line: str) -> None:
    """Press the newest button labelled `line` if the bot offered one, else type it."""
    for call in reversed(api.calls_for(chat_id)):
        if not call.buttons:
            continue
        for label, data in call.buttons:
            if label == line and isinstance(call.result, dict):
                cluster.push(api.press(chat_id, call.result["message_id"], data))
                return
        break
    cluster.push(api.user_text(chat_id, line))
