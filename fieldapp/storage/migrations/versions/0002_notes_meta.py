"""Supervisor notes, key-value meta table, sent/acknowledged state of sealed records.

Revision ID: 0002_notes_meta
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_notes_meta"
down_revision: str | None = "0001_initial"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add interviews.note_blob, sealed.sent_bundle_id/acked and the meta table."""
    with op.batch_alter_table("interviews") as batch:
        batch.add_column(sa.Column("note_blob", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("sealed") as batch:
        batch.add_column(sa.Column("sent_bundle_id", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column("acked", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )


def downgrade() -> None:
    """Remove what upgrade() added (development use only)."""
    op.drop_table("meta")
    with op.batch_alter_table("sealed") as batch:
        batch.drop_column("acked")
        batch.drop_column("sent_bundle_id")
    with op.batch_alter_table("interviews") as batch:
        batch.drop_column("note_blob")
