"""The base of the desk's tabs."""

from __future__ import annotations

from typing import Any

from fieldapp.ui.qt import QWidget


class Tab(QWidget):
    """A tab of the desk: told when it is shown and when the key changes."""

    def __init__(self, desk: Any) -> None:
        super().__init__()
        self.desk = desk

    def shown(self) -> None:
        """The tab came to the front."""

    def key_changed(self) -> None:
        """The project key was unlocked or dropped."""
