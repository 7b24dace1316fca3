"""T09/T10/T12/T13 at the device level: canary scan, tampering, swaps, wrong passphrase."""

from __future__ import annotations

import hashlib
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from fieldapp.crypto import WrongPassphrase
from fieldapp.crypto.errors import TamperedData
from fieldapp.session import FieldSession
from tests.support.canaries import encoded_variants as _variants
from tests.support.devices import make_device, make_project, open_session
from tests.support.formtools import md_to_xlsx

FORM = """
| survey |
| | type | name | label | required |
| | text | name | Name | |
| | text | note | Note | |
| | integer | age | Age | |
| settings |
| | form_id | version |
| | canary | 1 |
"""
CANARIES = ["카나리아응답값", "金丝雀答案文本", "カナリアの回答", "canary-ascii-7f3a9"]


def _scan(folder: Path) -> list[str]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for canary in CANARIES:
                if any(v in content for v in _variants(canary)):
                    hits.append(f"{path.name}: {canary}")
    return hits


@pytest.fixture
def device(tmp_path: Path) -> tuple[Path, Path]:
    project = make_project(tmp_path / "keys")
    form = md_to_xlsx(FORM, tmp_path / "canary.xlsx")
    return make_device(tmp_path / "device", project, forms=[form]), form


def test_canary_never_on_disk(device, tmp_path: Path, monkeypatch) -> None:
    data, _form = device
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    with open_session(data) as session:
        form = session.form("canary")
        drafts = []
        for canary in CANARIES:
            rec = session.start_interview(form)
            rec.answer("name", canary)
            rec.answer("note", unicodedata.normalize("NFD", canary))
            drafts.append(rec.interview_id)
        # while the database is open (WAL and SHM present) nothing is readable
        assert (data / "fieldapp.db-wal").exists()
        assert _scan(data) == [] and _scan(temp) == []
        session.resume(drafts[0]).finalise()
    assert _scan(data) == [] and _scan(temp) == []
    with open_session(data) as session:  # while the app reads them back fine
        assert session.resume(drafts[1]).engine.answers["name"] == CANARIES[1]


def _raw(data: Path) -> sqlite3.Connection:
    return sqlite3.connect(data / "fieldapp.db", isolation_level=None)


def _two_drafts(data: Path) -> tuple[str, str]:
    with open_session(data) as session:
        form = session.form("canary")
        ids = []
        for name in ("Kim", "Lee"):
            rec = session.start_interview(form)
            rec.answer("name", name)
            rec.answer("note", f"note of {name}")
            ids.append(rec.interview_id)
    return ids[0], ids[1]


def _blob(conn: sqlite3.Connection, interview: str, question: str) -> tuple[int, bytes]:
    return conn.execute("SELECT seq, blob FROM events WHERE interview_id=? AND question=? "
                        "AND kind='answer'", (interview, question)).fetchone()


def test_flipped_byte_named_error_others_readable(device) -> None:
    data, _ = device
    a, b = _two_drafts(data)
    with _raw(data) as conn:
        seq, blob = _blob(conn, a, "name")
        damaged = bytearray(blob)
        damaged[len(damaged) // 2] ^= 0x01
        conn.execute("UPDATE events SET blob=? WHERE seq=?", (bytes(damaged), seq))
    with open_session(data) as session:
        # damage stays local: the draft opens with every readable answer, names the lost one
        recording = session.resume(a)
        assert recording.lost == ["name"] and [d.question for d in recording.damaged] == ["name"]
        assert recording.engine.answers.get("name") is None
        assert recording.engine.answers["note"] == "note of Kim"
        assert recording.damaged[0].blob == bytes(damaged)  # kept, still encrypted
        assert session.resume(b).engine.answers["name"] == "Lee"
        # the damaged event travels (encrypted) to the supervisor with the interview
        payload = recording.sealed_payload()
        assert [d["question"] for d in payload["damaged_events"]] == ["name"]
        assert "Kim" not in str(payload["damaged_events"])
        recording.answer("name", "Kim again")
        recording.finalise()


def test_damaged_events_reach_the_export_as_a_warning(tmp_path: Path) -> None:
    # "the bad events are kept (encrypted) for the supervisor and reported in the export"
    from tests.support.exports import export_device

    project = make_project(tmp_path / "keys")
    form = md_to_xlsx(FORM, tmp_path / "canary.xlsx")
    data = make_device(tmp_path / "device", project, forms=[form])
    a, b = _two_drafts(data)
    with _raw(data) as conn:
        seq, blob = _blob(conn, a, "name")
        conn.execute("UPDATE events SET blob=? WHERE seq=?", (blob[:-1] + b"\x00", seq))
    with open_session(data) as session:
        recording = session.resume(a)
        recording.answer("name", "Kim again")
        recording.finalise()
        session.resume(b).finalise()
    result = export_device(data, project, tmp_path / "out.csv", fmt="csv", status="all")
    assert result.interviews == 2
    warned = [w for w in result.info.warnings if "could not read back" in w]
    assert len(warned) == 1 and a in warned[0] and b not in warned[0]
    assert "Kim" not in " ".join(result.info.warnings)


@pytest.mark.parametrize("swap", ["between_questions", "between_interviews"])
def test_swapped_ciphertexts_detected(device, swap: str) -> None:
    data, _ = device
    a, b = _two_drafts(data)
    with _raw(data) as conn:
        seq1, blob1 = _blob(conn, a, "name")
        seq2, blob2 = _blob(conn, a, "note") if swap == "between_questions" else \
            _blob(conn, b, "name")
        conn.execute("UPDATE events SET blob=? WHERE seq=?", (blob2, seq1))
        conn.execute("UPDATE events SET blob=? WHERE seq=?", (blob1, seq2))
    with open_session(data) as session:
        recording = session.resume(a)
        assert "name" in recording.lost and recording.engine.answers.get("name") is None
        if swap == "between_interviews":
            assert recording.engine.answers["note"] == "note of Kim"
            assert session.resume(b).lost == ["name"]


def test_replayed_older_answer_detected(device) -> None:
    data, _ = device
    with open_session(data) as session:
        rec = session.start_interview(session.form("canary"))
        rec.answer("name", "first")
        rec.answer("name", "second")
        interview = rec.interview_id
    with _raw(data) as conn:
        rows = conn.execute("SELECT seq, blob FROM events WHERE interview_id=? AND "
                            "question='name' ORDER BY seq", (interview,)).fetchall()
        conn.execute("UPDATE events SET blob=? WHERE seq=?", (rows[0][1], rows[1][0]))
    with open_session(data) as session:
        recording = session.resume(interview)
        assert recording.lost == ["name"] and "name" not in recording.engine.answers


def test_integrity_error_names_interview_and_question_never_the_value(device) -> None:
    from fieldapp.recording import decrypt_event

    data, _ = device
    a, _b = _two_drafts(data)
    with _raw(data) as conn:
        seq, blob = _blob(conn, a, "name")
        conn.execute("UPDATE events SET blob=? WHERE seq=?", (blob[:-1] + b"\0", seq))
    with open_session(data) as session:
        record = session.store.interview(a)
        event = next(e for e in session.store.events(a) if e.question == "name")
        with pytest.raises(TamperedData) as info:
            decrypt_event(session.keys.dek, session.keys.key_id, record, event.position,
                          event.kind, event.question, event.revision, event.blob)
        assert info.value.interview_id == a and info.value.question == "name"
        assert a in str(info.value) and "Kim" not in str(info.value)


def _fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_wrong_passphrase_changes_no_file(device) -> None:
    data, _ = device
    _two_drafts(data)
    before = _fingerprint(data)
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            FieldSession.open(data, "not the passphrase")
    assert _fingerprint(data) == before
    with open_session(data) as session:
        assert len(session.list_interviews()) == 2
