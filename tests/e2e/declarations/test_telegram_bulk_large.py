"""Every rent of a 2 000-tenant organisation (`seed --large`) on Telegram, end to end against the
fake Bot API: the recap pages and says how long « Valider » will take, the estimate is its own
message when the transmission starts, one other message is edited with the count, and no
message or button goes past Telegram's limits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from services.core.db import make_uow_factory
from services.demo.large import seed_large
from tests.conftest import TEST_PASSWORDS
from tests.e2e.telegram_harness import UserChat, texts
from tests.fakes.bot_api import Call, FakeBotApi

TENANTS = 2_000
THIN = "\u202f"


def _within_limits(calls: list[Call]) -> None:
    for call in calls:
        assert len(call.text.encode("utf-16-le")) // 2 <= 4096, call.method
        assert all(len(data.encode()) <= 64 for _, data in call.buttons)


def test_two_thousand_rents_go_with_an_estimate_and_one_edited_progress_message(
    api: FakeBotApi, user: UserChat, demo_db: Path
) -> None:
    factory = make_uow_factory(f"sqlite:///{demo_db}", passwords=TEST_PASSWORDS)
    large = seed_large(factory(), today=date(2026, 11, 23), tenants=TENANTS)
    factory.dispose()
    user.login(large.login, large.password)
    recap = user.say("tous mes loyers sont inchangés")
    _within_limits(recap)
    said = texts(recap)
    assert f"1{THIN}980 loyers" in said and "Page 1 sur 50 :" in said
    assert f"Après « Valider », la transmission de ces 1{THIN}980 loyers prendra environ" in said
    second = user.press("Page suivante")
    _within_limits(second)
    assert "Page 2 sur 50 :" in texts(second)
    assert "prendra environ" not in texts(second)  # said once, with the first page
    mark = len(api.calls)
    done = user.press("Valider")
    _within_limits(done)
    sent = [c for c in done if c.method == "sendMessage"]
    estimate = next(c for c in sent if c.text.startswith("Transmission de"))
    assert f"1{THIN}980 loyers en cours, environ" in estimate.text
    progress = next(c for c in sent if c.text.startswith("Transmission :"))
    assert done.index(estimate) < done.index(progress)
    edits = [
        c
        for c in api.calls[mark:]
        if c.method == "editMessageText" and c.text.startswith("Transmission")
    ]
    assert edits, "the progress message is edited, not sent again"
    assert {int(c.params["message_id"]) for c in edits} == {progress.result["message_id"]}
    assert edits[-1].text == (
        f"Transmission : 1{THIN}980 / 1{THIN}980. Préparation du récapitulatif PDF…"
    )
    assert len([c for c in sent if c.text.startswith("Transmission")]) == 2
    assert f"1{THIN}980 loyers de juillet 2026 transmis" in texts(done)
    (document,) = [c for c in done if c.method == "sendDocument"]
    assert document.files["document"][0].endswith(".pdf")
