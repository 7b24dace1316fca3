"""Hub tables: trusted devices, bundle receipts, received sealed records, interview status,
history, conflicts, review decisions and return bundles.

Revision ID: 0003_hub
Revises: 0002_notes_meta
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_hub"
down_revision: str | None = "0002_notes_meta"
branch_labels: str | None = None
depends_on: str | None = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = sa.String(32)


def _id() -> sa.Column:
    return sa.Column("id", SEQ, autoincrement=True, nullable=False)


def upgrade() -> None:
    """Create the hub_* tables (empty on devices; used by supervisor hubs)."""
    op.create_table(
        "hub_devices",
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("signing_public_key", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(19), nullable=False),
        sa.Column("enumerator", sa.String(255), nullable=False),
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(128), nullable=False),
        sa.Column("dek_sealed_project", sa.LargeBinary(), nullable=False),
        sa.Column("project_fingerprint", sa.String(19), nullable=False),
        sa.Column("trusted_utc", UTC, nullable=False),
        sa.PrimaryKeyConstraint("device_id", name="pk_hub_devices"),
    )
    op.create_table(
        "hub_receipts",
        sa.Column("bundle_id", sa.String(36), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_utc", UTC, nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("new_count", sa.Integer(), nullable=False),
        sa.Column("manifest", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name="pk_hub_receipts"),
    )
    op.create_index("ix_hub_receipts_device_id", "hub_receipts", ["device_id"])
    op.create_table(
        "hub_records",
        _id(),
        sa.Column("interview_id", sa.String(36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("form_id", sa.String(128), nullable=False),
        sa.Column("form_version", sa.String(64), nullable=False),
        sa.Column("sealed_blob", sa.LargeBinary(), nullable=False),
        sa.Column("sealed_utc", UTC, nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("received_utc", UTC, nullable=False),
        sa.Column("bundle_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hub_records"),
    )
    op.create_index(
        "ix_hub_records_interview_id_revision_sha256",
        "hub_records",
        ["interview_id", "revision", "sha256"],
        unique=True,
    )
    op.create_index("ix_hub_records_device_id", "hub_records", ["device_id"])
    op.create_table(
        "hub_interviews",
        sa.Column("interview_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("record_id", SEQ, nullable=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("updated_utc", UTC, nullable=False),
        sa.PrimaryKeyConstraint("interview_id", name="pk_hub_interviews"),
    )
    op.create_index("ix_hub_interviews_status", "hub_interviews", ["status"])
    op.create_table(
        "hub_history",
        _id(),
        sa.Column("interview_id", sa.String(36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("record_id", SEQ, nullable=True),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at_utc", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hub_history"),
    )
    op.create_index("ix_hub_history_interview_id", "hub_history", ["interview_id"])
    op.create_table(
        "hub_conflicts",
        _id(),
        sa.Column("interview_id", sa.String(36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("record_a", SEQ, nullable=False),
        sa.Column("record_b", SEQ, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detected_utc", UTC, nullable=False),
        sa.Column("resolved_utc", UTC, nullable=True),
        sa.Column("kept", SEQ, nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_hub_conflicts"),
    )
    op.create_index("ix_hub_conflicts_interview_id", "hub_conflicts", ["interview_id"])
    op.create_table(
        "hub_decisions",
        _id(),
        sa.Column("interview_id", sa.String(36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("record_id", SEQ, nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("comment_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("decided_utc", UTC, nullable=False),
        sa.Column("return_bundle_id", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_hub_decisions"),
    )
    op.create_index("ix_hub_decisions_device_id", "hub_decisions", ["device_id"])
    op.create_table(
        "hub_returns",
        sa.Column("bundle_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("created_utc", UTC, nullable=False),
        sa.Column("ack_upto", SEQ, nullable=False),
        sa.Column("decision_count", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", name="pk_hub_returns"),
    )
    op.create_index("ix_hub_returns_device_id", "hub_returns", ["device_id"])


def downgrade() -> None:
    """Drop the hub tables (development use only)."""
    for table in ("hub_returns", "hub_decisions", "hub_conflicts", "hub_history",
                  "hub_interviews", "hub_records", "hub_receipts", "hub_devices"):
        op.drop_table(table)
