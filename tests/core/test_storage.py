"""Store against real SQLite files: settings, every method, sealing, concurrency, errors."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from fieldapp.storage import Store
from fieldapp.storage.db import open_engine
from fieldapp.storage.device_types import InterviewInfo, StoredEvent
from fieldapp.storage.errors import DatabaseLocked, DiskFull, StaleInterview, StorageError

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def new_interview(store: Store, interview_id: str | None = None) -> str:
    interview_id = interview_id or str(uuid.uuid4())
    store.create_interview(
        interview_id=interview_id, form_id="hh", form_version="1", key_id="k1", created_utc=T0
    )
    return interview_id


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "data" / "fieldapp.db") as opened:
        yield opened


def test_pragmas_in_effect_on_a_fresh_connection(tmp_path: Path) -> None:
    path = tmp_path / "fieldapp.db"
    Store.open(path).close()
    engine = open_engine(path)
    try:
        with engine.connect() as conn:
            got = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "secure_delete")
            }
            got["busy_timeout"] = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            assert conn.dialect.name == "sqlite"
            driver = conn.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection) and driver.isolation_level is None
    finally:
        engine.dispose()
    assert got == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "foreign_keys": 1,
        "secure_delete": 1,
        "busy_timeout": 5000,
    }


def test_database_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "fieldapp.db"
    Store.open(path).close()
    assert path.stat().st_mode & 0o077 == 0
    assert (path.parent.stat().st_mode & 0o777) == 0o700


def test_forms_round_trip(store: Store) -> None:
    assert store.install_form(form_id="hh", version="2", title="Household", content=b"PK\x03\x04")
    assert not store.install_form(
        form_id="hh", version="2", title="Household", content=b"PK\x03\x04"
    )
    assert store.install_form(form_id="hh", version="1", title="Household v1", content=b"old")
    with pytest.raises(StorageError, match="form hh v2 already installed with different content"):
        store.install_form(form_id="hh", version="2", title="Household", content=b"changed")
    assert store.form_content("hh", "2") == b"PK\x03\x04"
    forms = store.list_forms()
    assert [(f.form_id, f.version, f.title) for f in forms] == [
        ("hh", "1", "Household v1"),
        ("hh", "2", "Household"),
    ]
    assert forms[1].sha256 == hashlib.sha256(b"PK\x03\x04").hexdigest()
    assert forms[1].installed_utc.tzinfo is not None
    with pytest.raises(StorageError, match="form hh v9 is not installed"):
        store.form_content("hh", "9")


def test_interview_and_events_round_trip(store: Store) -> None:
    iid = new_interview(store)
    record = store.interview(iid)
    assert record == InterviewInfo(iid, "hh", "1", "draft", 1, "k1", T0, T0, None)

    seq1 = store.append_event(
        interview_id=iid, kind="answer", question="ANX1", revision=1, blob=b"a"
    )
    seqs = store.append_events(
        interview_id=iid,
        events=[("answer", "m_age[2]", 1, b"b"), ("answer", "m_job[2]", 1, b"")],
    )
    seq4 = store.append_event(interview_id=iid, kind="suspend", question="", revision=1, blob=b"s")
    assert seqs == [seq1 + 1, seq1 + 2] and seq4 == seq1 + 3
    assert store.append_events(interview_id=iid, events=[]) == []
    assert store.events(iid) == [
        StoredEvent(seq1, iid, "answer", "ANX1", 1, b"a", 1),
        StoredEvent(seq1 + 1, iid, "answer", "m_age[2]", 1, b"b", 2),
        StoredEvent(seq1 + 2, iid, "answer", "m_job[2]", 1, b"", 3),
        StoredEvent(seq4, iid, "suspend", "", 1, b"s", 4),
    ]
    assert store.interview(iid).updated_utc > T0  # bumped by the autosave transaction

    other = new_interview(store)
    assert store.events(other) == []
    assert [r.interview_id for r in store.list_interviews()] == sorted([iid, other])
    assert [r.interview_id for r in store.list_interviews(status="draft")] == sorted([iid, other])
    assert store.list_interviews(status="approved") == []


def test_interview_errors_name_the_interview(store: Store) -> None:
    iid = new_interview(store, "11111111-1111-4111-8111-111111111111")
    with pytest.raises(StorageError, match=f"interview {iid} already exists"):
        new_interview(store, iid)
    missing = "22222222-2222-4222-8222-222222222222"
    with pytest.raises(StorageError, match=f"interview {missing} not found"):
        store.interview(missing)
    with pytest.raises(StorageError, match=f"interview {missing} not found"):
        store.events(missing)
    with pytest.raises(StorageError, match=f"interview {missing} not found"):
        store.append_event(interview_id=missing, kind="answer", question="Q", revision=1, blob=b"")
    # the failed autosave left the connection usable
    assert store.append_event(interview_id=iid, kind="answer", question="Q", revision=1, blob=b"x")
    with pytest.raises(ValueError, match="unknown event kind"):
        store.append_event(interview_id=iid, kind="bogus", question="Q", revision=1, blob=b"")
    with pytest.raises(ValueError, match="timezone-aware"):
        store.create_interview(
            interview_id="x", form_id="hh", form_version="1", key_id="k", created_utc=datetime.now()
        )


def test_append_events_is_all_or_nothing(store: Store) -> None:
    iid = new_interview(store)
    with pytest.raises(ValueError):
        store.append_events(
            interview_id=iid, events=[("answer", "A", 1, b"1"), ("nope", "", 1, b"")]
        )
    assert store.events(iid) == []


def test_timestamps_are_stored_in_utc(store: Store) -> None:
    seoul = timezone(timedelta(hours=9))
    iid = str(uuid.uuid4())
    store.create_interview(
        interview_id=iid,
        form_id="hh",
        form_version="1",
        key_id="k1",
        created_utc=datetime(2024, 5, 1, 19, 0, tzinfo=seoul),
    )
    assert store.interview(iid).created_utc == T0
    assert store.interview(iid).created_utc.utcoffset() == timedelta(0)


def test_status_revision_and_notes(store: Store) -> None:
    iid = new_interview(store)
    store.set_status(iid, status="sent_back", revision=2, note_blob=b"enc-comment")
    record = store.interview(iid)
    assert (record.status, record.revision, record.note_blob) == ("sent_back", 2, b"enc-comment")
    store.set_status(iid, status="draft", revision=2)  # note kept
    assert store.interview(iid).note_blob == b"enc-comment"
    store.set_status(iid, status="draft", revision=2, note_blob=None)
    assert store.interview(iid).note_blob is None
    with pytest.raises(StorageError, match="refusing to go back to revision 1"):
        store.set_status(iid, status="approved", revision=1)
    with pytest.raises(ValueError, match="unknown interview status"):
        store.set_status(iid, status="done", revision=2)
    with pytest.raises(StorageError, match="not found"):
        store.set_status("nope", status="draft", revision=1)


def test_seal_removes_events_and_tracks_sync(store: Store) -> None:
    iid, other = new_interview(store), new_interview(store)
    for q in ("A", "B", "C"):
        store.append_event(interview_id=iid, kind="answer", question=q, revision=1, blob=b"c")
    store.append_event(interview_id=other, kind="answer", question="A", revision=1, blob=b"o")
    sealed_at = T0 + timedelta(hours=1)
    store.seal_interview(
        interview_id=iid, revision=1, sealed_blob=b"SEALED", sha256="ab" * 32, sealed_utc=sealed_at
    )
    assert store.events(iid) == []
    assert len(store.events(other)) == 1
    record = store.interview(iid)
    assert (record.status, record.revision, record.updated_utc) == ("finalised", 1, sealed_at)
    assert store.list_interviews(status="finalised") == [record]
    with pytest.raises(StorageError, match=f"interview {iid} revision 1 is already sealed"):
        store.seal_interview(
            interview_id=iid, revision=1, sealed_blob=b"X", sha256="cd" * 32, sealed_utc=sealed_at
        )
    assert store.sealed_records(iid)[0].sealed_blob == b"SEALED"  # unchanged by the failure

    store.set_status(iid, status="sent_back", revision=2)
    with pytest.raises(StaleInterview, match="now sent_back at revision 2"):
        store.append_event(interview_id=iid, kind="answer", question="B", revision=2, blob=b"x")
    store.set_status(iid, status="draft", revision=2)
    with pytest.raises(StaleInterview, match="now draft at revision 2"):
        store.append_event(interview_id=iid, kind="answer", question="B", revision=1, blob=b"x")
    store.append_event(interview_id=iid, kind="answer", question="B", revision=2, blob=b"fix")
    assert [e.position for e in store.events(iid)] == [1]
    store.seal_interview(
        interview_id=iid,
        revision=2,
        sealed_blob=b"SEALED2",
        sha256="ef" * 32,
        sealed_utc=sealed_at + timedelta(hours=1),
    )
    seals = store.sealed_records()
    assert [(s.interview_id, s.revision, s.sealed_blob) for s in seals] == [
        (iid, 1, b"SEALED"),
        (iid, 2, b"SEALED2"),
    ]
    assert seals[0].sha256 == "ab" * 32 and seals[0].sealed_utc == sealed_at
    assert not seals[0].acked and seals[0].sent_bundle_id is None

    store.mark_sent(bundle_id="bundle-1", entries=[(iid, 1), (iid, 2)])
    assert {s.sent_bundle_id for s in store.sealed_records(iid)} == {"bundle-1"}
    with pytest.raises(StorageError, match=f"interview {iid} revision 7 has no sealed copy"):
        store.mark_sent(bundle_id="bundle-2", entries=[(iid, 7)])
    assert store.mark_acked(entries=[(iid, 1)]) == 1
    assert store.mark_acked(entries=[(iid, 1)]) == 0  # idempotent
    assert [s.revision for s in store.sealed_records(only_unacked=True)] == [2]
    assert store.sealed_records(other) == []


def test_meta_and_maintenance(store: Store) -> None:
    assert store.get_meta("device_id") is None
    store.set_meta("device_id", "dev-1")
    store.set_meta("device_id", "dev-2")
    store.set_meta("last_sync", "2024-05-01T10:00:00+00:00")
    assert store.get_meta("device_id") == "dev-2"
    assert store.integrity_check() == "ok"
    iid = new_interview(store)
    store.append_event(interview_id=iid, kind="answer", question="A", revision=1, blob=b"x" * 5000)
    assert store.checkpoint() is True
    wal = Path(str(store.engine.url.database) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_closed_store_refuses_writes(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "a.db")
    iid = new_interview(store)
    store.close()
    store.close()  # idempotent
    with pytest.raises(StorageError, match="closed"):
        store.append_event(interview_id=iid, kind="answer", question="A", revision=1, blob=b"")


def test_second_store_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "fieldapp.db"
    with Store.open(path) as first, Store.open(path) as second:
        iid = new_interview(first)
        a = first.append_event(interview_id=iid, kind="answer", question="A", revision=1, blob=b"1")
        b = second.append_event(
            interview_id=iid, kind="answer", question="B", revision=1, blob=b"2"
        )
        assert [e.seq for e in first.events(iid)] == [a, b]

        # While a plain connection holds the write lock, reads still work (deferred, WAL) and a
        # write waits for the lock (busy_timeout) instead of failing.
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        blocker.execute("INSERT INTO meta(key, value) VALUES ('holder', 'x')")
        result: list[object] = []

        def write() -> None:
            try:
                result.append(
                    second.append_event(
                        interview_id=iid, kind="answer", question="C", revision=1, blob=b"3"
                    )
                )
            except Exception as exc:
                result.append(exc)

        writer = threading.Thread(target=write)
        writer.start()
        assert len(first.events(iid)) == 2  # a read is not blocked by the held write lock
        writer.join(0.3)
        assert writer.is_alive() and result == []  # the write waits for the lock, no error
        blocker.execute("COMMIT")
        blocker.close()
        writer.join(10)
        assert result == [b + 1]
        assert first.get_meta("holder") == "x"
        assert [e.question for e in second.events(iid)] == ["A", "B", "C"]


def test_threads_share_one_store(store: Store) -> None:
    iid = new_interview(store)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(25):
                store.append_event(
                    interview_id=iid, kind="answer", question=f"Q{n}_{i}", revision=1, blob=b"x"
                )
                store.events(iid)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    seqs = [e.seq for e in store.events(iid)]
    assert len(seqs) == 100 and seqs == sorted(set(seqs))


def test_seq_is_never_reused_after_seal(store: Store) -> None:
    iid = new_interview(store)
    last = store.append_event(interview_id=iid, kind="answer", question="A", revision=1, blob=b"")
    store.seal_interview(
        interview_id=iid, revision=1, sealed_blob=b"S", sha256="0" * 64, sealed_utc=T0
    )
    other = new_interview(store)
    assert (
        store.append_event(interview_id=other, kind="answer", question="A", revision=1, blob=b"")
        > last
    )


def test_lock_held_past_the_busy_timeout_raises_database_locked(tmp_path: Path) -> None:
    from fieldapp.storage.migrate import migrate

    path = tmp_path / "fieldapp.db"
    Store.open(path).close()
    engine = open_engine(path, busy_timeout_ms=50)
    migrate(engine)
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        with Store(engine) as store:
            iid = new_interview(store)
            blocker.execute("BEGIN IMMEDIATE")
            with pytest.raises(DatabaseLocked, match="NOT saved"):
                store.append_event(
                    interview_id=iid, kind="answer", question="A", revision=1, blob=b""
                )
            with pytest.raises(DatabaseLocked):
                store.set_meta("k", "v")
            assert store.events(iid) == []  # reads still work while another writer holds the lock
            blocker.execute("ROLLBACK")
            assert store.append_event(
                interview_id=iid, kind="answer", question="A", revision=1, blob=b""
            )
    finally:
        blocker.close()


def test_driver_errors_map_to_user_errors() -> None:
    from fieldapp.storage.db import translate

    assert isinstance(translate(sqlite3.OperationalError("database or disk is full")), DiskFull)
    assert isinstance(translate(sqlite3.OperationalError("database is locked")), DatabaseLocked)
    other = translate(sqlite3.OperationalError("no such table: x"))
    assert type(other) is StorageError and "no such table" in str(other)
    assert "NOT saved" in str(DiskFull()) and "NOT saved" in str(DatabaseLocked())


def test_sql_parameters_never_reach_error_messages(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE meta"))
    with pytest.raises(StorageError) as info:
        store.set_meta("secret-key", "secret-value")
    assert "secret" not in str(info.value)
    cause = info.value.__cause__
    assert isinstance(cause, sqlite3.Error) and "secret" not in repr(cause)


def test_import_of_errors_stays_light() -> None:
    import subprocess
    import sys

    code = "import sys, fieldapp.storage.errors; print('sqlalchemy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONPATH": "."},
    )
    assert out.stdout.strip() == "False"
