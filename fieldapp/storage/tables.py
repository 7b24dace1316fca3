"""SQLAlchemy Core schema at the head migration; portable to SQLite and PostgreSQL.

Only ``fieldapp.storage`` imports this module. Answer content lives exclusively in the
encrypted ``blob`` columns; plaintext columns hold identifiers, statuses and timestamps.
Timestamps are UTC ISO-8601 strings of fixed width (``2024-05-01T10:00:00.000000+00:00``),
so they sort as text and round-trip identically on every backend.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
    text,
)

#: Constraint names are explicit so Alembic migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: 64-bit on PostgreSQL; plain INTEGER on SQLite so the column aliases the rowid.
SeqType = BigInteger().with_variant(Integer(), "sqlite")

UTC_STRING = 32  # len("2024-05-01T10:00:00.000000+00:00")

forms = Table(
    "forms",
    metadata,
    Column("form_id", String(128), primary_key=True),
    Column("version", String(64), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("installed_utc", String(UTC_STRING), nullable=False),
)

interviews = Table(
    "interviews",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("form_id", String(128), nullable=False),
    Column("form_version", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("revision", Integer, nullable=False, server_default=text("1")),
    Column("key_id", String(128), nullable=False),
    Column("created_utc", String(UTC_STRING), nullable=False),
    Column("updated_utc", String(UTC_STRING), nullable=False),
    Column("note_blob", LargeBinary, nullable=True),
    Index(None, "status"),
)

events = Table(
    "events",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column(
        "interview_id",
        String(36),
        ForeignKey("interviews.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("kind", String(16), nullable=False),
    Column("question", String(255), nullable=False, server_default=""),
    Column("revision", Integer, nullable=False),
    Column("blob", LargeBinary, nullable=False),
    # 1, 2, … within the interview, assigned by the store inside the write transaction; it is
    # part of the event's AAD. The unique index is both that rule (two writers can never give
    # two events one position) and the lookup index of the autosave path.
    Column("position", Integer, nullable=False),
    Index(None, "interview_id", "position", unique=True),
    sqlite_autoincrement=True,
)

sealed = Table(
    "sealed",
    metadata,
    Column("interview_id", String(36), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("sealed_blob", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("sealed_utc", String(UTC_STRING), nullable=False),
    Column("sent_bundle_id", String(64), nullable=True),
    Column("acked", Boolean, nullable=False, server_default=false()),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(128), primary_key=True),
    Column("value", Text, nullable=False),
)

# -- hub (supervisor) tables: sealed records received from devices --------------------------
# A hub is a directory holding ``hub.db`` or a PostgreSQL database; it shares this metadata
# (and the ``forms`` / ``meta`` tables) with the device store. It never holds plaintext
# answers: records stay sealed to the project key, review comments are sealed too.

hub_devices = Table(
    "hub_devices",
    metadata,
    Column("device_id", String(36), primary_key=True),
    Column("signing_public_key", LargeBinary, nullable=False),
    Column("fingerprint", String(19), nullable=False),
    Column("enumerator", String(255), nullable=False),
    Column("city", String(64), nullable=False),
    Column("key_id", String(128), nullable=False),
    Column("dek_sealed_project", LargeBinary, nullable=False),
    Column("project_fingerprint", String(19), nullable=False),
    Column("trusted_utc", String(UTC_STRING), nullable=False),
)

hub_receipts = Table(
    "hub_receipts",
    metadata,
    Column("bundle_id", String(36), primary_key=True),
    Column("manifest_sha256", String(64), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("source", Text, nullable=False),
    Column("imported_utc", String(UTC_STRING), nullable=False),
    Column("entry_count", Integer, nullable=False),
    Column("new_count", Integer, nullable=False),
    Column("manifest", LargeBinary, nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Index(None, "device_id"),
)

hub_records = Table(
    "hub_records",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column("interview_id", String(36), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("form_id", String(128), nullable=False),
    Column("form_version", String(64), nullable=False),
    Column("sealed_blob", LargeBinary, nullable=False),
    Column("sealed_utc", String(UTC_STRING), nullable=False),
    Column("day", String(10), nullable=False),
    Column("received_utc", String(UTC_STRING), nullable=False),
    Column("bundle_id", String(36), nullable=False),
    # The idempotency key: the same sealed bytes of one revision are stored once, however
    # often and however concurrently they arrive (INSERT … ON CONFLICT DO NOTHING).
    Index(None, "interview_id", "revision", "sha256", unique=True),
    Index(None, "device_id"),
    # covering: counts and lists read this index, not the rows with their sealed blobs
    Index("ix_hub_records_read", "id", "device_id", "day", "form_id", "form_version",
          "interview_id", "revision", "sha256"),
)

hub_interviews = Table(
    "hub_interviews",
    metadata,
    Column("interview_id", String(36), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("record_id", SeqType, nullable=True),
    Column("device_id", String(36), nullable=False),
    Column("updated_utc", String(UTC_STRING), nullable=False),
    Index(None, "status"),
    Index("ix_hub_interviews_record", "record_id", "status"),
)

hub_history = Table(
    "hub_history",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column("interview_id", String(36), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("record_id", SeqType, nullable=True),
    Column("event", String(16), nullable=False),
    Column("detail", Text, nullable=False),
    Column("at_utc", String(UTC_STRING), nullable=False),
    Index(None, "interview_id"),
)

hub_conflicts = Table(
    "hub_conflicts",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column("interview_id", String(36), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("record_a", SeqType, nullable=False),
    Column("record_b", SeqType, nullable=False),
    Column("reason", Text, nullable=False),
    Column("detected_utc", String(UTC_STRING), nullable=False),
    Column("resolved_utc", String(UTC_STRING), nullable=True),
    Column("kept", SeqType, nullable=True),
    Column("resolution", Text, nullable=True),
    Index(None, "interview_id"),
)

hub_decisions = Table(
    "hub_decisions",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column("interview_id", String(36), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("record_id", SeqType, nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("comment_sealed", LargeBinary, nullable=True),
    Column("decided_utc", String(UTC_STRING), nullable=False),
    Column("return_bundle_id", String(36), nullable=True),
    Index(None, "device_id"),
)

hub_returns = Table(
    "hub_returns",
    metadata,
    Column("bundle_id", String(36), primary_key=True),
    Column("device_id", String(36), nullable=False),
    Column("created_utc", String(UTC_STRING), nullable=False),
    Column("ack_upto", SeqType, nullable=False),
    Column("decision_count", Integer, nullable=False),
    Column("file_name", Text, nullable=False),
    Index(None, "device_id"),
)

# -- central hub (PostgreSQL): device intake, return rows, device roles ----------------------
# Devices insert signed bundles into ``hub_intake`` and read their own ``hub_return_rows``;
# grants and row-level security (:mod:`fieldapp.storage.hub_access`) tie both to the role.

hub_intake = Table(
    "hub_intake",
    metadata,
    Column("id", SeqType, Identity(), primary_key=True),
    Column("device_role", String(63), nullable=False),
    Column("bundle", LargeBinary, nullable=False),
    Column("received_utc", String(UTC_STRING), nullable=False),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("reason", Text, nullable=True),
    Column("bundle_id", String(36), nullable=True),
    Column("processed_utc", String(UTC_STRING), nullable=True),
    Index(None, "status"),
)

hub_return_rows = Table(
    "hub_return_rows",
    metadata,
    Column("id", SeqType, Identity(), primary_key=True),
    Column("device_role", String(63), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("bundle_id", String(36), nullable=False),
    Column("created_utc", String(UTC_STRING), nullable=False),
    Column("bundle", LargeBinary, nullable=False),
    Index(None, "device_role"),
)

hub_device_roles = Table(
    "hub_device_roles",
    metadata,
    Column("device_id", String(36), primary_key=True),
    Column("role_name", String(63), nullable=False, unique=True),
    Column("issued_utc", String(UTC_STRING), nullable=False),
)
