from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from services.accounts.models import DwellingKind, Organisation, OrganisationKind
from services.core.db import UowFactory
from services.core.errors import NotFound, RentAlreadyTransmitted
from services.declarations.models import RentDeclaration
from services.declarations.rent import RentAnswers, transmit_rent
from services.declarations.views import rent_campaign, rent_facts
from services.tenants.models import Dwelling, Tenant
from services.tenants.views import tenant_candidates

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _admin_and_brisson(uow_factory: UowFactory) -> tuple[int, int]:
    rows = tenant_candidates(uow_factory(), user_id=1, today=TODAY)
    brisson = next(i for i, _first, last in rows if last == "BRISSON")
    return 1, brisson


def test_campaign_lists_the_six_demo_tenants_with_four_left_to_declare(uow_factory):
    campaign = rent_campaign(uow_factory(), user_id=1, today=TODAY)
    assert campaign.year == 2026
    assert campaign.total == 6
    assert [line.last_name for line in campaign.remaining] == [
        "BRISSON",
        "COUTURE",
        "MILOME",
        "MUROT",
    ]


def test_campaign_year_is_last_year_before_july(uow_factory):
    assert rent_campaign(uow_factory(), user_id=1, today=date(2027, 6, 30)).year == 2026
    assert rent_campaign(uow_factory(), user_id=1, today=date(2027, 7, 1)).year == 2027


def test_brisson_last_known_information_matches_the_reference_screen(uow_factory):
    user_id, brisson = _admin_and_brisson(uow_factory)
    facts = rent_facts(uow_factory(), user_id=user_id, tenant_id=brisson, today=TODAY)
    assert facts.last_rent_cents == 32875
    assert facts.since == date(2012, 7, 10)
    assert facts.flatshare is False
    assert facts.address == "20 RUE DOYEN MORIERE 14000 CAEN"
    assert facts.allocataire_number == "171842"


def test_transmission_stores_once_and_refuses_a_second_time(uow_factory):
    user_id, brisson = _admin_and_brisson(uow_factory)
    answers = RentAnswers(
        tenant_id=brisson, rent_cents=33000, flatshare=False, unpaid_to_report=False
    )
    done = transmit_rent(uow_factory(), user_id=user_id, answers=answers, now=NOW)
    assert done.reference.startswith("LOY-2026-")
    with pytest.raises(RentAlreadyTransmitted) as already:
        transmit_rent(uow_factory(), user_id=user_id, answers=answers, now=NOW)
    assert already.value.rent_cents == 33000
    assert already.value.reference == done.reference
    uow = uow_factory()
    with uow:
        count = uow.session.scalar(
            select(func.count()).where(
                RentDeclaration.tenant_id == brisson, RentDeclaration.year == 2026
            )
        )
    assert count == 1
    assert len(rent_campaign(uow_factory(), user_id=user_id, today=TODAY).remaining) == 3


def test_another_organisations_tenant_is_not_found(uow_factory):
    uow = uow_factory()
    with uow:
        other = Organisation(
            name="AUTRE", kind=OrganisationKind.PHYSIQUE, user_number="76AUTRE0000001"
        )
        dwelling = Dwelling(
            organisation=other,
            address="1 RUE X",
            postcode="76000",
            commune="ROUEN",
            departement="76",
            kind=DwellingKind.PRIVE,
        )
        tenant = Tenant(
            dwelling=dwelling,
            last_name="SECRET",
            first_name="Paul",
            allocataire_number="1234567",
            since=date(2020, 1, 1),
        )
        uow.session.add_all([other, dwelling, tenant])
        uow.commit()
        foreign_id = tenant.id
    with pytest.raises(NotFound):
        rent_facts(uow_factory(), user_id=1, tenant_id=foreign_id, today=TODAY)
    answers = RentAnswers(
        tenant_id=foreign_id, rent_cents=33000, flatshare=False, unpaid_to_report=False
    )
    with pytest.raises(NotFound):
        transmit_rent(uow_factory(), user_id=1, answers=answers, now=NOW)
    names = [last for _i, _f, last in tenant_candidates(uow_factory(), user_id=1, today=TODAY)]
    assert "SECRET" not in names


def test_unit_of_work_rolls_back_unless_committed(uow_factory):
    uow = uow_factory()
    with uow:
        uow.session.add(
            Organisation(name="TEMP", kind=OrganisationKind.MORALE, user_number="TEMP0000000001")
        )
    uow = uow_factory()
    with uow:
        assert uow.session.scalar(select(func.count()).where(Organisation.name == "TEMP")) == 0


def test_a_nested_block_rolls_back_alone_inside_a_committed_turn(uow_factory):
    uow = uow_factory()
    with uow:
        uow.session.add(
            Organisation(name="KEPT", kind=OrganisationKind.MORALE, user_number="KEPT0000000001")
        )
        with uow:
            uow.session.add(
                Organisation(
                    name="DROPPED", kind=OrganisationKind.MORALE, user_number="DROP0000000001"
                )
            )
        uow.commit()
    uow = uow_factory()
    with uow:
        names = set(uow.session.scalars(select(Organisation.name)))
    assert "KEPT" in names
    assert "DROPPED" not in names


def test_seeding_twice_changes_nothing(uow_factory):
    from services.demo.seed import seed_demo

    report = seed_demo(uow_factory(), today=TODAY)
    assert report.created == ()
    uow = uow_factory()
    with uow:
        assert uow.session.scalar(select(func.count()).select_from(Organisation)) >= 1
        assert (
            uow.session.scalar(
                select(func.count()).where(Organisation.user_number == "14OLIVIERS0001")
            )
            == 1
        )
