"""Helpers for the accounts tests: read what the services wrote (outbox, audit) and find users.

The databases, the pinned clock and the demo data come from `tests/conftest.py`; `now` and
`user_id` from `tests/integration/conftest.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from services.accounts.models import OutboxMessage, User
from services.core.db import UowFactory
from services.core.models import AuditEvent

PASSWORD_IN_BODY = re.compile(r"Mot de passe provisoire : (\S+)")
LOGIN_IN_BODY = re.compile(r"Identifiant : (\S+)")


@pytest.fixture
def outbox(uow_factory: UowFactory) -> Callable[[], list[OutboxMessage]]:
    def read() -> list[OutboxMessage]:
        with uow_factory() as uow:
            rows = list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
            uow.session.expunge_all()  # plain values survive the closing rollback
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
