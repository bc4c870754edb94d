"""The habilitation groups a manager may give, with the dwellings each one opens: what the
"new user" dialog offers. A group is one dwelling kind in one département of the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from services.accounts.actor import user_manager
from services.core.clock import paris_today
from services.core.db import UnitOfWork
from services.tenants.models import Dwelling


@dataclass(frozen=True)
class GroupView:
    """A habilitation group as the bot lists it."""

    id: int
    label: str
    dwelling_kind: str
    departement: str
    dwellings: int


def list_groups(uow: UnitOfWork, *, actor_id: int, now: datetime) -> list[GroupView]:
    """The groups the actor may give: all of the organisation's for the administrator."""
    with uow:
        actor = user_manager(uow.session, actor_id, paris_today(now))
        grantable = actor.grantable_group_ids
        groups = [g for g in actor.organisation.groups if g.id in grantable]
        rows = uow.session.execute(
            select(Dwelling.kind, Dwelling.departement, func.count())
            .where(Dwelling.organisation_id == actor.organisation_id)
            .group_by(Dwelling.kind, Dwelling.departement)
        ).tuples()
        counts = {(kind, departement): count for kind, departement, count in rows}
        return [
            GroupView(
                id=g.id,
                label=g.label,
                dwelling_kind=g.dwelling_kind.value,
                departement=g.departement,
                dwellings=counts.get((g.dwelling_kind, g.departement), 0),
            )
            for g in sorted(groups, key=lambda g: (g.departement, g.dwelling_kind.value))
        ]
