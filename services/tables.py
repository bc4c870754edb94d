"""Every table of every capability, registered on core's one `Base.metadata`.

Why a module of its own: each capability keeps its tables beside its code, and a capability only
imports the ones below it; the migrations environment (and anything else that needs the whole
schema at once) imports this module instead.
"""

from __future__ import annotations

from services.accounts import models as accounts
from services.core import models as core
from services.declarations import models as declarations
from services.payments import models as payments
from services.reminders import models as reminders
from services.tenants import models as tenants

metadata = core.Base.metadata

__all__ = ["accounts", "core", "declarations", "metadata", "payments", "reminders", "tenants"]
