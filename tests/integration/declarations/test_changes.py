from datetime import date, timedelta

import pytest
from sqlalchemy import select

from services.core.errors import ChangeAlreadyDeclared, DateError, InvalidValue, NotFound
from services.declarations.changes import (
    declare_departure,
    declare_end_of_management,
    declare_flatshare,
)
from services.declarations.models import ChangeDeclaration, ChangeKind
from services.declarations.views import rent_campaign
from services.tenants.models import Tenant
from services.tenants.views import tenant_card
from tests.integration.conftest import pdf_text

TODAY = date(2026, 11, 23)


def _counts(uow_factory, user):
    campaign = rent_campaign(uow_factory(), user_id=user, today=TODAY)
    return len(campaign.remaining), campaign.total


def test_end_of_management_stops_the_rent_requests_and_gives_a_receipt(
    uow_factory, oliviers, tenant_id, now
):
    brisson = tenant_id("BRISSON")
    done = declare_end_of_management(
        uow_factory(),
        user_id=oliviers,
        tenant_id=brisson,
        ended_on=date(2026, 11, 15),
        reason="sale",
        new_manager="SCI DU PORT",
        now=now,
    )
    assert done.kind is ChangeKind.END_OF_MANAGEMENT
    assert done.reference.startswith("FDG-2026-")
    assert done.tenant_names == ("BRISSON Isabelle",)
    assert _counts(uow_factory, oliviers) == (3, 5)
    text = pdf_text(done.pdf)
    for expected in (
        done.reference,
        "20 RUE DOYEN MORIERE",
        "Vente du logement",
        "SCI DU PORT",
        "BRISSON Isabelle",
        "15/11/2026",
        "LES OLIVIERS",
    ):
        assert expected in text


def test_end_of_management_is_declared_once(uow_factory, oliviers, tenant_id, now):
    brisson = tenant_id("BRISSON")
    first = declare_end_of_management(
        uow_factory(),
        user_id=oliviers,
        tenant_id=brisson,
        ended_on=TODAY,
        reason="owner_death",
        now=now,
    )
    with pytest.raises(ChangeAlreadyDeclared) as refused:
        declare_end_of_management(
            uow_factory(),
            user_id=oliviers,
            tenant_id=brisson,
            ended_on=TODAY,
            reason="sale",
            now=now,
        )
    assert refused.value.reference == first.reference


@pytest.mark.parametrize(
    ("ended_on", "reason", "error", "code"),
    [
        (TODAY + timedelta(days=8), "sale", DateError, "ended_on_too_far_ahead"),
        (date(2012, 7, 9), "sale", DateError, "ended_on_before_move_in"),
        (TODAY, "bankruptcy", InvalidValue, "invalid_reason"),
    ],
)
def test_end_of_management_refusals_store_nothing(
    uow_factory, oliviers, tenant_id, now, ended_on, reason, error, code
):
    with pytest.raises(error) as refused:
        declare_end_of_management(
            uow_factory(),
            user_id=oliviers,
            tenant_id=tenant_id("BRISSON"),
            ended_on=ended_on,
            reason=reason,
            now=now,
        )
    assert refused.value.reason == code
    assert _counts(uow_factory, oliviers) == (4, 6)


def test_a_departure_removes_the_tenant_from_the_campaign_count(
    uow_factory, oliviers, tenant_id, now
):
    assert _counts(uow_factory, oliviers) == (4, 6)
    done = declare_departure(
        uow_factory(),
        user_id=oliviers,
        tenant_id=tenant_id("COUTURE"),
        departed_on=date(2026, 11, 10),
        lease_ended_on=date(2026, 11, 30),
        new_address="4 RUE NEUVE 75011 PARIS",
        now=now,
    )
    assert _counts(uow_factory, oliviers) == (3, 5)
    assert done.late is False
    assert done.report_by == date(2026, 12, 10)
    assert done.reference.startswith("DEP-2026-")
    text = pdf_text(done.pdf)
    for expected in (
        done.reference,
        "COUTURE Anthony",
        "580592",
        "10/11/2026",
        "30/11/2026",
        "4 RUE NEUVE 75011 PARIS",
        "Claire LEROUX",
    ):
        assert expected in text
    assert "plus d'un mois" not in text


def test_a_departure_more_than_a_month_old_is_flagged_late(uow_factory, oliviers, tenant_id, now):
    done = declare_departure(
        uow_factory(),
        user_id=oliviers,
        tenant_id=tenant_id("MUROT"),
        departed_on=date(2026, 10, 20),
        lease_ended_on=date(2026, 10, 31),
        now=now,
    )
    assert done.late is True
    text = pdf_text(done.pdf)
    assert "plus d'un mois" in text
    assert "Non connue" in text


@pytest.mark.parametrize(
    ("departed_on", "lease_ended_on", "error", "code"),
    [
        (
            TODAY + timedelta(days=8),
            TODAY + timedelta(days=8),
            DateError,
            "departed_on_too_far_ahead",
        ),
        (TODAY, TODAY + timedelta(days=8), DateError, "lease_ended_on_too_far_ahead"),
        (date(2021, 9, 14), date(2021, 9, 30), DateError, "departed_on_before_move_in"),
        (date(2026, 11, 10), date(2026, 11, 9), InvalidValue, "lease_ended_before_departure"),
    ],
)
def test_departure_refusals_keep_the_tenant(
    uow_factory, oliviers, tenant_id, now, departed_on, lease_ended_on, error, code
):
    with pytest.raises(error) as refused:
        declare_departure(
            uow_factory(),
            user_id=oliviers,
            tenant_id=tenant_id("COUTURE"),
            departed_on=departed_on,
            lease_ended_on=lease_ended_on,
            now=now,
        )
    assert refused.value.reason == code
    assert _counts(uow_factory, oliviers) == (4, 6)


def test_a_departure_is_declared_once(uow_factory, oliviers, tenant_id, now):
    couture = tenant_id("COUTURE")
    first = declare_departure(
        uow_factory(),
        user_id=oliviers,
        tenant_id=couture,
        departed_on=TODAY,
        lease_ended_on=TODAY,
        now=now,
    )
    with pytest.raises(ChangeAlreadyDeclared) as refused:
        declare_departure(
            uow_factory(),
            user_id=oliviers,
            tenant_id=couture,
            departed_on=TODAY,
            lease_ended_on=TODAY,
            now=now,
        )
    assert refused.value.reference == first.reference


def test_no_departure_once_the_management_ended(uow_factory, oliviers, tenant_id, now):
    brisson = tenant_id("BRISSON")
    declare_end_of_management(
        uow_factory(), user_id=oliviers, tenant_id=brisson, ended_on=TODAY, reason="other", now=now
    )
    with pytest.raises(InvalidValue) as refused:
        declare_departure(
            uow_factory(),
            user_id=oliviers,
            tenant_id=brisson,
            departed_on=TODAY,
            lease_ended_on=TODAY,
            now=now,
        )
    assert refused.value.reason == "management_ended"


def test_a_flatshare_updates_the_tenant_and_shows_on_the_card(
    uow_factory, oliviers, tenant_id, now
):
    milome = tenant_id("MILOME")
    done = declare_flatshare(
        uow_factory(),
        user_id=oliviers,
        tenant_id=milome,
        flatshare=True,
        cotenants=3,
        cotenant_names=["Paul ROUX", " Léa FAURE "],
        from_date=date(2026, 11, 1),
        now=now,
    )
    assert done.reference.startswith("COL-2026-")
    card = tenant_card(uow_factory(), user_id=oliviers, tenant_id=milome, today=TODAY)
    assert (card.flatshare, card.cotenants) == (True, 3)
    assert [(c.kind, c.reference) for c in card.open_changes] == [
        (ChangeKind.FLATSHARE, done.reference)
    ]
    text = pdf_text(done.pdf)
    for expected in (done.reference, "MILOME Syndy", "Paul ROUX, Léa FAURE", "01/11/2026", "Oui"):
        assert expected in text
    with uow_factory() as uow:
        stored = uow.session.scalars(select(ChangeDeclaration)).one()
        assert stored.cotenant_names == ["Paul ROUX", "Léa FAURE"]


@pytest.mark.parametrize(
    ("flatshare", "cotenants", "names", "from_date", "code"),
    [
        (True, 1, [], TODAY, "flatshare_needs_two"),
        (False, 2, [], TODAY, "single_tenant_is_one"),
        (True, 21, [], TODAY, "invalid_cotenants"),
        (True, 0, [], TODAY, "invalid_cotenants"),
        (True, 2, ["A", "B", "C"], TODAY, "too_many_names"),
        (False, 1, [], TODAY, "no_change"),
        (True, 2, [], TODAY + timedelta(days=8), "from_date_too_far_ahead"),
        (True, 2, [], date(2022, 12, 31), "from_date_before_move_in"),
    ],
)
def test_flatshare_refusals_leave_the_tenant_unchanged(
    uow_factory, oliviers, tenant_id, now, flatshare, cotenants, names, from_date, code
):
    milome = tenant_id("MILOME")
    with pytest.raises(InvalidValue) as refused:
        declare_flatshare(
            uow_factory(),
            user_id=oliviers,
            tenant_id=milome,
            flatshare=flatshare,
            cotenants=cotenants,
            cotenant_names=names,
            from_date=from_date,
            now=now,
        )
    assert refused.value.reason == code
    with uow_factory() as uow:
        tenant = uow.session.get(Tenant, milome)
        assert tenant is not None
        assert (tenant.flatshare, tenant.cotenants) == (False, 1)


def test_another_organisations_tenant_is_not_found_for_any_change(
    uow_factory, martin, oliviers, tenant_id, now
):
    brisson = tenant_id("BRISSON")
    calls = [
        lambda: declare_end_of_management(
            uow_factory(), user_id=martin, tenant_id=brisson, ended_on=TODAY, reason="sale", now=now
        ),
        lambda: declare_departure(
            uow_factory(),
            user_id=martin,
            tenant_id=brisson,
            departed_on=TODAY,
            lease_ended_on=TODAY,
            now=now,
        ),
        lambda: declare_flatshare(
            uow_factory(),
            user_id=martin,
            tenant_id=brisson,
            flatshare=True,
            cotenants=2,
            from_date=TODAY,
            now=now,
        ),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    assert _counts(uow_factory, oliviers) == (4, 6)
    with uow_factory() as uow:
        assert uow.session.scalars(select(ChangeDeclaration)).all() == []


def test_inside_a_turn_a_change_is_kept_only_if_the_turn_commits(
    uow_factory, oliviers, tenant_id, now
):
    couture = tenant_id("COUTURE")
    turn = uow_factory()
    with turn:
        declare_departure(
            turn,
            user_id=oliviers,
            tenant_id=couture,
            departed_on=TODAY,
            lease_ended_on=TODAY,
            now=now,
        )
    assert _counts(uow_factory, oliviers) == (4, 6)
    with turn:
        declare_departure(
            turn,
            user_id=oliviers,
            tenant_id=couture,
            departed_on=TODAY,
            lease_ended_on=TODAY,
            now=now,
        )
        turn.commit()
    assert _counts(uow_factory, oliviers) == (3, 5)


def test_the_tenant_buttons_of_a_change_leave_out_a_departed_tenant(app):
    from tests.integration.chat import MARTIN, Chat

    chat = Chat(app)
    chat.log_in(MARTIN)
    chat.say("nguyen est parti le 3/11")
    chat.say("le même jour")
    chat.say("oui")
    chat.say("je veux declarer un depart")
    assert chat.last is not None
    labels = [c.label for m in chat.last.messages for c in m.choices]
    assert "LEBRUN Camille" in labels and "PETIT Lucie" in labels
    assert "NGUYEN Thomas" not in labels
