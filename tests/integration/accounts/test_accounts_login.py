"""Logging in: generic failures, progressive waits that neither reveal an identifier nor keep its
owner out, provisional passwords, the personal-password rule, and an audit trail without
passwords."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.accounts.login import (
    authenticate,
    change_password,
    change_proved_password,
    prove_password,
    set_personal_password,
)
from services.accounts.models import User
from services.accounts.recovery import request_lost_identifier, request_password_reset
from services.core.errors import AccountLocked, AuthenticationError, NotAllowed, PasswordRuleError

ADMIN = "oliviers.admin"
ADMIN_PASSWORD = "Oliviers-Demo-2026"


def test_a_good_password_signs_in_and_is_audited(uow_factory, now, audit, user_id):
    signed = authenticate(
        uow_factory(), login=" OLIVIERS.Admin ", password=ADMIN_PASSWORD, now=now, chat_ref="c1"
    )

    assert signed.user_id == user_id(ADMIN)
    assert signed.organisation_name == "LES OLIVIERS"
    assert signed.is_admin is True
    assert signed.must_change_password is False
    assert signed.first_login_pending is False
    assert [(e.event, e.chat_ref) for e in audit()] == [("login", "c1")]


def test_wrong_identifier_and_wrong_password_fail_the_same_way(uow_factory, now, audit):
    with pytest.raises(AuthenticationError) as unknown:
        authenticate(uow_factory(), login="nobody.here", password="x", now=now)
    with pytest.raises(AuthenticationError) as wrong:
        authenticate(uow_factory(), login=ADMIN, password="x", now=now)

    assert type(unknown.value) is type(wrong.value) is AuthenticationError
    assert str(unknown.value) == str(wrong.value)
    assert [e.event for e in audit()] == ["login_failed", "login_failed"]


def _fail(uow_factory, login: str, at, *, chat: str = "", password: str = "wrong") -> Exception:
    with pytest.raises(AuthenticationError) as error:
        authenticate(uow_factory(), login=login, password=password, now=at, chat_ref=chat)
    return error.value


def test_failures_slow_the_identifier_down_twice_as_long_each_time(uow_factory, now, audit):
    for attempt in range(4):
        assert not isinstance(_fail(uow_factory, ADMIN, now, password=f"w{attempt}"), AccountLocked)
    fifth = _fail(uow_factory, ADMIN, now)
    assert isinstance(fifth, AccountLocked) and fifth.until == now + timedelta(minutes=1)

    early = _fail(uow_factory, ADMIN, now + timedelta(seconds=59), password=ADMIN_PASSWORD)
    assert isinstance(early, AccountLocked) and early.until == fifth.until
    sixth = _fail(uow_factory, ADMIN, fifth.until)
    assert isinstance(sixth, AccountLocked) and sixth.until == fifth.until + timedelta(minutes=2)

    signed = authenticate(uow_factory(), login=ADMIN, password=ADMIN_PASSWORD, now=sixth.until)
    assert signed.is_admin
    assert not isinstance(_fail(uow_factory, ADMIN, sixth.until), AccountLocked)
    assert [e.event for e in audit()].count("login_refused_waiting") == 1


def test_the_wait_never_exceeds_fifteen_minutes(uow_factory, now):
    at = now
    for _ in range(12):
        error = _fail(uow_factory, ADMIN, at)
        if isinstance(error, AccountLocked):
            assert error.until - at <= timedelta(minutes=15)
            at = error.until
    assert authenticate(uow_factory(), login=ADMIN, password=ADMIN_PASSWORD, now=at).is_admin


def test_a_known_and_an_unknown_identifier_answer_alike_at_every_try(uow_factory, now):
    def answers(login: str) -> list[tuple[str, object]]:
        seen = []
        for step in range(8):
            error = _fail(uow_factory, login, now + timedelta(seconds=step * 30))
            seen.append((type(error).__name__, getattr(error, "until", None)))
        return seen

    assert answers(ADMIN) == answers("personne.inconnue")


def test_five_strangers_do_not_keep_the_owner_out(uow_factory, now):
    for stranger in range(5):
        _fail(uow_factory, ADMIN, now, chat=f"stranger-{stranger}")

    later = now + timedelta(minutes=1)
    signed = authenticate(
        uow_factory(), login=ADMIN, password=ADMIN_PASSWORD, now=later, chat_ref="owner"
    )
    assert signed.is_admin


def test_one_chat_trying_many_identifiers_is_slowed_down(uow_factory, now):
    errors = [_fail(uow_factory, f"essai.{n}", now, chat="c9") for n in range(5)]
    assert isinstance(errors[-1], AccountLocked)
    assert isinstance(
        _fail(uow_factory, ADMIN, now, chat="c9", password=ADMIN_PASSWORD), AccountLocked
    )
    assert authenticate(
        uow_factory(), login=ADMIN, password=ADMIN_PASSWORD, now=now, chat_ref="c10"
    ).is_admin


def test_a_password_from_the_recovery_path_opens_while_waiting(
    uow_factory, now, outbox, credentials_in
):
    for _ in range(5):
        _fail(uow_factory, ADMIN, now, chat="attacker")
    request_password_reset(
        uow_factory(), email="gestion@lesoliviers.example", chat_ref="owner", now=now
    )
    _, provisional = credentials_in(outbox()[-1].body)

    signed = authenticate(
        uow_factory(), login=ADMIN, password=provisional, now=now, chat_ref="owner"
    )
    assert signed.must_change_password
    assert not isinstance(_fail(uow_factory, ADMIN, now, chat="owner"), AccountLocked)


def test_every_attempt_costs_two_verifications_whoever_it_names(counted, now):
    factory, calls = counted
    request_lost_identifier(
        factory(), user_number="14OLIVIERS0001", medium="post", chat_ref="c1", now=now
    )

    def cost(login: str, password: str = "wrong", chat: str = "") -> dict[str, int]:
        calls.clear()
        with contextlib.suppress(AuthenticationError):
            authenticate(factory(), login=login, password=password, now=now, chat_ref=chat)
        return dict(calls)

    cost("premier.essai")  # the hasher makes its dummy hash once, at its first use
    assert cost(ADMIN) == cost("personne.inconnue") == {"verify": 2}
    assert cost("port.bailleur") == {"verify": 2}
    for _ in range(5):
        cost(ADMIN, chat="c2")
    assert cost(ADMIN, chat="c2") == cost(ADMIN, ADMIN_PASSWORD) == {"verify": 2}


def test_a_success_resets_the_failure_count(uow_factory, now):
    for attempt in range(4):
        with pytest.raises(AuthenticationError):
            authenticate(uow_factory(), login=ADMIN, password=f"wrong-{attempt}", now=now)
    authenticate(uow_factory(), login=ADMIN, password=ADMIN_PASSWORD, now=now)
    with pytest.raises(AuthenticationError) as error:
        authenticate(uow_factory(), login=ADMIN, password="wrong-again", now=now)

    assert not isinstance(error.value, AccountLocked)


def test_no_password_is_ever_written_to_the_audit_log(uow_factory, now, audit):
    typed = ["Secret-Essai-1", "Secret-Essai-2", ADMIN_PASSWORD]
    for password in typed[:2]:
        with pytest.raises(AuthenticationError):
            authenticate(uow_factory(), login=ADMIN, password=password, now=now)
    authenticate(uow_factory(), login=ADMIN, password=typed[2], now=now)

    for event in audit():
        for text in (event.event, event.detail, event.chat_ref):
            assert all(password not in text for password in typed)


def test_the_letter_password_signs_in_but_must_be_replaced(uow_factory, now):
    signed = authenticate(
        uow_factory(), login="port.bailleur", password="Lettre-Provisoire-1", now=now
    )

    assert signed.must_change_password is True
    assert signed.first_login_pending is True
    assert signed.is_admin is False


def test_an_expired_provisional_password_is_refused_like_a_wrong_one(uow_factory, now):
    with uow_factory() as uow:
        user = uow.session.scalars(select(User).where(User.login == "port.bailleur")).one()
        user.password_expires_at = now + timedelta(hours=24)
        uow.commit()

    authenticate(uow_factory(), login="port.bailleur", password="Lettre-Provisoire-1", now=now)
    with pytest.raises(AuthenticationError) as error:
        authenticate(
            uow_factory(),
            login="port.bailleur",
            password="Lettre-Provisoire-1",
            now=now + timedelta(hours=24),
        )
    assert str(error.value) == "bad credentials"


def test_the_personal_password_rule_lists_every_reason(uow_factory, now, user_id):
    port = user_id("port.bailleur")
    cases = {
        "court1!": ["too_short"],
        "123456789012!": ["no_letter"],
        "abcdefghijkl!": ["no_digit"],
        "abcdefghijk12": ["no_symbol"],
        "xx-PORT.Bailleur-2026": ["contains_identifier"],
        "abc": ["too_short", "no_digit", "no_symbol"],
        "Lettre-Provisoire-1": ["common", "same_as_current"],
        "Password123!": ["common"],
        "Oliviers-Demo-2026": ["common"],
    }
    for new, reasons in cases.items():
        with pytest.raises(PasswordRuleError) as error:
            set_personal_password(uow_factory(), user_id=port, new=new, now=now)
        assert error.value.reasons == reasons, new


def test_a_personal_password_replaces_the_provisional_one(uow_factory, now, user_id, audit):
    port = user_id("port.bailleur")
    set_personal_password(uow_factory(), user_id=port, new="Bateau-Vert-2027!", now=now)

    signed = authenticate(
        uow_factory(), login="port.bailleur", password="Bateau-Vert-2027!", now=now
    )
    assert signed.must_change_password is False
    with pytest.raises(AuthenticationError):
        authenticate(uow_factory(), login="port.bailleur", password="Lettre-Provisoire-1", now=now)
    with pytest.raises(NotAllowed):
        set_personal_password(uow_factory(), user_id=port, new="Encore-Autre-2028!", now=now)
    assert ("password_changed", "personalised") in [(e.event, e.detail) for e in audit()]


def test_a_personal_password_keeps_the_spaces_typed_around_it(uow_factory, now, user_id):
    port = user_id("port.bailleur")
    set_personal_password(uow_factory(), user_id=port, new="  Bateau-Vert-2027! ", now=now)

    assert authenticate(
        uow_factory(), login="port.bailleur", password="  Bateau-Vert-2027! ", now=now
    )
    with pytest.raises(AuthenticationError):
        authenticate(uow_factory(), login="port.bailleur", password="Bateau-Vert-2027!", now=now)


def test_change_password_needs_the_current_one(uow_factory, now, user_id):
    admin = user_id(ADMIN)
    with pytest.raises(AuthenticationError):
        change_password(
            uow_factory(), user_id=admin, current="pas-le-bon", new="Nouveau-Secret-42", now=now
        )
    with pytest.raises(PasswordRuleError) as error:
        change_password(
            uow_factory(), user_id=admin, current=ADMIN_PASSWORD, new="nouveau", now=now
        )
    assert error.value.reasons == ["too_short", "no_digit", "no_symbol"]

    change_password(
        uow_factory(), user_id=admin, current=ADMIN_PASSWORD, new="Nouveau-Secret-42", now=now
    )
    assert authenticate(uow_factory(), login=ADMIN, password="Nouveau-Secret-42", now=now)


def test_wrong_current_passwords_count_towards_the_lock(uow_factory, now, user_id):
    admin = user_id(ADMIN)
    for attempt in range(4):
        with pytest.raises(AuthenticationError):
            change_password(
                uow_factory(),
                user_id=admin,
                current=f"x{attempt}",
                new="Nouveau-Secret-42",
                now=now,
            )
    with pytest.raises(AccountLocked):
        authenticate(uow_factory(), login=ADMIN, password="wrong", now=now)


def test_a_change_over_several_messages_needs_the_proof_from_the_same_chat(
    uow_factory, now, user_id
):
    admin = user_id(ADMIN)
    new = "Nouveau-Secret-42"
    with pytest.raises(NotAllowed):  # nothing proved yet
        change_proved_password(uow_factory(), user_id=admin, new=new, now=now, chat_ref="c1")
    with pytest.raises(AuthenticationError):
        prove_password(uow_factory(), user_id=admin, current="pas-le-bon", now=now, chat_ref="c1")
    with pytest.raises(NotAllowed):  # a wrong current password proves nothing
        change_proved_password(uow_factory(), user_id=admin, new=new, now=now, chat_ref="c1")
    prove_password(uow_factory(), user_id=admin, current=ADMIN_PASSWORD, now=now, chat_ref="c1")
    with pytest.raises(NotAllowed):  # another chat
        change_proved_password(uow_factory(), user_id=admin, new=new, now=now, chat_ref="c2")
    with pytest.raises(NotAllowed):  # too late
        change_proved_password(
            uow_factory(), user_id=admin, new=new, now=now + timedelta(minutes=11), chat_ref="c1"
        )
    with pytest.raises(PasswordRuleError) as error:
        change_proved_password(
            uow_factory(), user_id=admin, new=ADMIN_PASSWORD, now=now, chat_ref="c1"
        )
    assert "same_as_current" in error.value.reasons
    change_proved_password(uow_factory(), user_id=admin, new=new, now=now, chat_ref="c1")
    assert authenticate(uow_factory(), login=ADMIN, password=new, now=now)
    with pytest.raises(NotAllowed):  # the proof is used once
        change_proved_password(
            uow_factory(), user_id=admin, new="Encore-Autre-43", now=now, chat_ref="c1"
        )
