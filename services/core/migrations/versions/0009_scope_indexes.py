"""scope indexes: the foreign keys every scope query follows

A user's scope is read through `dwellings.organisation_id` and `tenants.dwelling_id`
(`services.tenants.scope`): without an index, PostgreSQL scanned every tenant of every
organisation (276 ms for 18 tenants among 139 000, docs/benchmarks.md) in the campaign count a
transmission's reply gives, and in every scope query.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 01:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_dwellings_organisation_id", "dwellings", ["organisation_id"])
    op.create_index("ix_tenants_dwelling_id", "tenants", ["dwelling_id"])


def downgrade() -> None:
    op.drop_index("ix_tenants_dwelling_id", table_name="tenants")
    op.drop_index("ix_dwellings_organisation_id", table_name="dwellings")
