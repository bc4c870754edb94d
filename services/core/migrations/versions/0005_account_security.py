"""account security: sealed outbox letters, provisional password expiry, login throttling

Outbox bodies written in clear before this revision are sealed with the outbox key (see
`services.core.sealing`), those already sent are erased, and provisional passwords sent by
post, which never expired, now expire 30 days after they were sent. Login throttling counts its
hits in the existing `rate_limit_hits` table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 20:00:00
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LETTER_VALIDITY = timedelta(days=30)

outbox = sa.table(
    "outbox",
    sa.column("id", sa.Integer),
    sa.column("body", sa.Text),
    sa.column("sent_at", sa.DateTime),
)
pending = sa.table(
    "pending_passwords",
    sa.column("id", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("expires_at", sa.DateTime),
)


def upgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.update(outbox).where(outbox.c.sent_at.is_not(None)).values(body=""))
    unsent = bind.execute(
        sa.select(outbox.c.id, outbox.c.body).where(outbox.c.sent_at.is_(None), outbox.c.body != "")
    ).all()
    if unsent:
        from services.core.sealing import OutboxSealer, load_key
        from services.core.settings import Settings

        settings = Settings()
        sealer = OutboxSealer(load_key(configured=settings.outbox_key, data_dir=settings.data_dir))
        for row_id, body in unsent:
            bind.execute(
                sa.update(outbox).where(outbox.c.id == row_id).values(body=sealer.seal(body))
            )
    open_letters = bind.execute(
        sa.select(pending.c.id, pending.c.created_at).where(pending.c.expires_at.is_(None))
    ).all()
    for row_id, created_at in open_letters:
        bind.execute(
            sa.update(pending)
            .where(pending.c.id == row_id)
            .values(expires_at=created_at + LETTER_VALIDITY)
        )


def downgrade() -> None:
    """Sealed bodies stay sealed (opening them needs the key, which a downgrade may not have)."""
