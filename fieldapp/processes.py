"""Helper processes: the command line that starts one, from source or from a frozen app.

Some work runs in a child process (the export's decrypting helper, started as
``python -m fieldapp.export.worker``). A frozen app has no ``python``: the child is the app's
own console executable with the same ``-m MODULE`` arguments, and the entry scripts run the
helper before anything else (:mod:`fieldapp.entry`). Imports only the standard library.
"""

from __future__ import annotations

import subprocess
import sys
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
