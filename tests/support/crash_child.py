"""Child process for the kill -9 test: autosaves answers, printing each index after commit.

Usage: python -m tests.support.crash_child DATA_DIR FORM INTERVIEW_ID|new COUNT
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support.crash_values import value_for
from tests.support.devices import open_session


def main() -> None:
    data, form_path, interview, count = sys.argv[1:5]
    session = open_session(Path(data))
    form = session.install_form(Path(form_path))
    recording = (session.start_interview(form) if interview == "new"
                 else session.resume(interview))
    print(f"id {recording.interview_id}", flush=True)
    for i in range(int(count)):
        question, value = value_for(i)
        recording.answer(question, value)
        print(i, flush=True)  # only after answer() returned: the commit is durable


if __name__ == "__main__":
    main()
