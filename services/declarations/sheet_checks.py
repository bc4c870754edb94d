"""Checking a spreadsheet of rents line by line against the user's scope and this campaign.

Every line gets a verdict before anything is transmitted: ready, or a problem with its line
number and a reason code the dialog turns into French (unknown or out-of-scope tenant — the same
answer for both, so nothing tells that a number exists elsewhere —, bad or unusual amount, bad
yes/no, duplicate line, rent already transmitted, tenant departed or management ended).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.accounts.actor import active_user
from services.core.clock import campaign_year
from services.core.db import UnitOfWork
from services.core.errors import AmountError
from services.core.money import parse_amount
from services.core.rules import rent_campaign_rules
from services.declarations.bulk import BulkScope, RentLine, scope_tenants
from services.declarations.spreadsheets import SheetRow, fold
from services.documents.texts import texts

_ALLOCATAIRE = re.compile(r"^\d{1,7}$")


@dataclass(frozen=True)
class LineProblem:
    """`reason`: bad_allocataire, unknown_tenant, duplicate, already_transmitted, departed,
    bad_amount, unusual_amount, bad_yes_no; `first_line` is the earlier line of a duplicate."""

    line: int
    reason: str
    allocataire: str
    rent: str
    tenant: str = ""
    first_line: int = 0


@dataclass(frozen=True)
class SheetCheck:
    year: int
    ready: tuple[RentLine, ...]
    problems: tuple[LineProblem, ...]
    names: dict[int, str]

    @property
    def total(self) -> int:
        return len(self.ready) + len(self.problems)

    @property
    def ready_cents(self) -> int:
        return sum(line.rent_cents for line in self.ready)


def yes_no_cell(value: str) -> bool | None:
    """ "oui", "x", "1", "vrai"… -> True; "", "non", "0"… -> False; anything else -> None."""
    folded = fold(value)
    if folded in texts("spreadsheet.yes_words"):
        return True
    if folded in texts("spreadsheet.no_words"):
        return False
    return None


def check_rows(scope: BulkScope, rows: Sequence[SheetRow], today: date) -> SheetCheck:
    """The verdict of every line, in file order (a pure function of the scope and the rows)."""
    rules = rent_campaign_rules(today)
    tenants = scope.by_allocataire()
    seen: dict[str, int] = {}
    ready: list[RentLine] = []
    problems: list[LineProblem] = []
    for row in rows:
        number = row.allocataire.replace(" ", "")
        number = number[:-2] if number.endswith(".0") else number

        def problem(reason: str, tenant: str = "", first: int = 0, row: SheetRow = row) -> None:
            problems.append(LineProblem(row.line, reason, row.allocataire, row.rent, tenant, first))

        if not _ALLOCATAIRE.match(number):
            problem("bad_allocataire")
            continue
        key = number.lstrip("0")
        tenant = tenants.get(key)
        if tenant is None:
            problem("unknown_tenant")
            continue
        if key in seen:
            problem("duplicate", tenant.name, seen[key])
            continue
        seen[key] = row.line
        if tenant.transmitted:
            problem("already_transmitted", tenant.name)
            continue
        if not tenant.expects_declaration:
            problem("departed", tenant.name)
            continue
        try:
            cents = parse_amount(row.rent)
        except AmountError:
            problem("bad_amount", tenant.name)
            continue
        if rules.is_unusual(cents, tenant.last_rent_cents):
            problem("unusual_amount", tenant.name)
            continue
        flatshare = yes_no_cell(row.flatshare) if row.flatshare else tenant.flatshare
        unpaid = yes_no_cell(row.unpaid)
        if flatshare is None or unpaid is None:
            problem("bad_yes_no", tenant.name)
            continue
        ready.append(RentLine(tenant.tenant_id, cents, flatshare, unpaid, row.line))
    names = {t.tenant_id: t.name for t in scope.tenants}
    return SheetCheck(scope.year, tuple(ready), tuple(problems), names)


def check_spreadsheet(
    uow: UnitOfWork, *, user_id: int | None, rows: Sequence[SheetRow], today: date
) -> SheetCheck:
    """Check the rows against the user's scope as it is now."""
    with uow:
        user = active_user(uow.session, user_id, today)
        scope = scope_tenants(uow.session, user, campaign_year(today))
    return check_rows(scope, rows, today)
