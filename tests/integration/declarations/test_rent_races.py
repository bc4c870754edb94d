"""The rent's transmission is one upsert: a colleague's transmission racing it, a « Non saisi »
row already there, a refusal inside a turn that goes on; the facts read in one statement keep
a colleague's scope to their habilitation groups."""

import threading
import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from services.accounts.models import HabilitationGroup, User
from services.core.db import UowFactory
from services.core.errors import NotFound, RentAlreadyTransmitted
from services.declarations.models import DeclarationState, RentDeclaration
from services.declarations.rent import RentAnswers, transmit_rent
from services.declarations.views import rent_facts
from services.tenants.models import Dwelling, Tenant
from services.tenants.views import tenant_candidates

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _brisson(uow_factory: UowFactory) -> int:
    rows = tenant_candidates(uow_factory(), user_id=1, today=TODAY)
    return next(i for i, _first, last in rows if last == "BRISSON")


def _answers(tenant_id: int, *, cents: int = 33000, flatshare: bool = False) -> RentAnswers:
    return RentAnswers(
        tenant_id=tenant_id, rent_cents=cents, flatshare=flatshare, unpaid_to_report=False
    )


def _rows(uow_factory: UowFactory, tenant_id: int) -> list[tuple[object, ...]]:
    """(state, rent, reference, transmitted by, flat-share) of the tenant's 2026 rows."""
    uow = uow_factory()
    with uow:
        rows = uow.session.scalars(
            select(RentDeclaration).where(
                RentDeclaration.tenant_id == tenant_id, RentDeclaration.year == 2026
            )
        )
        return [
            (r.state, r.rent_cents, r.receipt_reference, r.transmitted_by_id, r.flatshare)
            for r in rows
        ]


def _flatshare(uow_factory: UowFactory, tenant_id: int) -> bool:
    uow = uow_factory()
    with uow:
        return bool(
            uow.session.scalars(select(Tenant.flatshare).where(Tenant.id == tenant_id)).one()
        )


def test_a_non_saisi_row_is_filled_in(uow_factory):
    brisson = _brisson(uow_factory)
    uow = uow_factory()
    with uow:
        uow.session.add(RentDeclaration(tenant_id=brisson, year=2026))
        uow.commit()
    done = transmit_rent(uow_factory(), user_id=1, answers=_answers(brisson), now=NOW)
    assert _rows(uow_factory, brisson) == [
        (DeclarationState.TRANSMIS, 33000, done.reference, 1, False)
    ]


def test_a_colleague_racing_the_same_tenant_is_told_already_transmitted(uow_factory):
    """Two turns transmit the same tenant at once: the second waits for the first's commit and
    is refused with its reference; its flat-share answer is taken back with its write."""
    brisson = _brisson(uow_factory)
    first = uow_factory()
    outcome: dict[str, object] = {}

    def colleague() -> None:
        turn = uow_factory()
        with turn:
            try:
                transmit_rent(
                    turn, user_id=1, answers=_answers(brisson, cents=34000, flatshare=True), now=NOW
                )
            except RentAlreadyTransmitted as already:
                outcome["already"] = already
            turn.commit()  # the turn goes on and commits (its conversation state)

    with first:
        done = transmit_rent(first, user_id=1, answers=_answers(brisson), now=NOW)
        racing = threading.Thread(target=colleague)
        racing.start()
        time.sleep(0.5)  # the colleague is now waiting for this turn's lock or row
        first.commit()
    racing.join(timeout=10)
    assert not racing.is_alive()
    already = outcome["already"]
    assert isinstance(already, RentAlreadyTransmitted)
    assert (already.reference, already.rent_cents) == (done.reference, 33000)
    assert _rows(uow_factory, brisson) == [
        (DeclarationState.TRANSMIS, 33000, done.reference, 1, False)
    ]
    assert _flatshare(uow_factory, brisson) is False


def test_a_refused_transmission_inside_a_turn_keeps_the_turn_going(uow_factory):
    brisson = _brisson(uow_factory)
    transmit_rent(uow_factory(), user_id=1, answers=_answers(brisson), now=NOW)
    turn = uow_factory()
    with turn:
        with pytest.raises(RentAlreadyTransmitted):
            transmit_rent(turn, user_id=1, answers=_answers(brisson, flatshare=True), now=NOW)
        turn.session.execute(select(1))  # the transaction is still usable
        turn.commit()
    assert _flatshare(uow_factory, brisson) is False
    assert len(_rows(uow_factory, brisson)) == 1


def test_a_flatshare_answer_is_kept_with_the_transmission(uow_factory):
    brisson = _brisson(uow_factory)
    turn = uow_factory()
    with turn:
        done = transmit_rent(turn, user_id=1, answers=_answers(brisson, flatshare=True), now=NOW)
        turn.commit()
    assert done.flatshare is True
    assert _flatshare(uow_factory, brisson) is True
    assert _rows(uow_factory, brisson) == [
        (DeclarationState.TRANSMIS, 33000, done.reference, 1, True)
    ]


def _colleague_with_groups(uow_factory: UowFactory, brisson: int, *, same_departement: bool) -> int:
    """A user of LES OLIVIERS who is no administrator, with one group: brisson's dwelling kind,
    in brisson's departement or in another."""
    uow = uow_factory()
    with uow:
        session = uow.session
        dwelling = session.scalars(
            select(Dwelling)
            .join(Tenant, Tenant.dwelling_id == Dwelling.id)
            .where(Tenant.id == brisson)
        ).one()
        departement = dwelling.departement if same_departement else "975"
        group = session.scalars(
            select(HabilitationGroup).where(
                HabilitationGroup.organisation_id == dwelling.organisation_id,
                HabilitationGroup.dwelling_kind == dwelling.kind,
                HabilitationGroup.departement == departement,
            )
        ).one_or_none() or HabilitationGroup(
            organisation_id=dwelling.organisation_id,
            dwelling_kind=dwelling.kind,
            departement=departement,
        )
        user = User(
            organisation_id=dwelling.organisation_id,
            login=f"colleague.{same_departement}",
            password_hash="x",
            groups=[group],
        )
        session.add_all([group, user])
        uow.commit()
        return user.id


@pytest.mark.parametrize("same_departement", [True, False])
def test_a_colleague_s_scope_is_their_groups(uow_factory, same_departement):
    brisson = _brisson(uow_factory)
    colleague = _colleague_with_groups(uow_factory, brisson, same_departement=same_departement)
    if same_departement:
        facts = rent_facts(uow_factory(), user_id=colleague, tenant_id=brisson, today=TODAY)
        assert facts.last_name == "BRISSON"
        done = transmit_rent(uow_factory(), user_id=colleague, answers=_answers(brisson), now=NOW)
        assert _rows(uow_factory, brisson) == [
            (DeclarationState.TRANSMIS, 33000, done.reference, colleague, False)
        ]
        return
    with pytest.raises(NotFound):
        rent_facts(uow_factory(), user_id=colleague, tenant_id=brisson, today=TODAY)
    with pytest.raises(NotFound):
        transmit_rent(uow_factory(), user_id=colleague, answers=_answers(brisson), now=NOW)
    assert _rows(uow_factory, brisson) == []
