"""Getting credentials back: what is sent where, that the chat and the audit never hold them,
that nobody can tell a known number or email from an unknown one, and the rate limits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest

from services.accounts.login import authenticate
from services.accounts.recovery import RecoveryAck, request_lost_identifier, request_password_reset
from services.core.errors import AuthenticationError, InvalidValue, RateLimited

OLIVIERS = "14OLIVIERS0001"
PORT = "17PORTBAIL0001"
UNKNOWN = "99INCONNU00001"
OLIVIERS_EMAIL = "gestion@lesoliviers.example"


@pytest.mark.parametrize("typed", ["14OLIVIERS000", "14OLIVIERS00011", "14OLIVIERS000!", ""])
def test_a_badly_formed_user_number_is_refused(uow_factory, now, typed):
    with pytest.raises(InvalidValue) as error:
        request_lost_identifier(
            uow_factory(), user_number=typed, medium="post", chat_ref="c1", now=now
        )
    assert error.value.reason == "user_number_format"


def test_spaces_and_case_are_tolerated_in_the_user_number(uow_factory, now, outbox):
    request_lost_identifier(
        uow_factory(), user_number="14 oliviers 0001", medium="post", chat_ref="c1", now=now
    )
    assert len(outbox()) == 2


def test_by_post_identifier_and_password_go_in_two_letters_to_the_postal_address(
    uow_factory, now, outbox, credentials_in
):
    ack = request_lost_identifier(
        uow_factory(), user_number=PORT, medium="post", chat_ref="c1", now=now
    )

    assert ack == RecoveryAck(request="lost_identifier", delivery="post", email_valid_hours=24)
    first, second = outbox()
    assert first.medium == second.medium == "post"
    assert first.recipient == "RESIDENCES DU PORT\n4 QUAI DUPERRE 17000 LA ROCHELLE"
    assert second.recipient == first.recipient
    assert credentials_in(first.body) == ("port.bailleur", None)
    login, password = credentials_in(second.body)
    assert login is None and password is not None
    assert "Madame, Monsieur" in first.body


def test_by_email_without_an_email_on_file_it_goes_by_post(uow_factory, now, outbox):
    ack = request_lost_identifier(
        uow_factory(), user_number=PORT, medium="email", chat_ref="c1", now=now
    )

    assert ack.delivery == "email_else_post"
    assert [m.medium for m in outbox()] == ["post", "post"]


def test_by_email_with_an_email_on_file_it_goes_by_email(uow_factory, now, outbox, credentials_in):
    ack = request_lost_identifier(
        uow_factory(), user_number=OLIVIERS, medium="email", chat_ref="c1", now=now
    )

    assert ack.delivery == "email_else_post"
    (message,) = outbox()
    assert (message.medium, message.recipient) == ("email", OLIVIERS_EMAIL)
    login, password = credentials_in(message.body)
    assert login == "oliviers.admin" and password


def test_the_answer_is_the_same_for_an_unknown_number(uow_factory, now, outbox):
    known = request_lost_identifier(
        uow_factory(), user_number=OLIVIERS, medium="email", chat_ref="c1", now=now
    )
    unknown = request_lost_identifier(
        uow_factory(), user_number=UNKNOWN, medium="email", chat_ref="c2", now=now
    )

    assert known == unknown
    assert len(outbox()) == 1


def test_the_current_password_works_until_the_new_one_is_used(
    uow_factory, now, outbox, credentials_in
):
    request_lost_identifier(
        uow_factory(), user_number=OLIVIERS, medium="post", chat_ref="c1", now=now
    )
    _, new = credentials_in(outbox()[-1].body)

    assert authenticate(
        uow_factory(), login="oliviers.admin", password="Oliviers-Demo-2026", now=now
    )
    # a login with the current password voids the letter a stranger may have asked for
    with pytest.raises(AuthenticationError):
        authenticate(uow_factory(), login="oliviers.admin", password=new, now=now)


def test_the_new_password_replaces_the_old_one_when_used(
    uow_factory, now, outbox, credentials_in, audit
):
    request_lost_identifier(
        uow_factory(), user_number=OLIVIERS, medium="post", chat_ref="c1", now=now
    )
    _, new = credentials_in(outbox()[-1].body)
    later = now + timedelta(days=5)  # a letter does not expire

    signed = authenticate(uow_factory(), login="oliviers.admin", password=new, now=later)

    assert signed.must_change_password is True
    with pytest.raises(AuthenticationError):
        authenticate(
            uow_factory(), login="oliviers.admin", password="Oliviers-Demo-2026", now=later
        )
    assert ("provisional_password_used", "medium=post") in [(e.event, e.detail) for e in audit()]


def test_a_password_reset_emails_a_password_valid_24_hours(
    uow_factory, now, outbox, credentials_in
):
    ack = request_password_reset(
        uow_factory(), email=OLIVIERS_EMAIL.upper(), chat_ref="c1", now=now
    )

    assert ack == RecoveryAck(request="password_reset", delivery="email", email_valid_hours=24)
    (message,) = outbox()
    assert (message.medium, message.recipient) == ("email", OLIVIERS_EMAIL)
    login, password = credentials_in(message.body)
    assert login == "oliviers.admin"
    with pytest.raises(AuthenticationError):
        authenticate(uow_factory(), login=login, password=password, now=now + timedelta(hours=24))
    signed = authenticate(
        uow_factory(), login=login, password=password, now=now + timedelta(hours=23)
    )
    assert signed.must_change_password is True
    with pytest.raises(AuthenticationError):
        authenticate(uow_factory(), login=login, password=password, now=now + timedelta(hours=24))


def test_a_password_reset_for_an_unknown_email_answers_the_same(uow_factory, now, outbox):
    known = request_password_reset(uow_factory(), email=OLIVIERS_EMAIL, chat_ref="c1", now=now)
    unknown = request_password_reset(
        uow_factory(), email="personne@nulle-part.example", chat_ref="c2", now=now
    )

    assert known == unknown
    assert len(outbox()) == 1


def test_a_badly_formed_email_is_refused(uow_factory, now):
    with pytest.raises(InvalidValue) as error:
        request_password_reset(uow_factory(), email="gestion-at-oliviers", chat_ref="c1", now=now)
    assert error.value.reason == "email_format"


def test_credentials_are_only_in_the_outbox(uow_factory, now, outbox, audit, credentials_in):
    request_lost_identifier(
        uow_factory(), user_number=OLIVIERS, medium="email", chat_ref="c1", now=now
    )
    request_password_reset(uow_factory(), email=OLIVIERS_EMAIL, chat_ref="c2", now=now)
    request_lost_identifier(uow_factory(), user_number=PORT, medium="post", chat_ref="c3", now=now)
    passwords = [credentials_in(m.body)[1] for m in outbox()]
    passwords = [p for p in passwords if p]

    assert len(passwords) == 3
    for event in audit():
        for text in (event.event, event.detail, event.chat_ref):
            assert all(password not in text for password in passwords)


def test_three_requests_per_hour_per_chat(uow_factory, now):
    numbers = [OLIVIERS, PORT, UNKNOWN]
    for number in numbers:
        request_lost_identifier(
            uow_factory(), user_number=number, medium="post", chat_ref="c1", now=now
        )
    with pytest.raises(RateLimited) as error:
        request_lost_identifier(
            uow_factory(),
            user_number="99INCONNU00002",
            medium="post",
            chat_ref="c1",
            now=now + timedelta(minutes=10),
        )
    assert error.value.retry_after == timedelta(minutes=50)

    request_lost_identifier(
        uow_factory(),
        user_number="99INCONNU00002",
        medium="post",
        chat_ref="c1",
        now=now + timedelta(hours=1),
    )


def test_three_requests_per_day_per_number_whatever_the_chat(uow_factory, now, outbox):
    for chat in ("c1", "c2", "c3"):
        request_lost_identifier(
            uow_factory(), user_number=PORT, medium="post", chat_ref=chat, now=now
        )
    with pytest.raises(RateLimited) as error:
        request_lost_identifier(
            uow_factory(), user_number=PORT, medium="post", chat_ref="c4", now=now
        )
    assert error.value.retry_after == timedelta(days=1)
    assert len(outbox()) == 6


def test_an_unknown_number_is_limited_like_a_known_one(uow_factory, now):
    for chat in ("c1", "c2", "c3"):
        request_lost_identifier(
            uow_factory(), user_number=UNKNOWN, medium="post", chat_ref=chat, now=now
        )
    with pytest.raises(RateLimited):
        request_lost_identifier(
            uow_factory(), user_number=UNKNOWN, medium="post", chat_ref="c4", now=now
        )


def test_password_resets_are_limited_per_chat_and_per_email(uow_factory, now, audit):
    for chat in ("c1", "c2", "c3"):
        request_password_reset(uow_factory(), email=OLIVIERS_EMAIL, chat_ref=chat, now=now)
    with pytest.raises(RateLimited):
        request_password_reset(uow_factory(), email=OLIVIERS_EMAIL.upper(), chat_ref="c4", now=now)
    for address in ("a@x.example", "b@x.example"):
        request_password_reset(uow_factory(), email=address, chat_ref="c5", now=now)
    request_password_reset(uow_factory(), email="c@x.example", chat_ref="c5", now=now)
    with pytest.raises(RateLimited):
        request_password_reset(uow_factory(), email="d@x.example", chat_ref="c5", now=now)
    assert [e.detail for e in audit()].count("rate limited") == 2


def _hashing_work(calls: Counter[str], request: Callable[[], object]) -> dict[str, int]:
    calls.clear()
    request()
    return dict(calls)


def test_known_and_unknown_numbers_cost_the_same_hashing(counted, now):
    factory, calls = counted

    def ask(number: str) -> dict[str, int]:
        return _hashing_work(
            calls,
            lambda: request_lost_identifier(
                factory(), user_number=number, medium="email", chat_ref=number, now=now
            ),
        )

    assert ask(OLIVIERS) == ask(UNKNOWN) == {"hash": 1}


def test_known_and_unknown_emails_cost_the_same_hashing(counted, now):
    factory, calls = counted

    def ask(address: str) -> dict[str, int]:
        return _hashing_work(
            calls,
            lambda: request_password_reset(factory(), email=address, chat_ref=address, now=now),
        )

    assert ask(OLIVIERS_EMAIL) == ask("personne@nulle-part.example") == {"hash": 1}
