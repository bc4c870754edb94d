"""A logged-in user who asks to change (or says they forgot) their password changes it in the
chat: the current password, then the new one twice, each hidden, deleted and never kept; never
the « Mot de passe oublié » path, which is for users who cannot log in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.bootstrap import App
from services.core.models import AuditEvent, Conversation
from tests.integration.chat import OLIVIERS, Chat

NEW = "Nouveau-Secret-2027!"


def _stored(app: App) -> str:
    with app.uow_factory() as uow:
        states = list(uow.session.scalars(select(Conversation.state)))
        audit = list(uow.session.scalars(select(AuditEvent.detail)))
        return repr(states + audit)


@pytest.mark.parametrize(
    "asked",
    [
        "changer mon mot de passe",
        "modifier mon mdp",
        "je veux changer de mot de passe",
        "mot de passe oublié",
    ],
)
def test_a_logged_in_user_is_never_sent_into_the_forgotten_password_path(
    app: App, asked: str
) -> None:
    chat = Chat(app)
    chat.log_in()
    said = chat.say(asked)
    assert "adresse courriel de votre compte" not in said
    assert "Quel est votre mot de passe actuel ?" in said
    assert chat.last is not None and chat.last.expects_secret


def test_the_password_is_changed_after_the_current_one_each_typing_hidden_and_never_kept(
    app: App,
) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("changer mon mdp")
    assert "Ce n'est pas votre mot de passe actuel" in chat.say("pas-le-bon-du-tout")
    assert "nouveau mot de passe" in chat.say(OLIVIERS[1])
    assert chat.last is not None and chat.last.inbound_was_secret and chat.last.expects_secret
    assert "trop courants ou déjà publiés" in chat.say(OLIVIERS[1])  # the demo's: published
    assert "saisissez de nouveau" in chat.say(NEW)
    assert "Les deux mots de passe ne sont pas identiques" in chat.say("Autre-Secret-2027!")
    chat.say(NEW)
    assert "votre nouveau mot de passe est actif" in chat.say(NEW)
    assert chat.last is not None and not chat.last.expects_secret
    for typed in (NEW, OLIVIERS[1], "pas-le-bon-du-tout", "Autre-Secret-2027!"):
        assert typed not in _stored(app)
    chat.say("/deconnexion")
    chat.say(OLIVIERS[0])
    assert "Connexion réussie" in chat.say(NEW)


def test_asked_in_another_task_it_waits_for_that_task(app: App) -> None:
    chat = Chat(app)
    chat.log_in()
    chat.say("loyer brisson")
    said = chat.say("je veux changer mon mot de passe")
    assert "quand la déclaration de loyer sera terminée" in said
    assert "montant du loyer" in said  # the form goes on
    assert chat.last is not None and not chat.last.expects_secret


def test_at_the_first_connection_the_password_step_is_the_answer(app: App) -> None:
    chat = Chat(app)
    chat.say("port.bailleur")
    chat.say("Lettre-Provisoire-1")
    said = chat.say("je veux changer mon mot de passe")
    assert "au cours de cette première connexion" in said
    assert "Étape 1" in said  # the first connection goes on
