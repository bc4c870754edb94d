"""Many generated landlords for load tests and benchmarks (not part of the demo).

Each landlord is one organisation with one connected administrator (login `<prefix>NNNNN`, all
with the same password, hashed once) and `tenants_each` tenants whose July rent is still to be
declared, named from `population.yml` so that "loyer garnier 330" names exactly one of them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources

import yaml

from services.accounts.models import (
    DwellingKind,
    HabilitationGroup,
    Organisation,
    OrganisationKind,
    User,
)
from services.core.db import UnitOfWork
from services.tenants.models import Dwelling, Tenant


@dataclass(frozen=True)
class Landlord:
    login: str
    tenant_names: tuple[str, ...]


def _names() -> tuple[list[str], list[str], str]:
    text = resources.files("services.demo").joinpath("population.yml").read_text("utf-8")
    data = yaml.safe_load(text)
    return list(data["last_names"]), list(data["first_names"]), str(data["street"])


def add_landlords(
    uow: UnitOfWork, *, count: int, tenants_each: int, password: str, prefix: str = "charge."
) -> list[Landlord]:
    """Create `count` landlords (committed) and return their logins and tenants' last names."""
    last_names, first_names, street = _names()
    if tenants_each > len(last_names):
        raise ValueError(f"at most {len(last_names)} tenants per landlord")
    connected = datetime(2020, 1, 15, tzinfo=UTC)
    password_hash = uow.passwords.hash(password)
    landlords: list[Landlord] = []
    with uow:
        for index in range(count):
            organisation = Organisation(
                name=f"SCI {prefix.strip('.').upper()} {index:05d}",
                kind=OrganisationKind.MORALE,
                user_number=f"75{zlib.crc32(prefix.encode()) % 1000:03d}{index:09d}",
                first_connected_at=connected,
            )
            group = HabilitationGroup(
                organisation=organisation, dwelling_kind=DwellingKind.CONVENTIONNE, departement="75"
            )
            login = f"{prefix}{index:05d}"
            user = User(
                organisation=organisation,
                login=login,
                password_hash=password_hash,
                email=f"{login}@bailleurs.example",
                phone=f"01{index:08d}"[:10],
                is_admin=True,
                accepted_rules_at=connected,
                accepted_terms_at=connected,
                groups=[group],
            )
            uow.session.add_all([organisation, group, user])
            names = last_names[:tenants_each]
            for number, name in enumerate(names):
                dwelling = Dwelling(
                    organisation=organisation,
                    address=f"{number + 1} {street}",
                    postcode="75011",
                    commune="PARIS",
                    departement="75",
                    kind=DwellingKind.CONVENTIONNE,
                )
                tenant = Tenant(
                    dwelling=dwelling,
                    last_name=name,
                    first_name=first_names[number % len(first_names)],
                    allocataire_number=f"{(index * len(last_names) + number) % 10**7:07d}",
                    since=date(2020, 1, 1),
                    monthly_rent_cents=33000,
                    monthly_charges_cents=4000,
                    monthly_aid_cents=15000,
                )
                uow.session.add_all([dwelling, tenant])
            landlords.append(Landlord(login=login, tenant_names=tuple(names)))
            if index % 20 == 19:
                uow.flush()
        uow.commit()
    return landlords
