"""The July rent declaration through Telegram, by buttons and by free text, end to end."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.e2e.telegram_harness import UserChat, plain, texts
from tests.fakes.bot_api import FakeBotApi


def _declare_brisson_with_buttons(user: UserChat) -> list:
    calls = user.say("déclarer un loyer")
    assert "Pour quel locataire" in texts(calls)
    calls = user.press("BRISSON")
    assert "montant du loyer" in texts(calls)
    calls = user.say("330")
    assert "Récapitulatif" in texts(calls)
    assert "330,00 €" in texts(calls)
    return user.press("Valider")


def test_start_greets(user: UserChat) -> None:
    calls = user.say("/start")
    assert "Bonjour" in texts(calls)
    # Greeting and login invitation arrive in one message, with the button under it.
    sends = [c for c in calls if c.method == "sendMessage"]
    assert len(sends) == 1
    assert sends[0].params["parse_mode"] == "HTML"
    labels = [label for label, _ in sends[0].buttons]
    assert labels[0] == "Se connecter"
    assert "Déclarer les loyers" not in labels


def test_commands_published_at_start_up(api: FakeBotApi, user: UserChat) -> None:
    (call,) = api.calls_to("setMyCommands")
    names = [c["command"] for c in call.json("commands")]
    assert names == ["start", "aide", "menu", "rappels", "annuler", "deconnexion"]
    assert all(c["description"] for c in call.json("commands"))


def test_password_message_is_deleted(api: FakeBotApi, user: UserChat) -> None:
    user.say("je veux me connecter")
    calls = user.say("oliviers.admin")
    assert "mot de passe" in texts(calls)
    assert not api.calls_to("deleteMessage", user.chat_id)
    calls = user.say("Oliviers-Demo-2026")
    password_message_id = user.last_update["message"]["message_id"]
    deletes = [c for c in calls if c.method == "deleteMessage"]
    assert [int(c.params["message_id"]) for c in deletes] == [password_message_id]
    # Deleted before the bot answers, so the password leaves the chat at once.
    assert calls.index(deletes[0]) < min(
        i for i, c in enumerate(calls) if c.method == "sendMessage"
    )
    assert "Connexion réussie" in texts(calls)
    # The identifier message stays; only the password goes.
    assert len(api.calls_to("deleteMessage", user.chat_id)) == 1


def test_brisson_july_rent_with_buttons_and_pdf(api: FakeBotApi, user: UserChat) -> None:
    user.login()
    calls = _declare_brisson_with_buttons(user)
    assert "transmise" in texts(calls)
    documents = [c for c in calls if c.method == "sendDocument"]
    assert len(documents) == 1
    filename, content = documents[0].files["document"]
    assert filename.endswith(".pdf")
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "330,00 €" in pdf_text
    assert "BRISSON" in pdf_text
    reference = filename.removeprefix("recapitulatif-").removesuffix(".pdf")
    assert reference.startswith("LOY-")
    assert reference in pdf_text
    assert reference in plain(documents[0])  # the caption names it too


def test_button_press_is_acknowledged_and_marked(api: FakeBotApi, user: UserChat) -> None:
    user.login()
    user.say("déclarer un loyer")
    message_id, _ = user.keyboard_message("MUROT")
    calls = user.press("MUROT")
    assert [c.method for c in calls][:2] == ["answerCallbackQuery", "editMessageText"]
    assert "text" not in calls[0].params  # a silent acknowledgement
    edited = api.message(user.chat_id, message_id)
    assert plain(calls[1]).endswith("➡️ MUROT Esther — n° 216691 — 14120 MONDEVILLE")
    assert "reply_markup" not in edited  # the keyboard is gone
    assert "montant du loyer" in texts(calls)
    user.say("/annuler")


def test_couture_july_rent_in_free_text(api: FakeBotApi, user: UserChat) -> None:
    user.login()
    calls = user.say("je veux déclarer le loyer de couture")
    assert "montant du loyer" in texts(calls)
    assert "COUTURE" in texts(calls)
    calls = user.say("390 euros")
    assert "Récapitulatif" in texts(calls)
    assert "390,00 €" in texts(calls)
    calls = user.say("valider")
    assert "transmise" in texts(calls)
    (document,) = [c for c in calls if c.method == "sendDocument"]
    assert "COUTURE" in plain(document)


def test_forged_callback_data_is_refused(api: FakeBotApi, user: UserChat) -> None:
    user.login()
    calls = user.say("déclarer un loyer")
    message_id, _ = user.keyboard_message("MILOME")
    calls = user.press_data(message_id, "made-up-key")
    (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params.get("text")  # a short explanation in the popup
    assert not [c for c in calls if c.method.startswith("edit")]  # the message is left alone
    assert "plus valable" in texts(calls)
    user.say("/annuler")


def test_key_from_another_chat_is_refused(api: FakeBotApi, user: UserChat) -> None:
    """A button of another organisation's conversation does nothing here and leaks nothing."""
    other = UserChat(api, user.runner, user.chat_id + 50_000)
    other.login()
    other.say("déclarer un loyer")
    _, foreign_key = other.keyboard_message("MILOME")

    user.login(login="jean.martin", password="Martin-Demo-2026")
    user.say("déclarer un loyer")
    message_id, _ = user.keyboard_message("PETIT")
    calls = user.press_data(message_id, foreign_key)
    shown = texts(calls)
    for leak in ("MILOME", "581887", "OLIVIERS", "BOULEVARD LECORNU"):
        assert leak not in shown
    (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params.get("text")
    assert not [c for c in calls if c.method.startswith("edit")]
    # The victim's own form is untouched: its buttons still work.
    assert "montant du loyer" in texts(user.press("PETIT"))
    user.say("/annuler")
    other.say("/annuler")


def test_redelivered_update_is_answered_again_not_handled_twice(
    api: FakeBotApi, user: UserChat
) -> None:
    mark = len(api.calls)
    update = api.user_text(user.chat_id, "je veux me connecter")
    api.redeliver(update)
    user.runner.wait_done(update["update_id"], times=2)
    replies = [c for c in api.calls_for(user.chat_id, since=mark) if c.method == "sendMessage"]
    assert len(replies) == 2
    assert plain(replies[0]) == plain(replies[1])  # the same answer, not a second turn
    assert "mot de passe" in texts(user.say("oliviers.admin"))  # the login went on once
    user.say("/annuler")
    user.say("oui")
