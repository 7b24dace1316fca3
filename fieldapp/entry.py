"""What the executables do first: run a helper process when started as one.

Each entry script (``main.py``, ``fieldapp/__main__.py``) calls :func:`dispatch_helper`
before it imports anything else, so a helper child (:mod:`fieldapp.processes`) never opens a
window or parses CLI options.
"""

from __future__ import annotations

from collections.abc import Sequence

from fieldapp.processes import HELPERS


def dispatch_helper(argv: Sequence[str]) -> int | None:
    """Run the helper named by ``argv`` (``<exe> -m MODULE``) and return its exit code, or
    None when ``argv`` does not start a helper."""
    if len(argv) < 3 or argv[1] != "-m" or argv[2] not in HELPERS:
        return None
    # One static import per helper, so PyInstaller's analysis sees it.
    from fieldapp.export.worker import main

    return main()
