"""The tenant list (search, state filter, pages of five for a chat) and one tenant's card.

The list is the July rent campaign's list (current tenants of managed dwellings) so its counts
match "il reste N loyers à saisir sur M"; a departed tenant is reached by the card only.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz
from sqlalchemy import select

from services.db import UnitOfWork
from services.flows_common import validated
from services.models import AidType, DeclarationState
from services.models_flows import ChangeDeclaration, ChangeKind, UnpaidReport
from services.rent import TenantLine, rent_campaign, rent_facts
from services.scope import active_user, tenant_in_scope

MATCH_SCORE = 80
"""rapidfuzz similarity (0–100) from which a name or commune counts as typed with typos."""


class TenantQuery(BaseModel):
    """What the user asked for; an empty text lists everyone."""

    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)

    text: str = Field(default="", max_length=100)
    state: DeclarationState | None = None
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=5, ge=1, le=50)


@dataclass(frozen=True)
class TenantPage:
    """One page of the list; `remaining`/`total` are the campaign counts for the whole scope."""

    year: int
    lines: tuple[TenantLine, ...]
    page: int
    total_pages: int
    matched: int
    remaining: int
    total: int


@dataclass(frozen=True)
class OpenChange:
    kind: ChangeKind
    reference: str
    effective_on: date
    transmitted_at: datetime


@dataclass(frozen=True)
class OpenUnpaid:
    reference: str
    first_month: date
    debt_cents: int
    transmitted_at: datetime


@dataclass(frozen=True)
class TenantCard:
    """What the "Mes locataires" detail screen shows about one tenant."""

    tenant_id: int
    last_name: str
    first_name: str
    allocataire_number: str
    address: str
    since: date
    flatshare: bool
    cotenants: int
    aid_type: AidType
    aid_paid_to_landlord: bool
    year: int
    last_rent_cents: int | None
    declaration_state: DeclarationState
    declared_rent_cents: int | None
    declaration_reference: str | None
    departed_on: date | None
    management_ended_on: date | None
    open_changes: tuple[OpenChange, ...]
    open_unpaid: tuple[OpenUnpaid, ...]

    @property
    def expects_declaration(self) -> bool:
        return self.departed_on is None and self.management_ended_on is None


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _score(line: TenantLine, text: str) -> float:
    """How well a line matches the text: 100 for an exact number, else the best fuzzy score."""
    digits = text.replace(" ", "")
    if digits.isdigit():
        exact = digits == line.allocataire_number or (len(digits) == 5 and digits == line.postcode)
        return 100.0 if exact else 0.0
    query = _plain(text)
    last, first = _plain(line.last_name), _plain(line.first_name)
    return max(
        fuzz.ratio(query, last),
        fuzz.ratio(query, first),
        fuzz.token_sort_ratio(query, f"{last} {first}"),
        fuzz.ratio(query, _plain(line.commune)),
    )


def list_tenants(
    uow: UnitOfWork, *, user_id: int | None, today: date, query: TenantQuery | None = None
) -> TenantPage:
    """Search by name (typos tolerated), numéro allocataire (1–7 digits), commune or postcode, and
    by declaration state; best matches first, then alphabetical. A page past the end gives the
    last page."""
    query = validated(TenantQuery, **(query or TenantQuery()).model_dump())
    campaign = rent_campaign(uow, user_id=user_id, today=today)
    lines = [line for line in campaign.lines if query.state in (None, line.state)]
    if query.text:
        scored = [(_score(line, query.text), line) for line in lines]
        ranked = sorted(
            ((score, line) for score, line in scored if score >= MATCH_SCORE),
            key=lambda pair: -pair[0],
        )
        lines = [line for _, line in ranked]
    total_pages = max(1, -(-len(lines) // query.page_size))
    page = min(query.page, total_pages)
    start = (page - 1) * query.page_size
    return TenantPage(
        year=campaign.year,
        lines=tuple(lines[start : start + query.page_size]),
        page=page,
        total_pages=total_pages,
        matched=len(lines),
        remaining=len(campaign.remaining),
        total=campaign.total,
    )


def tenant_card(uow: UnitOfWork, *, user_id: int | None, tenant_id: int, today: date) -> TenantCard:
    """One tenant of the user's scope (departed ones too); `NotFound` outside it."""
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, tenant_id)
        facts = rent_facts(uow, user_id=user_id, tenant_id=tenant.id, today=today)
        changes = session.scalars(
            select(ChangeDeclaration)
            .where(ChangeDeclaration.tenant_id == tenant.id, ChangeDeclaration.closed_at.is_(None))
            .order_by(ChangeDeclaration.transmitted_at)
        ).all()
        reports = session.scalars(
            select(UnpaidReport).where(
                UnpaidReport.tenant_id == tenant.id, UnpaidReport.closed_at.is_(None)
            )
        ).all()
        return TenantCard(
            tenant_id=tenant.id,
            last_name=tenant.last_name,
            first_name=tenant.first_name,
            allocataire_number=tenant.allocataire_number,
            address=tenant.dwelling.full_address,
            since=tenant.since,
            flatshare=tenant.flatshare,
            cotenants=tenant.cotenants,
            aid_type=tenant.aid_type,
            aid_paid_to_landlord=tenant.aid_paid_to_landlord,
            year=facts.year,
            last_rent_cents=facts.last_rent_cents,
            declaration_state=facts.state,
            declared_rent_cents=facts.transmitted_rent_cents,
            declaration_reference=facts.receipt_reference,
            departed_on=tenant.departed_on,
            management_ended_on=tenant.dwelling.management_ended_on,
            open_changes=tuple(
                OpenChange(c.kind, c.reference, c.effective_on, c.transmitted_at) for c in changes
            ),
            open_unpaid=tuple(
                OpenUnpaid(r.reference, r.first_month, r.debt_cents, r.transmitted_at)
                for r in reports
            ),
        )
