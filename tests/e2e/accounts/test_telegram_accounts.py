"""Accounts through Telegram: the first connection of port.bailleur, by buttons and typed
answers, with every password message deleted from the chat before the bot answers."""

from __future__ import annotations

from tests.e2e.telegram_harness import UserChat, texts
from tests.fakes.bot_api import FakeBotApi


def _deleted_at_once(calls: list, message_id: int) -> bool:
    deletes = [c for c in calls if c.method == "deleteMessage"]
    sends = [i for i, c in enumerate(calls) if c.method == "sendMessage"]
    return [int(c.params["message_id"]) for c in deletes] == [message_id] and calls.index(
        deletes[0]
    ) < min(sends)


def test_first_connection_deletes_every_password_and_names_the_administrator(
    api: FakeBotApi, user: UserChat
) -> None:
    user.say("je veux me connecter")
    user.say("port.bailleur")
    calls = user.say("Lettre-Provisoire-1")
    assert _deleted_at_once(calls, user.last_update["message"]["message_id"])
    assert "C'est votre première connexion" in texts(calls)
    assert "adresse courriel" in texts(calls)

    user.say("port@residences.example")
    user.say("port@residences.example")
    user.say("05 46 00 11 22")
    calls = user.say("0546001122")
    assert "mot de passe personnel" in texts(calls)

    calls = user.say("trop-court")
    assert _deleted_at_once(calls, user.last_update["message"]["message_id"])
    assert "il fait moins de 12 caractères" in texts(calls)
    assert "trop-court" not in texts(calls)

    calls = user.say("Residences-Port-2026!")
    assert _deleted_at_once(calls, user.last_update["message"]["message_id"])
    assert "saisissez de nouveau ce mot de passe" in texts(calls)
    calls = user.say("Residences-Port-2026!")  # typed twice, since it is typed hidden
    assert _deleted_at_once(calls, user.last_update["message"]["message_id"])
    assert "Règles d'usage" in texts(calls)
    assert "Residences-Port-2026!" not in texts(calls)

    calls = user.press("Oui, j'accepte")
    assert "Conditions d'utilisation" in texts(calls)
    calls = user.press("Oui, j'accepte")
    assert "vous êtes désormais l'administrateur" in texts(calls)
    # Only the four password messages were deleted; the other answers stay.
    assert len(api.calls_to("deleteMessage", user.chat_id)) == 4


def test_lost_identifier_by_buttons(user: UserChat) -> None:
    calls = user.say("/start")
    calls = user.press("Identifiant perdu")
    assert "Quel est votre N° utilisateur ?" in texts(calls)
    user.say("76JMARTIN00001")
    calls = user.press("Par courriel")
    assert "Si ce N° utilisateur correspond à un compte" in texts(calls)
