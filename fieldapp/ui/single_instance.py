"""One desktop app per device: a second start brings the running window to the front.

The running app holds the device's writer lock (:mod:`fieldapp.writer_lock`) and listens on a
local socket named after the data directory. A second start finds the lock taken, asks the
first over that socket to come to the front and exits; if no desktop app answers (the lock is
held by a command such as ``fieldapp record``), it says so in the UI language and exits.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtNetwork import QLocalServer, QLocalSocket

from fieldapp.ui.qt import QObject, Signal


def server_name(data_dir: Path) -> str:
    """The local socket name for a data directory (one per device, per user)."""
    digest = hashlib.sha256(str(Path(data_dir).expanduser().resolve()).encode()).hexdigest()
    return f"fieldapp-{digest[:20]}"


class InstanceServer(QObject):
    """Listens for later starts; emits ``activate`` when one asks to be shown instead."""

    activate = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.server = QLocalServer(self)
        QLocalServer.removeServer(self.name)  # a socket file left by a killed app (we hold
        self.server.listen(self.name)  # the device lock, so no live app owns it)
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        # a connection is the request: nothing is read, so nothing can be sent to the app
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.abort()
            socket.deleteLater()
            self.activate.emit()


def ask_running_app(data_dir: Path, timeout_ms: int = 1500) -> bool:
    """Ask the desktop app already running on this device to come to the front."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    connected = socket.waitForConnected(timeout_ms)
    socket.abort()
    return bool(connected)
