"""Helpers for the accounts tests: read what the services wrote (outbox, audit) and find users.

The databases, the pinned clock and the demo data come from `tests/conftest.py`; `now` and
`user_id` from `tests/integration/conftest.py`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Literal

import argon2
import pytest
from sqlalchemy import select

from services.accounts.models import OutboxMessage, User
from services.accounts.passwords import PasswordHasher
from services.core.db import UowFactory, make_uow_factory
from services.core.models import AuditEvent
from services.core.sealing import OutboxSealer

PASSWORD_IN_BODY = re.compile(r"Mot de passe provisoire : (\S+)")
LOGIN_IN_BODY = re.compile(r"Identifiant : (\S+)")


@pytest.fixture
def outbox(uow_factory: UowFactory) -> Callable[[], list[OutboxMessage]]:
    """The outbox rows with their bodies opened, as a gateway reads them."""

    def read() -> list[OutboxMessage]:
        with uow_factory() as uow:
            rows = list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
            uow.session.expunge_all()  # plain values survive the closing rollback
            for row in rows:
                row.body = uow.sealer.open(row.body) if row.body else ""
            return rows

    return read


@pytest.fixture
def audit(uow_factory: UowFactory) -> Callable[[], list[AuditEvent]]:
    def read() -> list[AuditEvent]:
        with uow_factory() as uow:
            rows = list(uow.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
            uow.session.expunge_all()
            return rows

    return read


@pytest.fixture
def user_row(uow_factory: UowFactory) -> Callable[[str], User]:
    def find(login: str) -> User:
        with uow_factory() as uow:
            user = uow.session.scalars(select(User).where(User.login == login)).one()
            uow.session.expunge_all()
            return user

    return find


@pytest.fixture
def credentials_in() -> Callable[[str], tuple[str | None, str | None]]:
    """(identifier, provisional password) found in a message body, None where absent."""

    def parse(body: str) -> tuple[str | None, str | None]:
        login = LOGIN_IN_BODY.search(body)
        password = PASSWORD_IN_BODY.search(body)
        return (login.group(1) if login else None, password.group(1) if password else None)

    return parse


class CountingArgon2(argon2.PasswordHasher):
    """argon2-cffi's hasher (cheap parameters), counting the hashes and verifications asked."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.calls: Counter[str] = Counter()

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.calls["hash"] += 1
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.calls["verify"] += 1
        return super().verify(hash, password)


@pytest.fixture
def counted(database_url: str) -> Iterator[tuple[UowFactory, Counter[str]]]:
    """Units of work whose password hasher counts its work."""
    argon = CountingArgon2()
    factory = make_uow_factory(
        database_url, passwords=PasswordHasher(argon), sealer=OutboxSealer.generate()
    )
    yield factory, argon.calls
    factory.dispose()
