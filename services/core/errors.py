"""Domain errors of every capability, in one place so the dialog layer finds them all: it turns
them into French text; nothing below it speaks to users.

Hierarchy::

    DomainError
    ├── InvalidValue            a value typed by the user breaks a rule (carries a reason code)
    │   ├── AmountError         an amount that is not a positive amount in euros
    │   ├── DateError           a date that cannot be read or is out of its allowed range
    │   ├── PasswordRuleError   a new personal password breaks the rule (carries reason codes)
    │   └── InvalidFields       a form (user creation) has fields in error (field → reason code)
    ├── NotAllowed              the user may not act on that organisation, tenant or object
    ├── NotFound                the object does not exist inside the user's scope
    ├── AlreadyDone             the step was already done (e.g. a rent already transmitted)
    │   ├── ChangeAlreadyDeclared   the same change was already transmitted (carries its reference)
    │   └── UnpaidAlreadyReported   an unpaid report is still open for the tenant
    ├── UnpaidNotConstituted    the unpaid is not constituted yet (carries the assessment)
    ├── FirstLoginIncomplete    the first connection is finished while steps remain
    ├── RateLimited             too many recovery requests; carries how long to wait
    └── AuthenticationError     login refused (generic on purpose)
        └── AccountLocked       too many failures; carries the end of the lock
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol


class UnpaidFigures(Protocol):
    """What an unpaid that is not constituted tells the user: why, the debt and the threshold
    (`services.declarations.unpaid_rules.Assessment` has them)."""

    @property
    def explanation_code(self) -> str: ...

    @property
    def debt_cents(self) -> int: ...

    @property
    def threshold_cents(self) -> int | None: ...


class DomainError(Exception):
    """Base of every error the business layer raises on purpose."""


class InvalidValue(DomainError):
    """Raised when a user's value breaks a rule; `reason` is a short code the dialog layer maps
    to a French sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AmountError(InvalidValue):
    """Raised by `services.core.money.parse_amount` for text that is not a positive euro amount."""


class DateError(InvalidValue):
    """Raised when a date cannot be read or falls outside the allowed range."""


class PasswordRuleError(InvalidValue):
    """Raised when a new personal password breaks the rule; `reasons` lists every broken part
    (codes: too_short, no_letter, no_digit, no_symbol, contains_identifier, same_as_current) so
    the user can fix them all at once."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__("password_rule")
        self.reasons = list(reasons)


class InvalidFields(InvalidValue):
    """Raised when a form sent as a whole (creating a user) has errors; `fields` maps each
    field in error to a reason code, so the dialog can ask again for those fields only."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        super().__init__("invalid_fields")
        self.fields = dict(fields)


class NotAllowed(DomainError):
    """Raised when the acting user's scope does not include the object asked for."""


class NotFound(DomainError):
    """Raised when an object does not exist within the acting user's scope."""


class AlreadyDone(DomainError):
    """Raised when a one-time step is attempted again (second transmission of a declaration)."""


class FirstLoginIncomplete(DomainError):
    """Raised when a first connection is declared complete while steps remain (`steps`)."""

    def __init__(self, steps: Sequence[str]) -> None:
        super().__init__("first login incomplete")
        self.steps = tuple(steps)


class RateLimited(DomainError):
    """Raised when a chat, a N° utilisateur or an email asked for credentials too often;
    `retry_after` says when asking again will be accepted."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class AuthenticationError(DomainError):
    """Raised on a failed login; never says whether the identifier or the password was wrong."""


class AccountLocked(AuthenticationError):
    """Raised while an account is locked after repeated failures."""

    def __init__(self, until: datetime) -> None:
        super().__init__("locked")
        self.until = until


class RentAlreadyTransmitted(AlreadyDone):
    """Raised when the July rent of a tenant was already transmitted for that year."""

    def __init__(self, transmitted_at: datetime, rent_cents: int, reference: str) -> None:
        super().__init__("rent already transmitted")
        self.transmitted_at = transmitted_at
        self.rent_cents = rent_cents
        self.reference = reference


class ChangeAlreadyDeclared(AlreadyDone):
    """Raised when a change was already transmitted: an end of management for the dwelling, or a
    departure for the tenant. Carries the earlier declaration so the user can be shown it."""

    def __init__(self, kind: str, transmitted_at: datetime, reference: str) -> None:
        super().__init__(f"{kind} already declared")
        self.kind = kind
        self.transmitted_at = transmitted_at
        self.reference = reference


class UnpaidAlreadyReported(AlreadyDone):
    """Raised when an unpaid is reported for a tenant who already has an open report."""

    def __init__(self, transmitted_at: datetime, reference: str) -> None:
        super().__init__("unpaid already reported")
        self.transmitted_at = transmitted_at
        self.reference = reference


class UnpaidNotConstituted(DomainError):
    """Raised by `services.declarations.unpaid.report_unpaid` when the debt is not (or no longer)
    an unpaid under the rule in force: nothing is stored; `assessment` says why and gives the
    threshold."""

    def __init__(self, assessment: UnpaidFigures) -> None:
        super().__init__(assessment.explanation_code)
        self.assessment = assessment
