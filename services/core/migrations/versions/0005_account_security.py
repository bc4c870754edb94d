"""account security: sealed outbox letters, provisional password expiry, login throttling

Outbox bodies written in clear before this revision are sealed with the outbox key (see
`services.accounts.sealing`), those already sent are erased, and provisional passwords sent by
post, which never expired, now expire 30 days after they were sent. Login throttling counts its
hits in the existing `rate_limit_hits` table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 20:00:00
"""

from __future__ import annotations

import os
from datetime import timedelta

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet

from services.core.settings import Settings

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


def _outbox_key() -> bytes:
    """The key the application seals with (`services.accounts.sealing.load_key`, which core may
    not import): the configured one, or the data directory's key file, created if missing."""
    settings = Settings()
    if settings.outbox_key:
        return settings.outbox_key.encode("ascii")
    path = settings.data_dir / "outbox.key"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(Fernet.generate_key() + b"\n")
    return path.read_bytes().strip()


def upgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.update(outbox).where(outbox.c.sent_at.is_not(None)).values(body=""))
    unsent = bind.execute(
        sa.select(outbox.c.id, outbox.c.body).where(outbox.c.sent_at.is_(None), outbox.c.body != "")
    ).all()
    if unsent:
        fernet = Fernet(_outbox_key())
        for row_id, body in unsent:
            sealed = fernet.encrypt(body.encode("utf-8")).decode("ascii")
            bind.execute(sa.update(outbox).where(outbox.c.id == row_id).values(body=sealed))
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
