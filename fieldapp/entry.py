"""What the executables do first: run a helper process when started as one.

Each entry script (``main.py``, ``fieldapp/__main__.py``) calls :func:`dispatch_helper`
before it imports anything else, so a helper child (:mod:`fieldapp.processes`) never opens a
window or parses CLI options.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fieldapp.processes import FORK_FLAG


def dispatch_helper(argv: Sequence[str]) -> int | None:
    """Run the ``multiprocessing`` helper that ``argv`` starts (a frozen executable
    re-entered by the export's process pool) and return its exit code, or None when
    ``argv`` does not start a helper."""
    if getattr(sys, "frozen", False):
        import multiprocessing

        # PyInstaller's freeze support (every platform): runs pool helpers and the
        # resource tracker, then exits; returns at once for a normal start.
        multiprocessing.freeze_support()
    if FORK_FLAG not in argv[1:2]:
        return None
    from multiprocessing import spawn

    spawn.freeze_support()  # runs the helper from the inherited pipe and exits
    return 0
