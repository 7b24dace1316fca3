"""One writer per device: a second writer is refused, readers never write, a killed holder's
lock is recovered, and writers that bypass the lock still never make a draft unreadable."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp.storage.errors import StaleInterview
from fieldapp.writer_lock import DeviceBusy, WriterLock
from tests.support.devices import PASSPHRASE, ROOT, make_device, make_project, open_session
from tests.support.formtools import md_to_xlsx

FORM = """
| survey |
| | type | name | label |
| | text | name | Name |
| | text | note | Note |
| settings |
| | form_id | version |
| | writers | 1 |
"""


@pytest.fixture
def device(tmp_path: Path) -> tuple[Path, str]:
    project = make_project(tmp_path / "keys")
    form = md_to_xlsx(FORM, tmp_path / "writers.xlsx")
    data = make_device(tmp_path / "device", project, forms=[form])
    with open_session(data) as session:
        recording = session.start_interview(session.form("writers"))
        recording.answer("name", "Kim")
        interview = recording.interview_id
    return data, interview


def child(data: Path, interview: str, count: int, tag: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.writer_child", str(data), interview, str(count),
         tag, *extra], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "FIELDAPP_PASSPHRASE": PASSPHRASE, "FIELDAPP_KDF": "floor"}
    return subprocess.run([sys.executable, "-m", "fieldapp", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


def digest(data: Path) -> dict[str, str]:
    """The database and its write-ahead log (SQLite's -shm index holds no data; a reader
    may create an empty -wal)."""
    files = {}
    for name in ("fieldapp.db", "fieldapp.db-wal"):
        path = data / name
        files[name] = hashlib.sha256(path.read_bytes() if path.exists() else b"").hexdigest()
    return files


def test_second_writer_refused_readers_alongside_killed_holder_recovered(device,
                                                                          tmp_path: Path) -> None:
    data, interview = device
    holder = child(data, interview, 0, "A")
    try:
        assert holder.stdout.readline().strip() == "ready"
        answers = tmp_path / "answers.json"
        answers.write_text('{"answers": {"name": "Lee"}}', encoding="utf-8")
        refused = cli("record", "--data", str(data), "--form", str(tmp_path / "writers.xlsx"),
                      "--answers", str(answers))
        assert refused.returncode == 1
        assert "another fieldapp is using this device's data" in refused.stderr
        assert f"process {holder.pid}" in refused.stderr and "nothing was changed" in \
            refused.stderr
        assert len(refused.stderr.splitlines()) == 1
        with pytest.raises(DeviceBusy):
            open_session(data)
        # readers run alongside and write nothing
        before = digest(data)
        for _ in range(2):
            assert cli("list", "--data", str(data)).returncode == 0
            shown = cli("show", "--data", str(data), interview)
            assert shown.returncode == 0 and "name = Kim" in shown.stdout
        assert cli("device", "check", "--data", str(data)).returncode == 0
        assert digest(data) == before
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # the killed holder's lock went with its process
    with open_session(data) as session:
        assert session.read_draft(interview)[0].answers["name"] == "Kim"


def test_show_never_writes(device) -> None:
    data, interview = device
    with open_session(data) as session:
        count = len(session.store.events(interview))
    before = digest(data)
    for _ in range(3):
        assert cli("show", "--data", str(data), interview).returncode == 0
    assert digest(data) == before
    with open_session(data) as session:
        assert len(session.store.events(interview)) == count


def test_writers_that_bypass_the_lock_never_make_a_draft_unreadable(device) -> None:
    data, interview = device
    count = 150
    writers = [child(data, interview, count, tag, "bypass") for tag in ("A", "B")]
    try:
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready"
        for writer in writers:
            writer.stdin.write("go\n")
            writer.stdin.flush()
        outputs = [writer.communicate(timeout=300)[0] for writer in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
    for out in outputs:
        assert out.split()[-1] == str(count - 1)  # every answer acknowledged
    with open_session(data) as session:
        record = session.store.interview(interview)
        events = session.read_events(record)
        assert events.damaged == []
        positions = [e.position for e in session.store.events(interview)]
        assert positions == list(range(1, len(positions) + 1))
        notes = [p["v"] for kind, q, p in events.readable if kind == "answer" and q == "note"]
        assert sorted(notes) == sorted(f"{t}-{i}" for t in "AB" for i in range(count))
        recording = session.resume(interview)
        assert recording.engine.answers["note"] == notes[-1]
        assert recording.lost == [] and recording.damaged == []


def test_a_stale_writer_is_refused_and_changes_nothing(device) -> None:
    data, interview = device
    with open_session(data) as first, open_session(data) as second:  # one process: shared lock
        stale = first.resume(interview)
        second.resume(interview).finalise()
        sealed = second.store.sealed_records(interview)
        with pytest.raises(StaleInterview, match="was changed elsewhere"):
            stale.answer("note", "too late")
        assert second.store.events(interview) == []
        assert second.store.sealed_records(interview) == sealed


def test_writer_lock_is_counted_within_a_process(tmp_path: Path) -> None:
    with WriterLock(tmp_path, "a"), WriterLock(tmp_path, "b"):
        pass
    with WriterLock(tmp_path, "c"):
        pass
