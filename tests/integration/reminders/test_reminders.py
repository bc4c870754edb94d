"""The weekly reminders of the rent campaign on the demo database: /rappels on and off, who is
reminded, once a week whoever sends (two applications racing on one database), never outside the
campaign nor when nothing is left, the week given back when a delivery fails, and the reminder a
terminal user reads at login."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.bootstrap import App
from bot.cli import main
from dialogs.io import Inbound, Reply
from services.core.clock import PARIS
from services.core.db import UowFactory
from services.declarations.rent import RentAnswers, transmit_rent
from services.declarations.views import rent_campaign
from services.reminders.models import ReminderSent
from services.reminders.weekly import Reminder

OLIVIERS = ("oliviers.admin", "Oliviers-Demo-2026")
MARTIN = ("jean.martin", "Martin-Demo-2026")


class Chat:
    def __init__(self, app: App, chat: str, channel: str = "telegram") -> None:
        self.app, self.chat, self.channel = app, chat, channel
        self.last: Reply | None = None

    def show(self, reply: Reply) -> str:
        self.last = reply
        return "\n".join(m.text for m in reply.messages)

    def say(self, text: str) -> str:
        inbound = Inbound(channel=self.channel, chat_id=self.chat, text=text)
        return self.show(self.app.engine.handle(inbound))

    def buttons(self) -> list[str]:
        assert self.last is not None
        return [c.label for m in self.last.messages for c in m.choices]

    def press(self, label: str, reply: Reply | None = None) -> str:
        source = reply or self.last
        assert source is not None
        key = next(c.key for m in source.messages for c in m.choices if c.label == label)
        inbound = Inbound(channel=self.channel, chat_id=self.chat, choice=key)
        return self.show(self.app.engine.handle(inbound))

    def log_in(self, account: tuple[str, str] = OLIVIERS) -> str:
        self.say(account[0])
        answer = self.say(account[1])
        assert "Connexion réussie" in answer
        return answer


class Deliveries:
    """A channel that records what it was given; `fail` makes it refuse every delivery."""

    def __init__(self, *, fail: bool = False) -> None:
        self.sent: list[tuple[Reminder, Reply]] = []
        self.fail = fail
        self.lock = threading.Lock()

    async def __call__(self, reminder: Reminder, reply: Reply) -> bool:
        if self.fail:
            return False
        with self.lock:
            self.sent.append((reminder, reply))
        return True


def opt_in(app: App, chat: str = "501", account: tuple[str, str] = OLIVIERS) -> Chat:
    talk = Chat(app, chat)
    talk.log_in(account)
    talk.say("activer les rappels")
    return talk


def weeks_recorded(uow_factory: UowFactory) -> int:
    with uow_factory() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(ReminderSent)) or 0)


def test_rappels_says_the_choice_and_switches_it_both_ways(app: App) -> None:
    chat = Chat(app, "500")
    chat.log_in()
    status = chat.say("/rappels")
    assert "Vos rappels sont désactivés" in status
    assert "du 1er juillet au 15 janvier" in status
    assert chat.buttons() == ["Activer les rappels"]
    answer = chat.press("Activer les rappels")
    assert "je vous rappellerai une fois par semaine" in answer
    assert "il vous reste 4 loyers à saisir sur 6" in answer
    assert "Vos rappels sont activés" in chat.say("rappels")
    assert chat.buttons() == ["Ne plus me rappeler"]
    assert "vous ne recevrez plus de rappels" in chat.say("ne plus me rappeler")
    assert "désactivés" in chat.say("est-ce que les rappels sont activés ?")
    assert "je vous rappellerai" in chat.say("rappelez moi de declarer mes loyers svp")


def test_rappels_before_login_asks_to_log_in_and_changes_nothing(app: App) -> None:
    chat = Chat(app, "499")
    answer = chat.say("/rappels")
    assert "identifiant" in answer.lower()
    assert app.reminders.due("telegram") == []


def test_an_opted_in_user_is_reminded_once_a_week_with_a_button_to_start(
    app: App, clock: object
) -> None:
    chat = opt_in(app)
    first = Deliveries()
    outcome = asyncio.run(app.reminders.send_due("telegram", first))
    assert outcome.sent == 1
    reminder, reply = first.sent[0]
    assert reminder.chat_id == "501"
    assert reply.messages[0].text == (
        "Rappel : il reste 4 loyers à saisir sur 6 pour la campagne des loyers de juillet 2026."
    )
    assert [c.label for c in reply.messages[0].choices] == [
        "Saisir mes loyers",
        "Ne plus me rappeler",
    ]
    # The button of the reminder works in the chat, like a button of a turn.
    campaign = chat.press("Saisir mes loyers", reply)
    assert "Il reste 4 loyers à saisir sur 6" in campaign
    again = Deliveries()
    assert asyncio.run(app.reminders.send_due("telegram", again)).sent == 0
    clock.advance(days=3)  # type: ignore[attr-defined]
    assert asyncio.run(app.reminders.send_due("telegram", again)).sent == 0
    assert again.sent == []
    clock.advance(days=4)  # type: ignore[attr-defined]  # Monday 30 November: a new week
    next_week = Deliveries()
    assert asyncio.run(app.reminders.send_due("telegram", next_week)).sent == 1


def test_two_workers_racing_on_one_database_remind_once(make_app: Callable[[], App]) -> None:
    first_app, second_app = make_app(), make_app()
    opt_in(first_app, "601")
    opt_in(first_app, "602", MARTIN)
    deliveries = Deliveries()
    barrier = threading.Barrier(2)
    outcomes = []

    def worker(app: App) -> None:
        barrier.wait()
        outcomes.append(asyncio.run(app.reminders.send_due("telegram", deliveries)))

    threads = [threading.Thread(target=worker, args=(a,)) for a in (first_app, second_app)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    reminded = sorted(reminder.chat_id for reminder, _ in deliveries.sent)
    assert reminded == ["601", "602"]
    assert sum(o.sent for o in outcomes) == 2
    assert weeks_recorded(first_app.uow_factory) == 2


def test_a_user_who_did_not_opt_in_or_opted_out_is_not_reminded(app: App) -> None:
    chat = Chat(app, "502")
    chat.log_in()
    assert app.reminders.due("telegram") == []
    chat.say("activer les rappels")
    chat.say("stop les rappels")
    assert app.reminders.due("telegram") == []


def test_nothing_left_nothing_sent(app: App, oliviers: int, now: datetime) -> None:
    opt_in(app)
    left = rent_campaign(app.uow_factory(), user_id=oliviers, today=now.date()).remaining
    for line in left:
        answers = RentAnswers(
            tenant_id=line.tenant_id, rent_cents=40000, flatshare=False, unpaid_to_report=False
        )
        transmit_rent(app.uow_factory(), user_id=oliviers, answers=answers, now=now)
    deliveries = Deliveries()
    assert asyncio.run(app.reminders.send_due("telegram", deliveries)).sent == 0
    assert weeks_recorded(app.uow_factory) == 0


@pytest.mark.parametrize("day", [date(2027, 1, 16), date(2027, 6, 30)])
def test_nothing_is_sent_outside_the_campaign(app: App, clock: object, day: date) -> None:
    opt_in(app)
    clock.moment = datetime.combine(day, time(10), tzinfo=PARIS)  # type: ignore[attr-defined]
    assert app.reminders.due("telegram") == []


def test_the_campaign_is_reminded_until_mid_january(app: App, clock: object) -> None:
    opt_in(app)
    clock.moment = datetime(2027, 1, 15, 10, tzinfo=PARIS)  # type: ignore[attr-defined]
    due = app.reminders.due("telegram")
    assert [(r.year, r.remaining) for r in due] == [(2026, 4)]


def test_a_failed_delivery_gives_the_week_back(app: App) -> None:
    opt_in(app)
    refused = Deliveries(fail=True)
    outcome = asyncio.run(app.reminders.send_due("telegram", refused))
    assert (outcome.sent, outcome.skipped) == (0, 1)
    assert weeks_recorded(app.uow_factory) == 0
    assert asyncio.run(app.reminders.send_due("telegram", Deliveries())).sent == 1


def test_a_terminal_user_reads_the_reminder_at_login_once_a_week(app: App) -> None:
    chat = Chat(app, "claire", channel="console")
    chat.log_in()
    chat.say("activer les rappels")
    chat.say("/deconnexion")
    answer = Chat(app, "claire", channel="console").log_in()
    assert "Rappel : il vous reste 4 loyers à saisir sur 6" in answer
    chat.say("/deconnexion")
    assert "Rappel" not in Chat(app, "claire", channel="console").log_in()
    # A console choice is not sent by the Telegram job.
    assert app.reminders.due("telegram") == []


def test_remind_without_a_token_prints_what_it_would_send_and_records_nothing(
    app: App,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    opt_in(app, "777")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BAILLEUR_DATA_DIR", str(tmp_path / "cli"))
    monkeypatch.setenv("BAILLEUR_TODAY", "2026-11-23")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["remind"]) == 0
    printed = capsys.readouterr().out
    assert "Sans jeton Telegram, rien n'est envoyé" in printed
    assert "telegram:777" in printed
    assert "Rappel : il reste 4 loyers à saisir sur 6" in printed
    assert "1. Saisir mes loyers" in printed
    assert weeks_recorded(app.uow_factory) == 0
    monkeypatch.setenv("BAILLEUR_TODAY", "2026-03-02")
    assert main(["remind"]) == 0
    assert "Aucun rappel à envoyer aujourd'hui." in capsys.readouterr().out
