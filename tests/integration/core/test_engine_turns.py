"""Turn-level guarantees of the engine: idempotence, session expiry, channel rules, workers."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot.bootstrap import App
from dialogs.io import Inbound, Reply


def say(app: App, text: str | None, chat: str = "c1", **extra: object) -> Reply:
    return app.engine.handle(Inbound(channel="test", chat_id=chat, text=text, **extra))  # type: ignore[arg-type]


def texts(reply: Reply) -> str:
    return "\n".join(m.text for m in reply.messages)


def log_in(app: App, chat: str = "c1") -> None:
    say(app, "je veux me connecter", chat)
    say(app, "oliviers.admin", chat)
    reply = say(app, "Oliviers-Demo-2026", chat)
    assert reply.inbound_was_secret
    assert "Connexion réussie" in texts(reply)


def test_a_redelivered_update_is_handled_once_and_answered_again(app: App) -> None:
    log_in(app)
    first = say(app, "declarer le loyer de brisson", update_id=41)
    again = say(app, "declarer le loyer de brisson", update_id=41)
    assert "montant du loyer" in texts(first)
    assert again.duplicate
    assert texts(again) == texts(first)  # the committed turn's reply, not a second turn
    assert "Récapitulatif" in texts(say(app, "330", update_id=42))


def test_a_redelivered_password_is_still_reported_secret(app: App) -> None:
    say(app, "oliviers.admin", update_id=1)
    first = say(app, "Oliviers-Demo-2026", update_id=2)
    again = say(app, "Oliviers-Demo-2026", update_id=2)
    assert first.inbound_was_secret and again.inbound_was_secret
    assert "Connexion réussie" in texts(again)


def test_the_login_expires_after_thirty_idle_minutes(app: App, clock) -> None:
    log_in(app)
    say(app, "declarer le loyer de brisson")
    clock.advance(minutes=29)
    assert "Récapitulatif" in texts(say(app, "330"))
    clock.advance(minutes=31)
    reply = say(app, "oui")
    assert "Votre session a expiré après 30 minutes" in texts(reply)
    assert "transmise" not in texts(reply)
    assert "connectez-vous" in texts(say(app, "declarer un loyer"))


def test_logout_unbinds_the_chat(app: App) -> None:
    log_in(app)
    assert "Déconnexion effectuée" in texts(say(app, "/deconnexion"))
    assert "connectez-vous" in texts(say(app, "declarer le loyer de brisson"))


def test_group_chats_and_non_text_messages_get_a_polite_answer(app: App) -> None:
    assert "conversation privée" in texts(say(app, "bonjour", private_chat=False))
    assert "Je ne comprends que les messages écrits" in texts(say(app, None))


def test_the_password_is_never_stored_in_the_conversation(app: App) -> None:
    log_in(app)
    from sqlalchemy import select

    from services.core.models import Conversation

    uow = app.uow_factory()
    with uow:
        states = [repr(s) for s in uow.session.scalars(select(Conversation.state))]
    assert states
    assert not any("Oliviers-Demo-2026" in state for state in states)


def test_two_workers_share_one_conversation(make_app: Callable[[], App]) -> None:
    first, second = make_app(), make_app()
    log_in(first)
    assert "montant du loyer" in texts(
        second.engine.handle(Inbound("test", "c1", "declarer le loyer de brisson"))
    )
    assert "Récapitulatif" in texts(first.engine.handle(Inbound("test", "c1", "330")))
    assert "transmise" in texts(second.engine.handle(Inbound("test", "c1", "oui")))


def test_concurrent_chats_are_each_answered_in_order(app: App) -> None:
    chats = [f"chat{i}" for i in range(6)]

    def talk(chat: str) -> list[str]:
        return [texts(say(app, text, chat)) for text in ("bonjour", "aide", "merci")]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(talk, chats))
    for replies in results:
        assert "Bonjour" in replies[0]
        assert "Voici ce que je sais faire" in replies[1]
        assert "Avec plaisir" in replies[2]


def test_yes_to_a_lone_offered_button_presses_it_and_no_leaves_it(app: App) -> None:
    log_in(app)
    say(app, "loyer couture")
    offer = say(app, "il est parti le 10/11")
    assert [c.label for m in offer.messages for c in m.choices] == ["Déclarer le départ"]
    started = say(app, "ok")
    assert "Date de départ : 10/11/2026" in texts(started)  # the day said in the rent form
    assert "bail a-t-il pris fin" in texts(started)
    log_in(app, "c2")
    say(app, "loyer couture", "c2")
    say(app, "il est parti le 10/11", "c2")
    refused = say(app, "non merci", "c2")
    assert "quitté le logement" not in texts(refused)


CLOSE_CALLS = (
    "quel est le loyer de dupont",
    "combien paye dupont",
    "c'est quoi le loyer de dupont",
    "dupont il paye combien",
)


def test_the_task_chosen_between_two_close_ones_keeps_what_the_message_said(app: App) -> None:
    """« Je veux être sûr de bien vous comprendre »: both tasks by their French label, and the
    one pressed reads the message again, its tenant included."""
    log_in(app)
    asked = next(
        (r for r in (say(app, t) for t in CLOSE_CALLS) if "bien vous comprendre" in texts(r)),
        None,
    )
    assert asked is not None, "none of the close calls was found close by the NLU"
    labels = {c.label: c.key for m in asked.messages for c in m.choices}
    assert len(labels) == 2
    assert all("_" not in label for label in labels)
    chosen = say(app, None, choice=next(iter(labels.values())))
    assert "DUPONT" in texts(chosen)


def test_a_password_typed_when_none_is_asked_is_deleted_never_read(app: App) -> None:
    log_in(app)
    say(app, "declarer le loyer de brisson")
    reply = say(app, "Oliviers-Demo-2026")  # at the amount question, not a password's
    assert reply.inbound_was_secret  # the channel deletes it from the chat
    said = texts(reply)
    assert "ressemblait à un mot de passe" in said
    assert "montant du loyer" in said  # the question is asked again
    assert "Oliviers-Demo-2026" not in said
    assert "Récapitulatif" in texts(say(app, "330"))
    # identifiers, N° utilisateur, emails and references are no passwords
    for typed in (
        "oliviers.admin",
        "33SCIMOULIN007",
        "claire.leroux@exemple.fr",
        "LOY-2026-4F1055ED",
    ):
        assert not say(app, typed).inbound_was_secret, typed
