"""What the bulk recap stands for: the tenants still to declare, last year's rents, and the
exceptions typed so far, kept in slots as plain values (amounts by tenant id, tenants removed).

Nothing here is trusted at "Valider": the scope is read again from the database and the lines
rebuilt from it, so an exception can only ever name a tenant the user may declare.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker

from dialogs.actions.declarations.bulk_reading import Candidate
from services.declarations.bulk import BulkScope, BulkTenant, RentLine

AMOUNTS = "bulk_rent_amounts"
REMOVED = "bulk_rent_removed"
PAGE = "bulk_rent_page"
UPLOAD = "bulk_rent_upload"
READY = "bulk_rent_ready"
CHOICE = "bulk_rent_choice"
OPENED = "bulk_rent_opened"
ANSWER = "bulk_rent_answer"
# Opened by a message naming several tenants with their rents (« brisson 330 et couture 390 »):
# the recap holds those tenants only, not every rent still to declare.
ONLY = "bulk_rent_only"
PAGE_LINES = 40
NAMES_SHOWN = 20


@dataclass(frozen=True)
class PlannedLine:
    tenant: BulkTenant
    rent_cents: int

    @property
    def changed(self) -> bool:
        return self.rent_cents != self.tenant.last_rent_cents


@dataclass(frozen=True)
class BulkPlan:
    scope: BulkScope
    amounts: dict[int, int]
    removed: frozenset[int]
    only: bool = False

    @classmethod
    def of(cls, scope: BulkScope, tracker: Tracker) -> BulkPlan:
        only = bool(tracker.get_slot(ONLY))
        return cls(scope, amounts_of(tracker), frozenset(removed_of(tracker)), only)

    def _left_out(self, tenant_id: int) -> bool:
        return tenant_id in self.removed or (self.only and tenant_id not in self.amounts)

    @property
    def ready(self) -> list[PlannedLine]:
        out = []
        for tenant in self.scope.remaining:
            if self._left_out(tenant.tenant_id):
                continue
            cents = self.amounts.get(tenant.tenant_id, tenant.last_rent_cents)
            if cents:
                out.append(PlannedLine(tenant, cents))
        return out

    @property
    def without_amount(self) -> list[BulkTenant]:
        return [
            t
            for t in self.scope.remaining
            if not self._left_out(t.tenant_id)
            and not t.last_rent_cents
            and t.tenant_id not in self.amounts
        ]

    @property
    def set_aside(self) -> list[BulkTenant]:
        if self.only:
            return []
        return [t for t in self.scope.remaining if t.tenant_id in self.removed]

    def rent_lines(
        self, shown_at: datetime | None = None, now: datetime | None = None
    ) -> tuple[RentLine, ...]:
        """The lines to transmit; with `shown_at`, also those of tenants declared between the
        recap's showing and `now` (by a colleague), so their failure is told instead of kept
        quiet. A transmission dated after `now` (a clock pinned for a demo) was never shown
        as still to declare: it is none of these."""
        lines = [
            RentLine(line.tenant.tenant_id, line.rent_cents, line.tenant.flatshare)
            for line in self.ready
        ]
        for tenant in self.scope.tenants:
            moment = tenant.transmitted_at
            if shown_at is None or moment is None or moment < shown_at:
                continue
            if now is not None and moment > now:
                continue
            if self._left_out(tenant.tenant_id) or not tenant.expects_declaration:
                continue
            cents = self.amounts.get(tenant.tenant_id, tenant.last_rent_cents)
            if cents:
                lines.append(RentLine(tenant.tenant_id, cents, tenant.flatshare))
        return tuple(lines)

    def candidates(self) -> list[Candidate]:
        return [Candidate(t.tenant_id, t.last_name, t.first_name) for t in self.scope.remaining]

    def pages(self) -> int:
        return max(1, -(-len(self.ready) // PAGE_LINES))


def amounts_of(tracker: Tracker) -> dict[int, int]:
    raw: Any = tracker.get_slot(AMOUNTS) or {}
    return {int(k): int(v) for k, v in dict(raw).items()}


def removed_of(tracker: Tracker) -> set[int]:
    return {int(v) for v in tracker.get_slot(REMOVED) or []}


def stored_amounts(amounts: dict[int, int]) -> dict[str, int]:
    return {str(k): v for k, v in amounts.items()}


def sender(tracker: Tracker) -> tuple[str, str]:
    """The channel and chat of the conversation, from the server-side sender id."""
    channel, _, chat_id = str(tracker.sender_id).partition(":")
    return channel, chat_id
