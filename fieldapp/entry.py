"""What the executables do first: run a helper process when started as one.

Some work runs in a child process (the export's decrypting helper, started as
``python -m fieldapp.export.worker``). A frozen app has no ``python``: the child is the app's
own executable with the same ``-m MODULE`` arguments, and each entry script (``main.py``,
``fieldapp/__main__.py``) calls :func:`dispatch_helper` before it imports anything else, so
such a child never opens a window or parses CLI options. Imports only the standard library.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

#: Names of the frozen executables (``packaging/fieldapp.spec`` builds them).
CLI_NAME = "fieldapp"
GUI_NAME = "fieldapp-gui"
#: Modules that may be started as helper processes.
HELPERS = ("fieldapp.export.worker",)
#: Popen ``creationflags`` for a helper: no console window flashing up on Windows.
HELPER_FLAGS = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0


def helper_command(module: str) -> list[str]:
    """The command line that runs helper ``module`` in a child process.

    From source: this Python with ``-m``. Frozen: the bundle's console executable (a
    windowed one may have no usable stdin/stdout on Windows), else this executable.
    """
    if module not in HELPERS:
        raise ValueError(f"not a helper module: {module}")
    executable = Path(sys.executable)
    if getattr(sys, "frozen", False):
        cli = executable.with_name(CLI_NAME + executable.suffix)
        if cli.is_file():
            executable = cli
    return [str(executable), "-m", module]


def dispatch_helper(argv: Sequence[str]) -> int | None:
    """Run the helper named by ``argv`` (``<exe> -m MODULE``) and return its exit code, or
    None when ``argv`` does not start a helper."""
    if len(argv) < 3 or argv[1] != "-m" or argv[2] not in HELPERS:
        return None
    # One static import per helper, so PyInstaller's analysis sees it.
    from fieldapp.export.worker import main

    return main()
