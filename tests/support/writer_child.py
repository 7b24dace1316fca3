"""Child process for the one-writer tests.

Usage: python -m tests.support.writer_child DATA_DIR INTERVIEW_ID COUNT TAG [bypass]

Opens the device as a writer, resumes the draft and answers ``note`` COUNT times with
``TAG-<i>``, printing ``ready`` once the session is open and each index after its commit.
``bypass`` replaces the writer lock with a no-op: two such children are two writers that
reached the store anyway (a lock bypassed, a network drive).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support.devices import open_session


def main() -> None:
    data, interview, count, tag = sys.argv[1:5]
    if len(sys.argv) > 5 and sys.argv[5] == "bypass":
        from fieldapp import writer_lock

        writer_lock.WriterLock.acquire = lambda self: self  # type: ignore[method-assign]
    try:
        session = open_session(Path(data))
    except Exception as exc:  # report the refusal the parent test checks
        print(f"refused {type(exc).__name__}: {exc}", flush=True)
        return
    recording = session.resume(interview)
    print("ready", flush=True)
    go = sys.stdin.readline()  # the parent starts both writers at once
    if go.strip() == "hold":
        sys.stdin.readline()
    for i in range(int(count)):
        recording.answer("note", f"{tag}-{i}")
        print(i, flush=True)
    session.close()


if __name__ == "__main__":
    main()
