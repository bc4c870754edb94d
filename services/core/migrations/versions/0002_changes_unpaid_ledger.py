"""declarations: change declarations, unpaid reports with their monthly lines, the rent ledger

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:54:09.231231
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "END_OF_MANAGEMENT", "DEPARTURE", "FLATSHARE", name="changekind", native_enum=False
            ),
            nullable=False,
        ),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("dwelling_id", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "SALE", "OWNER_DEATH", "MANDATE_END", "OTHER", name="endreason", native_enum=False
            ),
            nullable=True,
        ),
        sa.Column("new_manager", sa.String(length=200), nullable=True),
        sa.Column("lease_ended_on", sa.Date(), nullable=True),
        sa.Column("new_address", sa.String(length=300), nullable=True),
        sa.Column("flatshare", sa.Boolean(), nullable=True),
        sa.Column("cotenants", sa.Integer(), nullable=True),
        sa.Column("cotenant_names", sa.JSON(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("transmitted_at", sa.DateTime(), nullable=False),
        sa.Column("transmitted_by_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dwelling_id"],
            ["dwellings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.ForeignKeyConstraint(
            ["transmitted_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    op.create_table(
        "rent_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("due_cents", sa.Integer(), nullable=False),
        sa.Column("paid_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "month"),
    )
    op.create_table(
        "unpaid_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("first_month", sa.Date(), nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("threshold_cents", sa.Integer(), nullable=True),
        sa.Column("debt_cents", sa.Integer(), nullable=False),
        sa.Column("constituted_on", sa.Date(), nullable=False),
        sa.Column("report_by", sa.Date(), nullable=False),
        sa.Column("monthly_rent_cents", sa.Integer(), nullable=False),
        sa.Column("monthly_charges_cents", sa.Integer(), nullable=False),
        sa.Column("monthly_aid_cents", sa.Integer(), nullable=False),
        sa.Column("aid_paid_to_landlord", sa.Boolean(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("transmitted_at", sa.DateTime(), nullable=False),
        sa.Column("transmitted_by_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
        ),
        sa.ForeignKeyConstraint(
            ["transmitted_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("unpaid_reports", schema=None) as batch_op:
        batch_op.create_index(
            "uq_unpaid_reports_open_tenant",
            ["tenant_id"],
            unique=True,
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        )

    op.create_table(
        "unpaid_report_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("due_cents", sa.Integer(), nullable=False),
        sa.Column("paid_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["unpaid_reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("report_id", "month"),
    )


def downgrade() -> None:
    op.drop_table("unpaid_report_lines")
    with op.batch_alter_table("unpaid_reports", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_unpaid_reports_open_tenant",
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        )

    op.drop_table("unpaid_reports")
    op.drop_table("rent_ledger")
    op.drop_table("change_declarations")
