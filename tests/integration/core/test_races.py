"""Races between workers are answers, never the apology: two workers taking the first message of
a new chat, two colleagues validating the same declaration at the same moment. Each "worker" is
its own application (its own connection pool) on the same database, in its own thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from functools import partial

from sqlalchemy import func, select

from bot.bootstrap import App
from dialogs.io import Inbound
from services.core.errors import UnpaidAlreadyReported
from services.core.races import lost_race
from services.declarations.models import RentDeclaration, UnpaidReport
from services.declarations.unpaid import ReportedUnpaid, report_unpaid
from services.declarations.views import unpaid_history
from tests.integration.declarations.test_declaration_conversations import Chat

APOLOGY = "Désolé"
ROUNDS = 12


def together(*calls: Callable[[], object]) -> list[object]:
    """Runs the calls in threads released at the same instant."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> object:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def text_of(app: App, chat: str, text: str, update_id: int) -> str:
    reply = app.engine.handle(Inbound(channel="test", chat_id=chat, text=text, update_id=update_id))
    return "\n".join(m.text for m in reply.messages)


def test_the_first_message_of_a_new_chat_on_two_workers_gets_two_answers(
    make_app: Callable[[], App],
) -> None:
    first, second = make_app(), make_app()
    apology = first.engine.domain.render("utter_internal_error").text
    for round_ in range(ROUNDS):
        chat = f"new-{round_}"
        answers = together(
            partial(text_of, first, chat, "bonjour", 1),
            partial(text_of, second, chat, "aide", 2),
        )
        assert all(answer and apology not in str(answer) for answer in answers), answers


def _transmitted(app: App) -> int:
    uow = app.uow_factory()
    with uow:
        query = select(func.count()).select_from(RentDeclaration)
        return int(
            uow.session.scalar(query.where(RentDeclaration.transmitted_at.is_not(None))) or 0
        )


def test_two_colleagues_validating_the_same_rent_at_once_one_is_told_it_is_done(
    make_app: Callable[[], App],
) -> None:
    first, second = make_app(), make_app()
    before = _transmitted(first)
    for round_, tenant in enumerate(("brisson", "couture", "milome")):
        one, two = Chat(first, f"one-{round_}"), Chat(second, f"two-{round_}")
        for chat in (one, two):
            chat.log_in()
            assert "Récapitulatif" in chat.say(f"loyer {tenant} 330")
        answers = [
            str(a) for a in together(partial(one.say, "valider"), partial(two.say, "valider"))
        ]
        assert sum("est transmise" in a for a in answers) == 1, answers
        assert sum("déjà été transmis" in a for a in answers) == 1, answers
    assert _transmitted(first) == before + 3


def test_two_colleagues_reporting_the_same_unpaid_at_once_one_is_told_it_is_done(
    uow_factory, oliviers: int, tenant_id: Callable[[str], int], now: datetime
) -> None:
    couture = tenant_id("COUTURE")
    today = date(2026, 11, 23)
    lines = unpaid_history(uow_factory(), user_id=oliviers, tenant_id=couture, today=today).lines

    def report() -> ReportedUnpaid | UnpaidAlreadyReported:
        try:
            return report_unpaid(
                uow_factory(),
                user_id=oliviers,
                tenant_id=couture,
                first_month=date(2026, 8, 1),
                lines=lines,
                now=now,
            )
        except UnpaidAlreadyReported as already:
            return already

    outcomes = together(report, report)
    assert sorted(type(o).__name__ for o in outcomes) == ["ReportedUnpaid", "UnpaidAlreadyReported"]
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(UnpaidReport.id))) == 1


def test_only_lost_races_are_retried() -> None:
    assert not lost_race(ValueError("database is locked"))
