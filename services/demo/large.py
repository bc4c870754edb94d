"""A generated organisation with thousands of tenants (`bailleur-bot seed --large`), for the
bulk declarations' scale: the recap's pages, a readable PDF of 2 000 receipts, the benchmark.

Generated, never committed: the same seed gives the same names, numbers and last year's rents.
About one tenant in a hundred has no rent known from last year, as a new lease would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select

from services.accounts.models import Organisation
from services.core.clock import campaign_year
from services.core.db import UnitOfWork
from services.demo.seed import _add_organisation

FIRST_ALLOCATAIRE = 3_000_000
NO_LAST_RENT_EVERY = 100


@dataclass(frozen=True)
class LargeOrganisation:
    name: str
    login: str
    password: str
    tenants: int
    created: bool


def _names() -> dict[str, Any]:
    raw = resources.files("services.demo").joinpath("large_names.yml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def large_spec(tenants: int, *, seed: int = 2026) -> dict[str, Any]:
    """The organisation as `seed.py` reads a demo organisation."""
    names = _names()
    org = names["organisation"]
    pick = random.Random(seed)
    dwellings = []
    for index in range(tenants):
        postcode, commune = pick.choice(names["communes"])
        rent = pick.randrange(25_000, 70_000, 5)
        tenant: dict[str, Any] = {
            "last_name": pick.choice(names["last_names"]),
            "first_name": pick.choice(names["first_names"]),
            "allocataire": str(FIRST_ALLOCATAIRE + index),
            "since": date(2010 + index % 15, 1 + index % 12, 1),
            "rent": rent,
            "charges": 4_000,
            "aid": 15_000,
        }
        if index % NO_LAST_RENT_EVERY != NO_LAST_RENT_EVERY - 1:
            tenant["rents"] = {-1: rent}
        dwellings.append(
            {
                "address": f"{1 + index % 120} {pick.choice(names['streets'])}",
                "postcode": postcode,
                "commune": commune,
                "kind": "conventionne",
                "tenants": [tenant],
            }
        )
    return {
        "name": org["name"],
        "kind": "morale",
        "user_number": org["user_number"],
        "postal_address": org["postal_address"],
        "connected": True,
        "users": [
            {
                "login": org["login"],
                "password": org["password"],
                "first_name": org["first_name"],
                "last_name": org["last_name"],
                "email": org["email"],
                "phone": org["phone"],
                "admin": True,
            }
        ],
        "dwellings": dwellings,
    }


def seed_large(uow: UnitOfWork, *, today: date, tenants: int = 2_000) -> LargeOrganisation:
    """Create the large organisation unless it exists (then nothing changes)."""
    spec = large_spec(tenants)
    with uow:
        exists = uow.session.scalars(
            select(Organisation.id).where(Organisation.user_number == spec["user_number"])
        ).first()
        if exists is None:
            _add_organisation(uow, spec, campaign_year(today), today)
            uow.commit()
    user = spec["users"][0]
    return LargeOrganisation(spec["name"], user["login"], user["password"], tenants, exists is None)
