"""The tenant names a user may type, kept between turns while their organisation's scope holds.

Every text turn of a logged-in user matches the message against the tenants of their scope.
Reading them each time cost two statements per turn; instead they are kept per user, keyed by
the organisation's `scope_version`, which the database changes whenever a tenant, a dwelling,
a user's rights or groups change (by any worker) and which the conversation's locking read
already returns. A turn that has no version (the user logged in during it) reads them afresh.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from threading import Lock

from dialogs.nlu import TenantCandidate

Key = tuple[int, int, date]
Loader = Callable[[], list[TenantCandidate]]
KEPT_USERS = 4096


class TenantNames:
    """A bounded, thread-safe cache of each user's tenant candidates."""

    def __init__(self, size: int = KEPT_USERS) -> None:
        self._size = size
        self._kept: OrderedDict[Key, list[TenantCandidate]] = OrderedDict()
        self._lock = Lock()

    def get(
        self, *, user_id: int, scope_version: int | None, today: date, load: Loader
    ) -> list[TenantCandidate]:
        if scope_version is None:
            return load()
        key = (user_id, scope_version, today)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        names = load()
        with self._lock:
            self._kept[key] = names
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return names
