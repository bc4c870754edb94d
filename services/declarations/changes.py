"""Declaring a change: end of management, a tenant's departure, a flat-share situation.

Each one is checked, applied to the tenant or dwelling (so the July rent campaign sees it at
once), stored with a unique receipt reference, and returned with its PDF receipt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.accounts.actor import active_user
from services.core.clock import paris_today
from services.core.dates import add_months
from services.core.db import UnitOfWork
from services.core.errors import InvalidValue
from services.core.rules import change_rules
from services.core.validation import validated
from services.declarations.change_receipts import concerned, receipt_notes, receipt_rows
from services.declarations.change_records import TransmittedChange, refuse_repeat, store_change
from services.declarations.fact_dates import check_fact_date
from services.declarations.models import ChangeDeclaration, ChangeKind, EndReason
from services.tenants.scope import tenant_in_scope


class _Answers(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)

    tenant_id: int = Field(gt=0)


class EndOfManagementAnswers(_Answers):
    ended_on: date
    reason: EndReason
    new_manager: str | None = Field(default=None, max_length=200)


class DepartureAnswers(_Answers):
    departed_on: date
    lease_ended_on: date
    new_address: str | None = Field(default=None, max_length=300)


class FlatshareAnswers(_Answers):
    flatshare: bool
    cotenants: int = Field(ge=1)
    cotenant_names: tuple[str, ...] = ()
    from_date: date


def declare_end_of_management(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    tenant_id: int,
    ended_on: date,
    reason: EndReason | str,
    new_manager: str | None = None,
    now: datetime,
) -> TransmittedChange:
    """End the management of the tenant's dwelling: none of its tenants is asked for a July rent
    any more. Raises `ChangeAlreadyDeclared` if it already ended, `DateError` for a date more than
    a week ahead or before the tenant moved in, `NotFound` outside the user's scope."""
    today = paris_today(now)
    answers = validated(
        EndOfManagementAnswers,
        tenant_id=tenant_id, ended_on=ended_on, reason=reason, new_manager=new_manager,
    )  # fmt: skip
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, answers.tenant_id)
        dwelling = tenant.dwelling
        if dwelling.management_ended_on is not None:
            refuse_repeat(session, ChangeKind.END_OF_MANAGEMENT, now, dwelling_id=dwelling.id)
        check_fact_date(answers.ended_on, today=today, not_before=tenant.since, field="ended_on")
        dwelling.management_ended_on = answers.ended_on
        tenants = concerned(tenant)
        change = ChangeDeclaration(
            kind=ChangeKind.END_OF_MANAGEMENT, tenant_id=tenant.id, dwelling_id=dwelling.id,
            effective_on=answers.ended_on, reason=answers.reason,
            new_manager=answers.new_manager or None, transmitted_at=now,
        )  # fmt: skip
        rows, notes = receipt_rows(change, tenant, tenants), receipt_notes(change)
        done = store_change(session, change, user=user, tenants=tenants, rows=rows, notes=notes)
        uow.commit()
        return done


def declare_departure(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    tenant_id: int,
    departed_on: date,
    lease_ended_on: date,
    new_address: str | None = None,
    now: datetime,
) -> TransmittedChange:
    """Record that the tenant left; they leave the July rent campaign at once.

    Rule for the dates: neither more than a week ahead, the departure not before the move-in, and
    the end of the lease not before the departure (a tenant may leave during the notice period,
    the lease then ends later; staying after the lease is not a departure to declare yet).
    `late` is set when the departure is more than one month old.
    """
    today = paris_today(now)
    answers = validated(
        DepartureAnswers,
        tenant_id=tenant_id, departed_on=departed_on, lease_ended_on=lease_ended_on,
        new_address=new_address,
    )  # fmt: skip
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, answers.tenant_id)
        if tenant.departed_on is not None:
            refuse_repeat(session, ChangeKind.DEPARTURE, now, tenant_id=tenant.id)
        if tenant.dwelling.management_ended_on is not None:
            raise InvalidValue("management_ended")
        check_fact_date(
            answers.departed_on, today=today, not_before=tenant.since, field="departed_on"
        )
        check_fact_date(
            answers.lease_ended_on, today=today, not_before=None, field="lease_ended_on"
        )
        if answers.lease_ended_on < answers.departed_on:
            raise InvalidValue("lease_ended_before_departure")
        report_by = add_months(
            answers.departed_on, change_rules(today).departure_report_within_months
        )
        late = today > report_by
        tenant.departed_on = answers.departed_on
        change = ChangeDeclaration(
            kind=ChangeKind.DEPARTURE, tenant_id=tenant.id, dwelling_id=tenant.dwelling_id,
            effective_on=answers.departed_on, lease_ended_on=answers.lease_ended_on,
            new_address=answers.new_address or None, late=late, transmitted_at=now,
        )  # fmt: skip
        rows, notes = receipt_rows(change, tenant, [tenant]), receipt_notes(change)
        done = store_change(session, change, user=user, tenants=[tenant], rows=rows, notes=notes)
        uow.commit()
        return replace(done, report_by=report_by)


def declare_flatshare(
    uow: UnitOfWork,
    *,
    user_id: int | None,
    tenant_id: int,
    flatshare: bool,
    cotenants: int,
    cotenant_names: Sequence[str] = (),
    from_date: date,
    now: datetime,
) -> TransmittedChange:
    """Record whether the tenant lives in a flat-share and how many co-tenants the lease names
    (the CAF divides the rent by that number). Refusals: `invalid_cotenants` out of 1–20,
    `flatshare_needs_two` / `single_tenant_is_one`, `too_many_names`, `no_change`, dates."""
    today = paris_today(now)
    answers = validated(
        FlatshareAnswers,
        tenant_id=tenant_id, flatshare=flatshare, cotenants=cotenants,
        cotenant_names=tuple(cotenant_names), from_date=from_date,
    )  # fmt: skip
    most = change_rules(today).max_cotenants
    if answers.cotenants > most:
        raise InvalidValue("invalid_cotenants")
    if len(answers.cotenant_names) > most:
        raise InvalidValue("invalid_cotenant_names")
    names = tuple(name for name in answers.cotenant_names if name)
    if answers.flatshare and answers.cotenants < 2:
        raise InvalidValue("flatshare_needs_two")
    if not answers.flatshare and answers.cotenants != 1:
        raise InvalidValue("single_tenant_is_one")
    if len(names) > answers.cotenants or any(len(name) > 100 for name in names):
        raise InvalidValue("too_many_names")
    with uow:
        session = uow.session
        user = active_user(session, user_id, today)
        tenant = tenant_in_scope(session, user, answers.tenant_id)
        if tenant.departed_on is not None or tenant.dwelling.management_ended_on is not None:
            raise InvalidValue("tenant_left")
        check_fact_date(answers.from_date, today=today, not_before=tenant.since, field="from_date")
        same = tenant.flatshare == answers.flatshare and tenant.cotenants == answers.cotenants
        if same and not names:
            raise InvalidValue("no_change")
        tenant.flatshare = answers.flatshare
        tenant.cotenants = answers.cotenants
        change = ChangeDeclaration(
            kind=ChangeKind.FLATSHARE, tenant_id=tenant.id, dwelling_id=tenant.dwelling_id,
            effective_on=answers.from_date, flatshare=answers.flatshare,
            cotenants=answers.cotenants, cotenant_names=list(names) or None, transmitted_at=now,
        )  # fmt: skip
        rows, notes = receipt_rows(change, tenant, [tenant]), receipt_notes(change)
        done = store_change(session, change, user=user, tenants=[tenant], rows=rows, notes=notes)
        uow.commit()
        return done
