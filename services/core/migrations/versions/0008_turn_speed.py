"""turn speed: what one turn needs to read and write in one statement

An organisation's `scope_version` changes whenever what its users may name changes (a tenant's
name or dwelling, a dwelling's organisation, kind or département, a user's organisation, rights
or dates, a user's groups). Triggers keep it, so every writer (ORM, bulk statements, another
worker process, a hand-made fix) invalidates the tenant names the workers cache per user; the
conversation's locking read returns it in the same statement.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# table -> (columns whose update matters, organisations touched by a row `{row}`)
_WATCHED = {
    "tenants": (
        "first_name, last_name, dwelling_id",
        "SELECT organisation_id FROM dwellings WHERE id = {row}.dwelling_id",
    ),
    "dwellings": ("organisation_id, kind, departement", "SELECT {row}.organisation_id"),
    "users": ("organisation_id, is_admin, opened_on, closed_on", "SELECT {row}.organisation_id"),
    "habilitation_groups": (
        "organisation_id, dwelling_kind, departement",
        "SELECT {row}.organisation_id",
    ),
    "user_groups": (
        "user_id, group_id",
        "SELECT organisation_id FROM users WHERE id = {row}.user_id",
    ),
}
_ROWS = {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}


def _bump(table: str, event: str) -> str:
    touched = " UNION ".join(_WATCHED[table][1].format(row=row) for row in _ROWS[event])
    return f"UPDATE organisations SET scope_version = scope_version + 1 WHERE id IN ({touched});"


def _triggers() -> list[tuple[str, str, str]]:
    return [
        (f"scope_{table}_{event.lower()}", table, event)
        for table in _WATCHED
        for event in _ROWS
        if not (table == "users" and event != "UPDATE")  # a new user has nothing cached yet
    ]


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(
            sa.Column("scope_version", sa.Integer(), nullable=False, server_default="0")
        )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, event in _triggers():
        when = f"UPDATE OF {_WATCHED[table][0]}" if event == "UPDATE" else event
        if postgresql:
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {_bump(table, event)} RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {when} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {name} AFTER {when} ON {table} "
                f"FOR EACH ROW BEGIN {_bump(table, event)} END"
            )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, table, _event in _triggers():
        op.execute(f"DROP TRIGGER {name} ON {table}" if postgresql else f"DROP TRIGGER {name}")
        if postgresql:
            op.execute(f"DROP FUNCTION {name}()")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("scope_version")
