"""The outbox: what a gateway reads and marks as sent; the chat never sees the letters, and the
table itself never holds a usable password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, select, text

from services.accounts.login import authenticate
from services.accounts.models import OutboxMessage
from services.accounts.outbox import mark_sent, pending
from services.accounts.recovery import request_lost_identifier
from services.core.errors import AuthenticationError, NotFound
from services.core.schema import upgrade
from services.core.sealing import OutboxSealer
from tests.integration.accounts.conftest import LOGIN_IN_BODY, PASSWORD_IN_BODY


def _raw_bodies(uow_factory) -> list[str]:
    with uow_factory() as uow:
        return list(uow.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id)))


def test_a_gateway_reads_the_pending_letters_and_marks_them_sent(uow_factory, now):
    request_lost_identifier(
        uow_factory(), user_number="17PORTBAIL0001", medium="post", chat_ref="c1", now=now
    )

    letters = pending(uow_factory())
    assert [(item.medium, item.sent_at) for item in letters] == [("post", None), ("post", None)]
    mark_sent(uow_factory(), message_id=letters[0].id, now=now)
    assert [item.id for item in pending(uow_factory())] == [letters[1].id]
    with pytest.raises(NotFound):
        mark_sent(uow_factory(), message_id=10_000, now=now)


def test_the_outbox_table_holds_no_password_in_clear_and_forgets_what_was_sent(uow_factory, now):
    request_lost_identifier(
        uow_factory(), user_number="17PORTBAIL0001", medium="post", chat_ref="c1", now=now
    )
    letters = pending(uow_factory())
    login = next(m.group(1) for item in letters if (m := LOGIN_IN_BODY.search(item.body)))
    password = next(m.group(1) for item in letters if (m := PASSWORD_IN_BODY.search(item.body)))

    for body in _raw_bodies(uow_factory):
        assert password not in body and login not in body and "Mot de passe" not in body
    for item in letters:
        mark_sent(uow_factory(), message_id=item.id, now=now)
    assert _raw_bodies(uow_factory) == ["", ""]
    signed = authenticate(uow_factory(), login=login, password=password, now=now)
    assert signed.must_change_password


def test_a_provisional_password_sent_by_post_expires_after_thirty_days(uow_factory, now):
    request_lost_identifier(
        uow_factory(), user_number="17PORTBAIL0001", medium="post", chat_ref="c1", now=now
    )
    letters = pending(uow_factory())
    login = next(m.group(1) for item in letters if (m := LOGIN_IN_BODY.search(item.body)))
    password = next(m.group(1) for item in letters if (m := PASSWORD_IN_BODY.search(item.body)))

    assert any("valable 30 jours" in item.body for item in letters)
    with pytest.raises(AuthenticationError):
        authenticate(uow_factory(), login=login, password=password, now=now + timedelta(days=31))


def test_the_migration_seals_letters_written_in_clear_and_erases_sent_ones(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'before.db'}"
    upgrade(url, "0004")
    engine = create_engine(url)
    with engine.begin() as connection:
        for sent in (None, "2026-11-01 10:00:00"):
            connection.execute(
                text(
                    "INSERT INTO outbox (medium, recipient, subject, body, created_at, sent_at)"
                    " VALUES ('post', 'X', 'S', 'Mot de passe provisoire : Ab3d-Ef4g-Hj5k',"
                    " '2026-11-01 09:00:00', :sent)"
                ),
                {"sent": sent},
            )
    key = Fernet.generate_key()
    monkeypatch.setenv("BAILLEUR_OUTBOX_KEY", key.decode())

    upgrade(url)

    with engine.begin() as connection:
        unsent, sent = connection.execute(text("SELECT body FROM outbox ORDER BY id")).scalars()
    engine.dispose()
    assert sent == "" and "Ab3d" not in unsent
    assert OutboxSealer(key).open(unsent) == "Mot de passe provisoire : Ab3d-Ef4g-Hj5k"
