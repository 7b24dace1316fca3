"""Work-arounds in fieldapp.ui.qt and fieldapp.ui.app that keep long sessions alive."""

from __future__ import annotations

import gc
import os
import subprocess
import sys


def test_a_long_session_does_not_leak_none_or_true() -> None:
    # PySide6 6.12.0 on CPython 3.11 drops a reference to None per void call and to True
    # per emit(): CPython aborts after a few thousand calls ("deallocating None"). That is
    # why pyproject pins PySide6 below 6.12; run the loop in a child so a regression fails
    # this test instead of killing the whole run.
    code = (
        "import sys\n"
        "from PySide6.QtCore import QObject, QTimer, Signal, QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "class E(QObject):\n    ping = Signal()\n"
        "t, e = QTimer(), E()\n"
        "n0, t0 = sys.getrefcount(None), sys.getrefcount(True)\n"
        "for _ in range(50_000):\n    t.stop(); e.ping.emit()\n"
        "print(n0 - sys.getrefcount(None), t0 - sys.getrefcount(True))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-500:]
    lost_none, lost_true = (int(x) for x in result.stdout.split())
    assert lost_none < 100 and lost_true < 100


def test_garbage_is_collected_on_the_gui_thread_only(qapp) -> None:
    from fieldapp.ui.app import create_app

    create_app([])
    assert not gc.isenabled()  # a worker thread must never run the collector
