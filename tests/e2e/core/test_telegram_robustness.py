"""What a real chat throws at the bot: media, groups, bursts, failures, restarts, logging."""

from __future__ import annotations

import io
import itertools
import logging
import shutil
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.e2e.telegram_harness import BotRunner, UserChat, make_app, plain, texts
from tests.fakes.bot_api import FakeBotApi


def test_photo_and_sticker_get_the_text_only_answer(user: UserChat) -> None:
    assert "ne comprends que les messages écrits" in texts(user.photo())
    mark = len(user.api.calls)
    update = user.api.user_sticker(user.chat_id)
    user.runner.wait_done(update["update_id"])
    assert "ne comprends que les messages écrits" in texts(
        user.api.calls_for(user.chat_id, since=mark)
    )


def test_group_chat_is_refused(api: FakeBotApi, bot: BotRunner) -> None:
    group = UserChat(api, bot, -100_123, chat_type="group")
    calls = group.say("/start@bailleur_test_bot")
    assert "conversation privée" in texts(calls)
    calls = group.say("je veux me connecter")
    assert "conversation privée" in texts(calls)
    assert "identifiant" not in texts(calls)


@pytest.mark.slow
def test_burst_of_50_messages_from_20_chats(api: FakeBotApi, bot: BotRunner) -> None:
    """All answered, each chat in its own order, with per-chat pacing between messages."""
    script = ["/aide", "je veux me connecter", "/annuler"]
    expected = ["Voici ce que je sais faire", "identifiant", "vraiment abandonner"]
    chats = list(range(90_001, 90_021))
    lengths = {chat: 3 if index < 10 else 2 for index, chat in enumerate(chats)}
    mark = len(api.calls)
    update_ids = []
    for step in range(3):  # interleaved: every chat's first message, then second, then third
        for chat in chats:
            if step < lengths[chat]:
                update_ids.append(api.user_text(chat, script[step])["update_id"])
    assert len(update_ids) == 50
    for update_id in update_ids:
        bot.wait_done(update_id, timeout=60)
    for chat in chats:
        sends = [c for c in api.calls_for(chat, since=mark) if c.method == "sendMessage"]
        assert len(sends) == lengths[chat], [plain(c) for c in sends]
        for call, fragment in zip(sends, expected, strict=False):
            assert fragment in plain(call)
        gaps = [b.at - a.at for a, b in itertools.pairwise(sends)]
        assert all(gap >= 0.04 for gap in gaps), gaps


def test_a_reply_the_bot_api_refused_is_followed_by_a_notice(
    api: FakeBotApi, user: UserChat
) -> None:
    api.fail_next("sendMessage", 400, "Bad Request: chat not found")
    calls = user.say("/aide")
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 2  # the failed answer, then the notice (not an invitation to retry)
    assert "ma réponse n'a pas pu vous parvenir" in plain(sent[-1])
    assert "Voici ce que je sais faire" in texts(user.say("/aide"))  # and the chat goes on


def test_no_user_text_in_logs(
    api: FakeBotApi, user: UserChat, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.telegram.app import quiet_transport_logs

    names = ("httpx", "httpcore", "telegram")
    saved = {name: logging.getLogger(name).level for name in names}
    caplog.set_level(logging.DEBUG)
    quiet_transport_logs()
    try:
        api.fail_next("sendMessage", 400, "Bad Request: something about Zygomatique-Marker")
        user.say("Zygomatique-Marker 4242, déclarer un loyer")
        user.login()
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
    logged = caplog.text
    assert caplog.records  # something was logged (the failure), just not the texts
    for secret in ("Zygomatique", "Oliviers-Demo-2026", api.token):
        assert secret not in logged


@pytest.mark.slow
def test_restart_mid_form_resumes_at_the_same_question(
    tmp_path: Path, nlu_dir: Path, sqlite_template: Path
) -> None:
    """Stop the application mid-declaration; a new one on the same database carries on."""
    with FakeBotApi() as own_api:
        db_path = tmp_path / "restart.db"
        shutil.copyfile(sqlite_template, db_path)
        first = BotRunner(make_app(nlu_dir, db_path, own_api), own_api).start()
        try:
            landlord = UserChat(own_api, first, 4242)
            landlord.login()
            assert "montant du loyer" in texts(landlord.say("je veux déclarer le loyer de Milome"))
        finally:
            first.stop()

        second = BotRunner(make_app(nlu_dir, db_path, own_api), own_api).start()
        try:
            landlord.runner = second
            # The button of the question asked before the restart still works...
            calls = landlord.press("Même montant")
            assert "Récapitulatif" in texts(calls)
            assert "MILOME" in texts(calls)
            # ...and so does free text.
            assert "C'est corrigé" in texts(landlord.say("non c'est 355 €"))
            assert "transmise" in texts(landlord.press("Valider"))
        finally:
            second.stop()


def test_slow_turns_show_typing_first(tmp_path: Path, nlu_dir: Path, demo_db: Path) -> None:
    """With a zero threshold every turn counts as slow: "typing" precedes the answer."""
    with FakeBotApi() as own_api:
        runner = BotRunner(make_app(nlu_dir, demo_db, own_api), own_api, typing_after=0.0)
        runner.start()
        try:
            calls = UserChat(own_api, runner, 31).say("/aide")
        finally:
            runner.stop()
    assert [c.method for c in calls] == ["sendChatAction", "sendMessage"]
    assert calls[0].params["action"] == "typing"


def test_a_receipt_telegram_refused_is_offered_again(api: FakeBotApi, user: UserChat) -> None:
    """The declaration is stored: the user is told so and gets the receipt with one press."""
    user.login()
    assert "Récapitulatif" in texts(user.say("loyer murot 400"))
    api.fail_next("sendDocument", 400, "Bad Request: file too big")
    calls = user.say("oui")
    assert "bien enregistrée" in texts(calls)
    assert "réessayer" not in texts(calls)
    calls = user.press("Renvoyer le récapitulatif")
    (document,) = [c for c in calls if c.method == "sendDocument"]
    filename, _ = document.files["document"]
    assert filename.startswith("recapitulatif-LOY-2026-")


def test_a_password_redelivered_after_a_restart_is_deleted(
    tmp_path: Path, nlu_dir: Path, sqlite_template: Path
) -> None:
    """The message that carried a password goes, whichever process sees it last."""
    with FakeBotApi() as own_api:
        db_path = tmp_path / "redelivery.db"
        shutil.copyfile(sqlite_template, db_path)
        first = BotRunner(make_app(nlu_dir, db_path, own_api), own_api).start()
        try:
            landlord = UserChat(own_api, first, 4343)
            landlord.say("oliviers.admin")
            landlord.say("Oliviers-Demo-2026")
            update = landlord.last_update
        finally:
            first.stop()
        # The stopped bot's last long poll (1 s) must end on the fake server first, or it would
        # take the redelivered update to a closed connection.
        time.sleep(1.5)
        second = BotRunner(make_app(nlu_dir, db_path, own_api), own_api).start()
        try:
            mark = len(own_api.calls)
            own_api.redeliver(update)
            second.wait_done(update["update_id"])
            calls = own_api.calls_for(4343, since=mark)
            deletes = [c for c in calls if c.method == "deleteMessage"]
            assert [int(c.params["message_id"]) for c in deletes] == [
                update["message"]["message_id"]
            ]
            assert "Connexion réussie" in texts(calls)
        finally:
            second.stop()


def test_a_receipt_redelivered_after_a_restart_is_drawn_again(
    tmp_path: Path, nlu_dir: Path, sqlite_template: Path
) -> None:
    """The reply kept for the « oui » holds the receipt's data: another process that gets the
    update again sends the same receipt, drawn again, and transmits nothing twice."""
    with FakeBotApi() as own_api:
        db_path = tmp_path / "receipt-redelivery.db"
        shutil.copyfile(sqlite_template, db_path)
        first = BotRunner(make_app(nlu_dir, db_path, own_api), own_api).start()
        try:
            landlord = UserChat(own_api, first, 4545)
            landlord.login()
            landlord.say("loyer murot 400")
            (sent,) = [c for c in landlord.say("oui") if c.method == "sendDocument"]
            update = landlord.last_update
        finally:
            first.stop()
        time.sleep(1.5)  # the stopped bot's last long poll ends first (as above)
        second = BotRunner(make_app(nlu_dir, db_path, own_api), own_api).start()
        try:
            mark = len(own_api.calls)
            own_api.redeliver(update)
            second.wait_done(update["update_id"])
            calls = own_api.calls_for(4545, since=mark)
        finally:
            second.stop()
    (again,) = [c for c in calls if c.method == "sendDocument"]
    filename, content = again.files["document"]
    assert filename == sent.files["document"][0]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "400,00 €" in text and "MUROT" in text
    assert filename.removeprefix("recapitulatif-").removesuffix(".pdf") in text
    assert "déjà" not in texts(calls)
