"""Helpers of the integration tests: the pinned moment, demo users and tenants found by name, a
PDF read back.

The databases (SQLite, and PostgreSQL when TEST_DATABASE_URL is set), the demo data seeded on
23 November 2026 and the pinned clock come from `tests/conftest.py`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from services.accounts.models import Organisation, User
from services.core.db import UowFactory
from services.tenants.models import Dwelling, Tenant


@pytest.fixture
def now(clock: object) -> datetime:
    moment: datetime = clock.moment  # type: ignore[attr-defined]
    return moment


@pytest.fixture
def user_id(uow_factory: UowFactory) -> Callable[[str], int]:
    def find(login: str) -> int:
        with uow_factory() as uow:
            return uow.session.scalars(select(User.id).where(User.login == login)).one()

    return find


@pytest.fixture
def tenant_id(uow_factory: UowFactory) -> Callable[[str], int]:
    def find(last_name: str) -> int:
        with uow_factory() as uow:
            return uow.session.scalars(select(Tenant.id).where(Tenant.last_name == last_name)).one()

    return find


@pytest.fixture
def oliviers(user_id: Callable[[str], int]) -> int:
    return user_id("oliviers.admin")


@pytest.fixture
def martin(user_id: Callable[[str], int]) -> int:
    return user_id("jean.martin")


def organisation_of(uow_factory: UowFactory, tenant: int) -> str:
    with uow_factory() as uow:
        return uow.session.scalars(
            select(Organisation.name)
            .join(Dwelling, Dwelling.organisation_id == Organisation.id)
            .join(Tenant, Tenant.dwelling_id == Dwelling.id)
            .where(Tenant.id == tenant)
        ).one()


def pdf_text(content: bytes) -> str:
    """The text of every page, spaces normalised (reportlab may break lines anywhere)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
