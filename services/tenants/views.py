"""What the bot shows about tenants: « Mes locataires » (the list with search, state filter and
pages of five for a chat, and one tenant's card), the names a message may name, a numéro
allocataire, and one tenant's monthly terms for the unpaid dialog's defaults.

The list is the July rent campaign's list (current tenants of managed dwellings) so its counts
match "il reste N loyers à saisir sur M"; the former tenants (departed, or whose dwelling is no
longer managed) are a list of their own (`TenantQuery.former`), with their dates. The card
gathers what the declarations say of the tenant, hence the one place of `tenants` that reads the
declarations (the declarations themselves only need the tenants' models and scope).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz
from sqlalchemy import select

from services.accounts.actor import active_user
from services.core.db import UnitOfWork
from services.core.validation import validated
from services.declarations.models import DeclarationState
from services.declarations.views import (
    OpenChange,
    OpenUnpaid,
    TenantLine,
    open_declarations,
    rent_campaign,
    rent_facts,
)
from services.tenants.models import AidType, Tenant
from services.tenants.scope import tenant_in_scope, tenants_in_scope

MATCH_SCORE = 80
"""rapidfuzz similarity (0–100) from which a name or commune counts as typed with typos."""


class TenantQuery(BaseModel):
    """What the user asked for; an empty text lists everyone."""

    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)

    text: str = Field(default="", max_length=100)
    state: DeclarationState | None = None
    former: bool = False
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
    former: int = 0
    """How many tenants of the scope are no longer expected (departed, management ended)."""
    listed_former: bool = False
    """True when `lines` are former tenants."""


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
    expects_declaration: bool


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
    by declaration state, among current or former tenants; best matches first, then
    alphabetical. A page past the end gives the last page."""
    query = validated(TenantQuery, **(query or TenantQuery()).model_dump())
    campaign = rent_campaign(uow, user_id=user_id, today=today)
    former = rent_campaign(uow, user_id=user_id, today=today, former=True)
    listed = former if query.former else campaign
    lines = [line for line in listed.lines if query.state in (None, line.state)]
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
        former=len(former.lines),
        listed_former=query.former,
    )


def tenant_card(uow: UnitOfWork, *, user_id: int | None, tenant_id: int, today: date) -> TenantCard:
    """One tenant of the user's scope (departed ones too); `NotFound` outside it."""
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, tenant_id)
        facts = rent_facts(uow, user_id=user_id, tenant_id=tenant.id, today=today)
        changes, reports = open_declarations(session, tenant.id)
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
            open_changes=changes,
            open_unpaid=reports,
            expects_declaration=tenant.expects_declaration,
        )


@dataclass(frozen=True)
class TenantTerms:
    tenant_id: int
    display_name: str
    since: date
    monthly_rent_cents: int
    monthly_charges_cents: int
    monthly_aid_cents: int
    aid_paid_to_landlord: bool
    tenant_share_cents: int
    """What the tenant pays each month: rent + charges, less the aid when the landlord gets it."""


def tenant_terms(
    uow: UnitOfWork, *, user_id: int | None, tenant_id: int, today: date
) -> TenantTerms:
    """The terms of one tenant of the user's scope; `NotFound` outside it."""
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, tenant_id)
        return TenantTerms(
            tenant_id=tenant.id,
            display_name=tenant.display_name,
            since=tenant.since,
            monthly_rent_cents=tenant.monthly_rent_cents,
            monthly_charges_cents=tenant.monthly_charges_cents,
            monthly_aid_cents=tenant.monthly_aid_cents,
            aid_paid_to_landlord=tenant.aid_paid_to_landlord,
            tenant_share_cents=tenant.monthly_share_cents,
        )


def all_tenant_candidates(uow: UnitOfWork) -> list[tuple[int, str, str]]:
    """Every tenant as (id, first name, last name): for offline NLU tools only, never a chat."""
    with uow:
        rows = uow.session.execute(
            select(Tenant.id, Tenant.first_name, Tenant.last_name).order_by(Tenant.id)
        ).tuples()
        return [(tenant_id, first, last) for tenant_id, first, last in rows]


def tenant_candidates(
    uow: UnitOfWork, *, user_id: int | None, today: date
) -> list[tuple[int, str, str]]:
    """The tenants a user may name in free text: exactly their scope."""
    with uow:
        user = active_user(uow.session, user_id, today)
        tenants = uow.session.scalars(tenants_in_scope(user).order_by(Tenant.id)).all()
        return [(t.id, t.first_name, t.last_name) for t in tenants]


def present_tenants(
    uow: UnitOfWork, *, user_id: int | None, today: date
) -> list[tuple[int, str, str]]:
    """The tenants of the user's scope still in a dwelling still managed (a change is declared
    about them only), by name."""
    with uow:
        user = active_user(uow.session, user_id, today)
        tenants = uow.session.scalars(
            tenants_in_scope(user).order_by(Tenant.last_name, Tenant.first_name, Tenant.id)
        ).all()
        return [(t.id, t.first_name, t.last_name) for t in tenants if t.expects_declaration]


def tenant_ids_by_allocataire(
    uow: UnitOfWork, *, user_id: int | None, today: date, number: str
) -> list[int]:
    """Tenants of the user's scope with that numéro allocataire (leading zeros ignored)."""
    with uow:
        user = active_user(uow.session, user_id, today)
        tenants = uow.session.scalars(tenants_in_scope(user)).all()
        wanted = number.lstrip("0")
        return [t.id for t in tenants if t.allocataire_number.lstrip("0") == wanted]
