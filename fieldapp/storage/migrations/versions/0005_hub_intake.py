"""Central hub: an intake table for device bundles, return rows for devices, device roles.

On PostgreSQL a device connects as its own role and can only insert its bundle into
``hub_intake`` and read its own ``hub_return_rows`` (grants and row-level security are set by
:mod:`fieldapp.storage.hub_access`, run by the owner). The defaults below are what a device
cannot choose: the row's role (``current_user``), its time and its status.

Revision ID: 0005_hub_intake
Revises: 0004_event_position
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_hub_intake"
down_revision: str | None = "0004_event_position"
branch_labels: str | None = None
depends_on: str | None = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UTC_NOW = ("to_char(clock_timestamp() AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')")


def upgrade() -> None:
    """Create hub_intake, hub_return_rows and hub_device_roles."""
    op.create_table(
        "hub_intake",
        sa.Column("id", _SEQ, sa.Identity(), primary_key=True),
        sa.Column("device_role", sa.String(63), nullable=False),
        sa.Column("bundle", sa.LargeBinary(), nullable=False),
        sa.Column("received_utc", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("bundle_id", sa.String(36), nullable=True),
        sa.Column("processed_utc", sa.String(32), nullable=True),
    )
    op.create_index("ix_hub_intake_status", "hub_intake", ["status"])
    op.create_table(
        "hub_return_rows",
        sa.Column("id", _SEQ, sa.Identity(), primary_key=True),
        sa.Column("device_role", sa.String(63), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("bundle_id", sa.String(36), nullable=False),
        sa.Column("created_utc", sa.String(32), nullable=False),
        sa.Column("bundle", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_hub_return_rows_device_role", "hub_return_rows", ["device_role"])
    op.create_table(
        "hub_device_roles",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("role_name", sa.String(63), nullable=False, unique=True),
        sa.Column("issued_utc", sa.String(32), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # What a device cannot choose when it inserts: who it is, when, and the status.
        op.execute("ALTER TABLE hub_intake ALTER COLUMN device_role SET DEFAULT current_user")
        op.execute(f"ALTER TABLE hub_intake ALTER COLUMN received_utc SET DEFAULT {_UTC_NOW}")


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("hub_device_roles")
    op.drop_index("ix_hub_return_rows_device_role", table_name="hub_return_rows")
    op.drop_table("hub_return_rows")
    op.drop_index("ix_hub_intake_status", table_name="hub_intake")
    op.drop_table("hub_intake")
