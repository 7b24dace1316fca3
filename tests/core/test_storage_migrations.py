"""Schema migrations: an older database upgrades on open and keeps every row."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from fieldapp.storage import Store
from fieldapp.storage.db import open_engine
from fieldapp.storage.errors import StorageError
from fieldapp.storage.migrate import HEAD_REVISION, alembic_config, current_revision, migrate
from fieldapp.storage.tables import metadata

ROOT = Path(__file__).resolve().parents[2]
IID = "0b7e6c1e-3a52-4c8f-9d55-8f0f5b7e2a11"
IID2 = "5d0c1b8a-7f3e-4a61-b2c4-1e9d8f7a6b50"
TS = "2024-05-01T10:00:00.000000+00:00"


def make_v1_database(path: Path) -> None:
    """A database at 0001_initial with rows written by plain SQL, as an older build left it."""
    engine = open_engine(path)
    try:
        assert migrate(engine, "0001") is True
        assert current_revision(engine) == "0001_initial"
    finally:
        engine.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    with conn:
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO forms VALUES ('hh', '1', ?, 'Household', ?, ?)", ("ab" * 32, b"xlsx", TS)
        )
        for iid, status in ((IID, "draft"), (IID2, "finalised")):
            conn.execute(
                "INSERT INTO interviews (id, form_id, form_version, status, revision, key_id,"
                " created_utc, updated_utc) VALUES (?, 'hh', '1', ?, 1, 'k1', ?, ?)",
                (iid, status, TS, TS),
            )
        conn.executemany(
            "INSERT INTO events (interview_id, kind, question, revision, blob)"
            " VALUES (?, 'answer', ?, 1, ?)",
            [(IID, f"Q{i}", bytes([i]) * 10) for i in range(5)],
        )
        conn.execute("INSERT INTO sealed VALUES (?, 1, ?, ?, ?)", (IID2, b"SEALED", "cd" * 32, TS))
        conn.execute("COMMIT")
    conn.close()


def test_older_schema_is_upgraded_on_open_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_v1_database(path)
    with Store.open(path) as store:
        engine = store.engine
        assert current_revision(engine) == HEAD_REVISION
        assert [(f.form_id, f.version, f.sha256) for f in store.list_forms()] == [
            ("hh", "1", "ab" * 32)
        ]
        assert store.form_content("hh", "1") == b"xlsx"
        assert [(r.interview_id, r.status, r.note_blob) for r in store.list_interviews()] == [
            (IID, "draft", None),
            (IID2, "finalised", None),
        ]
        events = store.events(IID)
        assert [(e.question, e.blob) for e in events] == [
            (f"Q{i}", bytes([i]) * 10) for i in range(5)
        ]
        # 0004: positions are the events' order in the interview (the old AAD counter)
        assert [e.position for e in events] == [1, 2, 3, 4, 5]
        (seal,) = store.sealed_records()
        assert (seal.interview_id, seal.sealed_blob, seal.acked, seal.sent_bundle_id) == (
            IID2,
            b"SEALED",
            False,
            None,
        )
        # new columns and table are usable
        store.set_status(IID2, status="sent_back", revision=2, note_blob=b"enc-note")
        assert store.interview(IID2).note_blob == b"enc-note"
        store.mark_sent(bundle_id="b1", entries=[(IID2, 1)])
        assert store.mark_acked(entries=[(IID2, 1)]) == 1
        store.set_meta("device_id", "dev-1")
        assert store.get_meta("device_id") == "dev-1"
        seq = store.append_event(
            interview_id=IID, kind="answer", question="Q5", revision=1, blob=b""
        )
        assert seq > events[-1].seq
        assert store.events(IID)[-1].position == 6
        assert store.integrity_check() == "ok"


def test_head_constant_matches_the_migration_scripts() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [HEAD_REVISION]
    revisions = [r.revision for r in script.walk_revisions()]
    assert revisions == ["0006_hub_read_indexes", "0005_hub_intake", "0004_event_position", "0003_hub", "0002_notes_meta", "0001_initial"]


def test_tables_py_describes_the_migrated_schema(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with Store.open(tmp_path / "a.db") as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_migrate_is_a_cheap_no_op_at_head(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Store.open(path).close()
    code = (
        "import sys; from pathlib import Path; from fieldapp.storage import Store;"
        f"s = Store.open(Path({str(path)!r})); s.close();"
        "print('alembic' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False", out.stderr


def test_migration_is_one_transaction(tmp_path: Path) -> None:
    """A failing upgrade leaves the database exactly at its old revision."""
    path = tmp_path / "old.db"
    make_v1_database(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (squatter INTEGER)")  # makes 0002's CREATE TABLE fail
    conn.commit()
    conn.close()
    engine = open_engine(path)
    try:
        try:
            migrate(engine)
        except Exception as exc:
            assert "meta" in str(exc)
        else:
            raise AssertionError("the upgrade should have failed")
        assert current_revision(engine) == "0001_initial"
        with engine.connect() as c:
            columns = [r[1] for r in c.exec_driver_sql("PRAGMA table_info(interviews)")]
        assert "note_blob" not in columns
    finally:
        engine.dispose()


def test_schema_is_portable_to_postgresql() -> None:
    """The head schema compiles for PostgreSQL (no server needed; real PG tests come later)."""
    dialect = postgresql.dialect()
    ddl = [str(CreateTable(t).compile(dialect=dialect)) for t in metadata.sorted_tables]
    ddl += [
        str(CreateIndex(i).compile(dialect=dialect))
        for t in metadata.sorted_tables
        for i in t.indexes
    ]
    text = "\n".join(ddl)
    assert "BYTEA" in text and "BIGSERIAL" in text and "BOOLEAN DEFAULT false" in text
    assert "AUTOINCREMENT" not in text.upper().replace("BIGSERIAL", "")


def test_database_from_a_newer_build_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match=r"written by a newer fieldapp \(schema 0099_future\)"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0099_future",)]
    conn.close()
