"""Users and habilitation groups: who may create and close users, the form's refusals, the
credentials email, and the scope a group gives."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from services.accounts.login import authenticate
from services.accounts.models import User
from services.accounts.users import (
    close_user,
    create_user,
    make_habilitation_manager,
    replace_admin,
)
from services.accounts.views import list_users
from services.core.errors import AuthenticationError, DateError, InvalidFields, NotAllowed, NotFound
from services.tenants.groups import list_groups
from services.tenants.models import Tenant
from services.tenants.scope import tenant_in_scope, tenants_in_scope

ADMIN = "oliviers.admin"


def _form(**changes):
    values = dict(
        last_name="Martin",
        first_name="Élodie",
        email="e.martin@lesoliviers.example",
        email_confirmation="e.martin@lesoliviers.example",
        phone=None,
        phone_confirmation=None,
        mobile_worker=False,
        opened_on=None,
        closed_on=None,
    )
    values.update(changes)
    return values


@pytest.fixture
def groups(uow_factory, now, user_id):
    views = list_groups(uow_factory(), actor_id=user_id(ADMIN), now=now)
    return {view.label: view.id for view in views}


@pytest.fixture
def private_user(uow_factory, now, user_id, groups):
    """A user of LES OLIVIERS habilitated for the private dwellings of the Calvados only."""
    return create_user(
        uow_factory(),
        actor_id=user_id(ADMIN),
        group_ids=[groups["Logements privés (14)"]],
        now=now,
        **_form(),
    )


def test_an_organisation_starts_with_the_groups_its_dwellings_need(uow_factory, now, user_id):
    views = list_groups(uow_factory(), actor_id=user_id(ADMIN), now=now)

    assert [(v.label, v.dwelling_kind, v.departement, v.dwellings) for v in views] == [
        ("Logements conventionnés (14)", "conventionne", "14", 4),
        ("Logements privés (14)", "prive", "14", 2),
    ]


def test_creating_a_user_emails_an_identifier_and_a_provisional_password(
    uow_factory, now, outbox, audit, credentials_in, private_user
):
    assert private_user.login == "elodie.martin01"
    assert (private_user.first_name, private_user.last_name) == ("Élodie", "MARTIN")
    assert private_user.group_labels == ("Logements privés (14)",)
    assert private_user.active and not private_user.is_admin
    (message,) = outbox()
    assert (message.medium, message.recipient) == ("email", "e.martin@lesoliviers.example")
    login, password = credentials_in(message.body)
    assert login == "elodie.martin01"
    assert authenticate(uow_factory(), login=login, password=password, now=now).must_change_password
    with pytest.raises(AuthenticationError):  # expired after 24 hours
        authenticate(uow_factory(), login=login, password=password, now=now + timedelta(hours=24))
    assert all(password not in e.detail for e in audit())


def test_identifiers_stay_unique(uow_factory, now, user_id, groups):
    admin = user_id(ADMIN)
    group = [groups["Logements privés (14)"]]
    logins = [
        create_user(uow_factory(), actor_id=admin, group_ids=group, now=now, **_form()).login
        for _ in range(3)
    ]
    assert logins == ["elodie.martin01", "elodie.martin02", "elodie.martin03"]


def test_a_user_opening_later_gets_24_hours_from_the_opening_day(
    uow_factory, now, user_id, groups, outbox, credentials_in
):
    opening = date(2026, 12, 1)
    view = create_user(
        uow_factory(),
        actor_id=user_id(ADMIN),
        group_ids=[groups["Logements privés (14)"]],
        now=now,
        **_form(opened_on=opening),
    )
    assert not view.active
    _, password = credentials_in(outbox()[-1].body)
    with pytest.raises(AuthenticationError):  # not open yet
        authenticate(uow_factory(), login=view.login, password=password, now=now)
    on_opening_day = now + timedelta(days=8)
    assert authenticate(uow_factory(), login=view.login, password=password, now=on_opening_day)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"last_name": " "}, {"last_name": "required"}),
        ({"first_name": ""}, {"first_name": "required"}),
        ({"email": "", "email_confirmation": ""}, {"email": "required"}),
        ({"email": "martin.example"}, {"email": "email_format"}),
        ({"email_confirmation": "e.martin@lesolivier.example"}, {"email_confirmation": "mismatch"}),
        ({"phone": "06 12 34 56 78"}, {"phone_confirmation": "confirmation_required"}),
        (
            {"phone": "0612345678", "phone_confirmation": "0612345679"},
            {"phone_confirmation": "mismatch"},
        ),
        ({"phone": "12 34", "phone_confirmation": "12 34"}, {"phone": "phone_format"}),
        (
            {"opened_on": date(2026, 12, 1), "closed_on": date(2026, 12, 1)},
            {"closed_on": "before_opening"},
        ),
        ({"closed_on": date(2026, 11, 1)}, {"closed_on": "before_opening"}),
        (
            {"last_name": "", "email": "x", "email_confirmation": "x"},
            {"last_name": "required", "email": "email_format"},
        ),
    ],
)
def test_the_user_form_refuses(uow_factory, now, user_id, groups, outbox, changes, fields):
    with pytest.raises(InvalidFields) as error:
        create_user(
            uow_factory(),
            actor_id=user_id(ADMIN),
            group_ids=[groups["Logements privés (14)"]],
            now=now,
            **_form(**changes),
        )
    assert error.value.fields == fields
    assert outbox() == []


def test_groups_are_required_and_must_be_the_organisations(uow_factory, now, user_id):
    admin = user_id(ADMIN)
    port_group = list_groups_of_port(uow_factory, now, user_id)
    with pytest.raises(InvalidFields) as error:
        create_user(uow_factory(), actor_id=admin, group_ids=[], now=now, **_form())
    assert error.value.fields == {"group_ids": "required"}
    with pytest.raises(InvalidFields) as error:
        create_user(uow_factory(), actor_id=admin, group_ids=[port_group], now=now, **_form())
    assert error.value.fields == {"group_ids": "unknown_group"}


def list_groups_of_port(uow_factory, now, user_id):
    with uow_factory() as uow:
        return uow.session.get(User, user_id("port.bailleur")).organisation.groups[0].id


def test_only_the_administrator_and_habilitation_managers_manage_users(
    uow_factory, now, user_id, groups, private_user
):
    for call in (
        lambda: create_user(
            uow_factory(),
            actor_id=private_user.id,
            group_ids=[groups["Logements privés (14)"]],
            now=now,
            **_form(),
        ),
        lambda: list_users(uow_factory(), actor_id=private_user.id, now=now),
        lambda: list_groups(uow_factory(), actor_id=private_user.id, now=now),
        lambda: close_user(
            uow_factory(),
            actor_id=private_user.id,
            user_id=user_id(ADMIN),
            on=date(2026, 12, 1),
            now=now,
        ),
    ):
        with pytest.raises(NotAllowed) as error:
            call()
        assert str(error.value) == "not_habilitation_manager"


def test_a_habilitation_manager_gives_only_their_own_groups(
    uow_factory, now, user_id, groups, private_user
):
    admin = user_id(ADMIN)
    with pytest.raises(NotAllowed) as error:
        make_habilitation_manager(uow_factory(), actor_id=private_user.id, user_id=admin, now=now)
    assert str(error.value) == "admin_only"
    manager = make_habilitation_manager(
        uow_factory(), actor_id=admin, user_id=private_user.id, now=now
    )
    assert manager.is_habilitation_manager

    assert [g.label for g in list_groups(uow_factory(), actor_id=manager.id, now=now)] == [
        "Logements privés (14)"
    ]
    with pytest.raises(InvalidFields) as refused:
        create_user(
            uow_factory(),
            actor_id=manager.id,
            now=now,
            group_ids=[groups["Logements conventionnés (14)"]],
            **_form(first_name="Luc"),
        )
    assert refused.value.fields == {"group_ids": "not_your_group"}
    created = create_user(
        uow_factory(),
        actor_id=manager.id,
        group_ids=[groups["Logements privés (14)"]],
        now=now,
        **_form(first_name="Luc"),
    )
    assert created.login == "luc.martin01"
    assert {u.login for u in list_users(uow_factory(), actor_id=manager.id, now=now)} == {
        "elodie.martin01",
        "luc.martin01",
    }
    assert {u.login for u in list_users(uow_factory(), actor_id=admin, now=now)} == {
        ADMIN,
        "elodie.martin01",
        "luc.martin01",
    }


def test_closing_a_user_ends_their_access_that_day(
    uow_factory, now, user_id, private_user, outbox, credentials_in
):
    _, password = credentials_in(outbox()[-1].body)
    closed = close_user(
        uow_factory(),
        actor_id=user_id(ADMIN),
        user_id=private_user.id,
        on=date(2026, 11, 30),
        now=now,
    )
    assert closed.closed_on == date(2026, 11, 30)
    assert closed.active

    with pytest.raises(AuthenticationError):  # refused like any failure
        authenticate(
            uow_factory(), login=private_user.login, password=password, now=now + timedelta(days=7)
        )


def test_closing_refusals(uow_factory, now, user_id, private_user):
    admin = user_id(ADMIN)
    with pytest.raises(NotAllowed) as error:
        close_user(uow_factory(), actor_id=admin, user_id=admin, on=date(2026, 12, 1), now=now)
    assert str(error.value) == "replace_admin"
    with pytest.raises(DateError):
        close_user(
            uow_factory(), actor_id=admin, user_id=private_user.id, on=date(2026, 11, 1), now=now
        )
    with pytest.raises(NotFound):
        close_user(
            uow_factory(),
            actor_id=admin,
            user_id=user_id("port.bailleur"),
            on=date(2026, 12, 1),
            now=now,
        )


def test_replacing_the_administrator_is_for_the_caf(uow_factory, now, user_id, private_user):
    admin = user_id(ADMIN)
    with pytest.raises(NotAllowed) as error:
        replace_admin(uow_factory(), actor_id=admin, user_id=private_user.id, now=now)
    assert str(error.value) == "replace_admin"
    with pytest.raises(NotAllowed) as error:
        make_habilitation_manager(uow_factory(), actor_id=admin, user_id=admin, now=now)
    assert str(error.value) == "replace_admin"


def _visible(uow_factory, user_id_):
    with uow_factory() as uow:
        user = uow.session.get(User, user_id_)
        return sorted(t.last_name for t in uow.session.scalars(tenants_in_scope(user)))


def test_a_private_dwellings_user_sees_only_private_tenants(uow_factory, user_id, private_user):
    assert _visible(uow_factory, private_user.id) == ["DUPONT", "MUROT"]
    assert _visible(uow_factory, user_id(ADMIN)) == [
        "BEAUVOIS",
        "BRISSON",
        "COUTURE",
        "DUPONT",
        "MILOME",
        "MUROT",
    ]


def test_a_private_dwellings_user_cannot_reach_a_conventionne_tenant_by_id(
    uow_factory, private_user
):
    with uow_factory() as uow:
        brisson = uow.session.scalars(select(Tenant).where(Tenant.last_name == "BRISSON")).one()
        user = uow.session.get(User, private_user.id)
        with pytest.raises(NotFound):
            tenant_in_scope(uow.session, user, brisson.id)
        dupont = uow.session.scalars(select(Tenant).where(Tenant.last_name == "DUPONT")).one()
        assert tenant_in_scope(uow.session, user, dupont.id).id == dupont.id


def test_no_user_sees_another_organisations_tenants(uow_factory, now, user_id):
    port = _visible(uow_factory, user_id("port.bailleur"))
    oliviers = _visible(uow_factory, user_id(ADMIN))

    assert port == ["FABRE", "GUERIN", "NAVARRO"]
    assert not set(port) & set(oliviers)
