"""Helper processes: names of the frozen executables, and how a frozen one re-enters itself.

The export's helpers are a ``ProcessPoolExecutor`` with the *spawn* start method
(:mod:`fieldapp.export.parallel`): each helper is a fresh interpreter. A frozen app has no
``python``: ``multiprocessing`` starts the app's own executable with
``--multiprocessing-fork``, and the entry scripts hand such a start to ``multiprocessing``
before anything else (:mod:`fieldapp.entry`). Imports only the standard library.
"""

from __future__ import annotations

#: Names of the frozen executables (``packaging/fieldapp.spec`` builds them).
CLI_NAME = "fieldapp"
GUI_NAME = "fieldapp-gui"
#: The argument ``multiprocessing`` starts a frozen executable's helper with.
FORK_FLAG = "--multiprocessing-fork"
