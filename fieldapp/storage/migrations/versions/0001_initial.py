"""Initial schema: forms, interviews, events, sealed.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the version-1 tables."""
    op.create_table(
        "forms",
        sa.Column("form_id", sa.String(128), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("installed_utc", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("form_id", "version", name="pk_forms"),
    )
    op.create_table(
        "interviews",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("form_id", sa.String(128), nullable=False),
        sa.Column("form_version", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("revision", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("key_id", sa.String(128), nullable=False),
        sa.Column("created_utc", sa.String(32), nullable=False),
        sa.Column("updated_utc", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_interviews"),
    )
    op.create_index("ix_interviews_status", "interviews", ["status"])
    op.create_table(
        "events",
        sa.Column("seq", SEQ, autoincrement=True, nullable=False),
        sa.Column("interview_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("question", sa.String(255), server_default="", nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name="fk_events_interview_id_interviews",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name="pk_events"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_events_interview_id_seq", "events", ["interview_id", "seq"], unique=True)
    op.create_table(
        "sealed",
        sa.Column("interview_id", sa.String(36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("sealed_blob", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("sealed_utc", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("interview_id", "revision", name="pk_sealed"),
    )


def downgrade() -> None:
    """Drop every table (development use only)."""
    op.drop_table("sealed")
    op.drop_index("ix_events_interview_id_seq", table_name="events")
    op.drop_table("events")
    op.drop_index("ix_interviews_status", table_name="interviews")
    op.drop_table("interviews")
    op.drop_table("forms")
