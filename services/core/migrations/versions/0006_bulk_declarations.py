"""bulk declarations: batches of rents declared at once or from a spreadsheet

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "spreadsheet_uploads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_spreadsheet_uploads_chat", "spreadsheet_uploads", ["channel", "chat_id"])


def downgrade() -> None:
    op.drop_index("ix_spreadsheet_uploads_chat", "spreadsheet_uploads")
    op.drop_table("spreadsheet_uploads")
