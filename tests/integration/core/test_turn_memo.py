"""What one transaction remembers of its reads (`services.core.memo`): read once, forgotten at
the first write or at a savepoint rolled back, and never carried into the next transaction."""

from datetime import UTC, date, datetime

from sqlalchemy import event, select, update

from services.accounts.acting import active, load_for_turn_acting
from services.core.conversations import load_for_turn
from services.core.db import DatabaseUowFactory
from services.core.models import Conversation
from services.declarations.rent import RentAnswers, transmit_rent
from services.declarations.views import rent_facts
from services.tenants.models import Tenant
from services.tenants.views import tenant_candidates

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ADMIN = 1  # oliviers.admin in the demo data


def _brisson(uow_factory: DatabaseUowFactory) -> int:
    rows = tenant_candidates(uow_factory(), user_id=ADMIN, today=TODAY)
    return next(i for i, _first, last in rows if last == "BRISSON")


class Statements:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: object) -> None:
        self.count += 1


def test_the_tenants_facts_asked_three_times_in_a_transaction_are_read_once(uow_factory):
    brisson = _brisson(uow_factory)
    counter = Statements()
    event.listen(uow_factory.engine, "before_cursor_execute", counter)
    try:
        uow = uow_factory()
        with uow:
            first = rent_facts(uow, user_id=ADMIN, tenant_id=brisson, today=TODAY)
            read = counter.count
            again = [rent_facts(uow, user_id=ADMIN, tenant_id=brisson, today=TODAY) for _ in "ab"]
            assert counter.count == read
    finally:
        event.remove(uow_factory.engine, "before_cursor_execute", counter)
    assert again == [first, first]


def test_a_read_after_a_write_in_the_same_transaction_sees_the_write(uow_factory):
    brisson = _brisson(uow_factory)
    answers = RentAnswers(
        tenant_id=brisson, rent_cents=33000, flatshare=True, unpaid_to_report=False
    )
    uow = uow_factory()
    with uow:
        before = rent_facts(uow, user_id=ADMIN, tenant_id=brisson, today=TODAY)
        transmit_rent(uow, user_id=ADMIN, answers=answers, now=NOW)
        after = rent_facts(uow, user_id=ADMIN, tenant_id=brisson, today=TODAY)
    assert (before.transmitted_at, before.flatshare) == (None, False)
    assert (after.transmitted_rent_cents, after.flatshare) == (33000, True)


def test_a_rolled_back_write_is_not_seen_by_the_next_read(uow_factory):
    brisson = _brisson(uow_factory)
    uow = uow_factory()
    with uow:
        with uow:
            tenant = uow.session.get(Tenant, brisson)
            assert tenant is not None
            tenant.flatshare = True
            uow.flush()
            assert rent_facts(uow, user_id=ADMIN, tenant_id=brisson, today=TODAY).flatshare
        assert not rent_facts(uow, user_id=ADMIN, tenant_id=brisson, today=TODAY).flatshare


def test_nothing_is_remembered_from_one_transaction_to_the_next(uow_factory):
    brisson = _brisson(uow_factory)
    assert not rent_facts(uow_factory(), user_id=ADMIN, tenant_id=brisson, today=TODAY).flatshare
    uow = uow_factory()
    with uow:
        uow.session.scalars(select(Tenant).where(Tenant.id == brisson)).one().flatshare = True
        uow.commit()
    assert rent_facts(uow_factory(), user_id=ADMIN, tenant_id=brisson, today=TODAY).flatshare


def test_the_turn_s_locking_read_gives_the_acting_user_and_a_write_reads_it_again(uow_factory):
    """`load_for_turn_acting` remembers the bound user's values read with the chat's row: no
    statement of its own until a write forgets them; a chat nobody is bound to gets none."""
    chat = "memo-acting"
    brisson = _brisson(uow_factory)
    uow = uow_factory()
    with uow:
        load_for_turn(uow, channel="test", chat_id=chat)
        uow.session.execute(
            update(Conversation).where(Conversation.chat_id == chat).values(user_id=ADMIN)
        )
        uow.commit()
    counter = Statements()
    event.listen(uow_factory.engine, "before_cursor_execute", counter)
    try:
        uow = uow_factory()
        with uow:
            record = load_for_turn_acting(uow, channel="test", chat_id=chat)
            read = counter.count
            user = active(uow.session, record.user_id, TODAY)
            assert (user.id, user.login, counter.count) == (ADMIN, "oliviers.admin", read)
            transmit_rent(
                uow,
                user_id=ADMIN,
                answers=RentAnswers(
                    tenant_id=brisson,
                    rent_cents=33000,
                    flatshare=False,
                    unpaid_to_report=False,
                ),
                now=NOW,
            )
            before = counter.count
            assert active(uow.session, ADMIN, TODAY) == user
            assert counter.count == before + 1  # read again after the write
    finally:
        event.remove(uow_factory.engine, "before_cursor_execute", counter)
    uow = uow_factory()
    with uow:
        anonymous = load_for_turn_acting(uow, channel="test", chat_id="memo-nobody")
        assert anonymous.user_id is None and not uow.session.info.get("memo")
