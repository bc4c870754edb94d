"""The outbox: what a gateway reads and marks as sent; the chat never sees the letters."""

from __future__ import annotations

import pytest

from services.accounts.outbox import mark_sent, pending
from services.accounts.recovery import request_lost_identifier
from services.core.errors import NotFound


def test_a_gateway_reads_the_pending_letters_and_marks_them_sent(uow_factory, now):
    request_lost_identifier(
        uow_factory(), user_number="17PORTBAIL0001", medium="post", chat_ref="c1", now=now
    )

    letters = pending(uow_factory())
    assert [(item.medium, item.sent_at) for item in letters] == [("post", None), ("post", None)]
    mark_sent(uow_factory(), message_id=letters[0].id, now=now)
    assert [item.id for item in pending(uow_factory())] == [letters[1].id]
    with pytest.raises(NotFound):
        mark_sent(uow_factory(), message_id=10_000, now=now)
