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
    # One unique index serves as both the (interview_id, seq) uniqueness rule and the lookup
    # index: a second index would only add work to every autosave.
    Index(None, "interview_id", "seq", unique=True),
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
