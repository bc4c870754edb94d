"""The first connection of an organisation: four steps, then the first user to finish becomes
its administrator with every group; a later user does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.accounts.first_login import (
    accept_rules,
    accept_terms,
    complete_first_login,
    record_contact,
    set_password,
)
from services.accounts.login import authenticate
from services.accounts.models import Organisation, User
from services.accounts.users import create_user
from services.accounts.views import first_login_state
from services.core.errors import FirstLoginIncomplete, InvalidFields
from services.tenants.groups import list_groups


def _finish_steps(uow_factory, user_id, now, password="Bateau-Vert-2027!"):
    record_contact(
        uow_factory(),
        user_id=user_id,
        email="direction@port.example",
        phone="05 46 41 00 00",
        now=now,
    )
    set_password(uow_factory(), user_id=user_id, new=password, now=now)
    accept_rules(uow_factory(), user_id=user_id, now=now)
    return accept_terms(uow_factory(), user_id=user_id, now=now)


def test_a_never_connected_organisation_has_four_steps(uow_factory, user_id):
    state = first_login_state(uow_factory(), user_id=user_id("port.bailleur"))

    assert state.remaining == ("contact", "password", "rules", "terms")
    assert state.organisation_never_connected is True
    assert state.done is False


def test_contact_details_are_validated_together(uow_factory, now, user_id):
    with pytest.raises(InvalidFields) as error:
        record_contact(
            uow_factory(),
            user_id=user_id("port.bailleur"),
            email="pas-un-email",
            phone="12",
            now=now,
        )
    assert error.value.fields == {"email": "email_format", "phone": "phone_format"}


def test_contact_details_are_normalised(uow_factory, now, user_id, user_row):
    state = record_contact(
        uow_factory(),
        user_id=user_id("port.bailleur"),
        email=" Direction@PORT.example ",
        phone="+33 5 46 41 00 00",
        now=now,
    )

    user = user_row("port.bailleur")
    assert (user.email, user.phone) == ("Direction@port.example", "0546410000")
    assert state.remaining == ("password", "rules", "terms")


def test_completing_too_early_says_which_steps_remain(uow_factory, now, user_id):
    port = user_id("port.bailleur")
    accept_rules(uow_factory(), user_id=port, now=now)

    with pytest.raises(FirstLoginIncomplete) as error:
        complete_first_login(uow_factory(), user_id=port, now=now)
    assert error.value.steps == ("contact", "password", "terms")


def test_the_first_user_to_finish_becomes_administrator_with_every_group(
    uow_factory, now, user_id, audit
):
    port = user_id("port.bailleur")
    authenticate(uow_factory(), login="port.bailleur", password="Lettre-Provisoire-1", now=now)
    assert _finish_steps(uow_factory, port, now).done

    result = complete_first_login(uow_factory(), user_id=port, now=now)

    assert result.became_admin is True
    assert result.is_admin is True
    assert result.organisation_name == "RESIDENCES DU PORT"
    with uow_factory() as uow:
        user = uow.session.get(User, port)
        organisation = user.organisation
        assert organisation.first_connected_at == now
        assert {g.id for g in user.groups} == {g.id for g in organisation.groups}
        assert sorted(g.label for g in organisation.groups) == [
            "Logements conventionnés (17)",
            "Logements privés (17)",
        ]
    assert "admin_designated" in [e.event for e in audit()]
    signed = authenticate(
        uow_factory(), login="port.bailleur", password="Bateau-Vert-2027!", now=now
    )
    assert (signed.is_admin, signed.must_change_password, signed.first_login_pending) == (
        True,
        False,
        False,
    )


def test_completing_twice_changes_nothing(uow_factory, now, user_id):
    port = user_id("port.bailleur")
    _finish_steps(uow_factory, port, now)
    complete_first_login(uow_factory(), user_id=port, now=now)

    again = complete_first_login(uow_factory(), user_id=port, now=now + timedelta(days=1))

    assert (again.became_admin, again.is_admin) == (False, True)
    with uow_factory() as uow:
        organisation = uow.session.scalars(
            select(Organisation).where(Organisation.name == "RESIDENCES DU PORT")
        ).one()
        assert organisation.first_connected_at == now


def test_a_later_user_of_the_organisation_does_not_become_administrator(
    uow_factory, now, user_id, outbox, credentials_in
):
    port = user_id("port.bailleur")
    _finish_steps(uow_factory, port, now)
    complete_first_login(uow_factory(), user_id=port, now=now)
    private = next(
        g.id for g in list_groups(uow_factory(), actor_id=port, now=now) if "privés" in g.label
    )
    created = create_user(
        uow_factory(),
        actor_id=port,
        last_name="Moreau",
        first_name="Julie",
        email="julie.moreau@port.example",
        email_confirmation="julie.moreau@port.example",
        group_ids=[private],
        now=now,
    )
    login, password = credentials_in(outbox()[-1].body)
    assert login == created.login

    signed = authenticate(uow_factory(), login=login, password=password, now=now)
    assert signed.must_change_password and signed.first_login_pending
    _finish_steps(uow_factory, created.id, now, password="Julie-Moreau#2027")
    result = complete_first_login(uow_factory(), user_id=created.id, now=now)

    assert (result.became_admin, result.is_admin) == (False, False)
    with uow_factory() as uow:
        user = uow.session.get(User, created.id)
        assert [g.id for g in user.groups] == [private]


def test_whoever_finishes_first_becomes_administrator_the_other_does_not(uow_factory, now, user_id):
    port = user_id("port.bailleur")
    with uow_factory() as uow:
        first = uow.session.get(User, port)
        uow.session.add(
            User(
                organisation=first.organisation,
                login="port.second",
                password_hash=first.password_hash,
                password_is_provisional=True,
            )
        )
        uow.commit()
    second = user_id("port.second")
    _finish_steps(uow_factory, port, now)
    _finish_steps(uow_factory, second, now, password="Second-Port-2027!")

    assert complete_first_login(uow_factory(), user_id=second, now=now).became_admin is True
    assert complete_first_login(uow_factory(), user_id=port, now=now).became_admin is False


def test_a_user_of_an_already_connected_organisation_is_not_administrator(
    uow_factory, now, user_id
):
    admin = user_id("oliviers.admin")
    groups = [g.id for g in list_groups(uow_factory(), actor_id=admin, now=now)]
    created = create_user(
        uow_factory(),
        actor_id=admin,
        last_name="Roux",
        first_name="Marc",
        email="marc.roux@lesoliviers.example",
        email_confirmation="marc.roux@lesoliviers.example",
        phone="0611223344",
        phone_confirmation="06 11 22 33 44",
        group_ids=groups,
        now=now,
    )
    state = first_login_state(uow_factory(), user_id=created.id)
    assert state.remaining == ("password", "rules", "terms")
    assert state.organisation_never_connected is False
