"""Import: pick a folder or USB drive, see every bundle and its verdict, trust new devices
after comparing fingerprints, import with progress and cancel (one bundle at a time, each
in its own transaction, so cancelling never leaves half a bundle)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from fieldapp.i18n import _
from fieldapp.ui.qt import (
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    Signal,
)
from fieldapp.ui.supervisor.common import (
    Task,
    city_name,
    error_text,
    fill,
    selected_data,
    table,
    verdict_name,
)
from fieldapp.ui.supervisor.intake_panel import IntakePanel
from fieldapp.ui.supervisor.tab import Tab
from fieldapp.ui.widgets import button, label


class ImportTab(Tab):
    """Emits ``imported`` after each import run that changed the hub."""

    imported = Signal()

    def __init__(self, desk: Any) -> None:
        super().__init__(desk)
        self.previews: list[Any] = []
        self.outcome: dict[Path, str] = {}  # path → verdict text after importing
        self.trusted: set[str] = set()  # device ids the supervisor accepted here
        self.task: Task | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(_("Folder or USB drive with .fieldsync bundles"))
        self.folder.setAccessibleName(_("Bundle folder"))
        choose = button(_("Choose folder…"))
        choose.clicked.connect(self.choose)
        self.look = button(_("Look at the bundles"))
        self.look.clicked.connect(self.scan)
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        row.addWidget(self.look)
        layout.addLayout(row)
        self.table = table([_("Bundle"), _("Device"), _("Enumerator"), _("City"),
                            _("Interviews"), _("Verdict")])
        self.table.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.table, 1)
        self.trust_text = label("", name="muted")
        self.trust_button = button(_("The fingerprints match: trust this device"))
        self.trust_button.clicked.connect(self.trust_selected)
        trust_row = QHBoxLayout()
        trust_row.addWidget(self.trust_text, 1)
        trust_row.addWidget(self.trust_button)
        layout.addLayout(trust_row)
        self.trust_button.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        layout.addWidget(self.progress)
        self.message = label("", name="muted")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = button(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.import_button = button(_("Import"), name="primary")
        self.import_button.clicked.connect(self.start_import)
        self.import_button.setEnabled(False)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        self.intake: IntakePanel | None = None
        if desk.central:  # devices online upload into the database: add those too
            heading = label(_("Uploads over the network"))
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            layout.addWidget(heading)
            self.intake = IntakePanel(desk, self.imported.emit)
            layout.addWidget(self.intake, 1)

    # ----- looking ---------------------------------------------------------------------
    def choose(self) -> None:
        """Pick the folder, then look at it."""
        path = QFileDialog.getExistingDirectory(self, _("Bundle folder"), str(Path.home()))
        if path:
            self.folder.setText(path)
            self.scan()

    def scan(self) -> None:
        """Verify every bundle of the folder in the background (nothing is written)."""
        where = self.folder.text().strip()
        if not where or self.task is not None:
            return
        desk = self.desk
        self.previews, self.outcome = [], {}
        fill(self.table, [])
        self._busy(True, _("Checking the bundles…"))

        def work(report, cancelled) -> list[Any]:
            paths = desk.bundle_paths(Path(where))
            found = []
            for index, path in enumerate(paths, start=1):
                if cancelled():
                    break
                found.append(desk.preview_bundle(path))
                report((index, len(paths), found[-1]))
            return found

        self.task = Task(self, work, self._scanned_one, self._scanned, self._failed)

    def _scanned_one(self, step: tuple[int, int, Any]) -> None:
        index, total, preview = step
        self.progress.setRange(0, total)
        self.progress.setValue(index)
        self.previews.append(preview)
        self._show_rows()

    def _scanned(self, previews: list[Any]) -> None:
        self.previews = previews
        self._busy(False, _("{n} bundle(s) found. Check any unknown device's fingerprint, "
                            "then import.").format(n=len(previews)) if previews else
                   _("No bundles in this folder."))
        self._show_rows()

    # ----- the table -------------------------------------------------------------------
    def verdict_text(self, preview: Any) -> str:
        """What the last column says about a bundle."""
        if preview.path in self.outcome:
            return self.outcome[preview.path]
        if preview.verdict == "untrusted" and preview.device_id in self.trusted:
            return _("Will be trusted and imported")
        text = verdict_name(preview.verdict)
        return f"{text}: {preview.reason}" if preview.reason else text

    def _show_rows(self) -> None:
        rows = [(p.path.name, p.device_id[:8], p.enumerator, city_name(p.city), p.interviews,
                 self.verdict_text(p)) for p in self.previews]
        fill(self.table, rows, [p.path for p in self.previews])
        self.import_button.setEnabled(bool(self.importable()) and self.task is None)

    def importable(self) -> list[Any]:
        """Bundles an import would apply: new ones and those of devices just trusted."""
        return [p for p in self.previews if p.path not in self.outcome and (
            p.verdict == "new" or (p.verdict == "untrusted" and p.device_id in self.trusted))]

    def _selected(self) -> None:
        path = selected_data(self.table)
        preview = next((p for p in self.previews if p.path == path), None)
        if preview is None or preview.verdict != "untrusted" or path in self.outcome:
            self.trust_text.setText("")
            self.trust_button.hide()
            return
        self.trust_text.setText(_(
            "Device {device} of enumerator {enumerator} ({city}) is not known to this hub. "
            "Its key fingerprint is {fingerprint}. Compare it with the fingerprint on the "
            "enumerator's laptop before trusting it.").format(
                device=preview.device_id[:8], enumerator=preview.enumerator,
                city=city_name(preview.city),
                fingerprint=preview.fingerprint))
        self.trust_button.setVisible(preview.device_id not in self.trusted)

    def trust_selected(self) -> None:
        """Accept the selected bundle's device (imported with the next Import)."""
        path = selected_data(self.table)
        preview = next((p for p in self.previews if p.path == path), None)
        if preview is not None and preview.verdict == "untrusted":
            self.trusted.add(preview.device_id)
            self.trust_button.hide()
            self._show_rows()

    # ----- importing -------------------------------------------------------------------
    def start_import(self) -> None:
        """Import the importable bundles one by one in the background."""
        todo = self.importable()
        if not todo or self.task is not None:
            return
        desk, trusted = self.desk, set(self.trusted)
        self._busy(True, _("Importing…"))
        self.progress.setRange(0, len(todo))
        self.progress.setValue(0)

        def work(report, cancelled) -> int:
            done = 0
            for preview in todo:
                if cancelled():
                    break
                try:
                    result = desk.import_bundle(preview.path,
                                                trust=preview.device_id in trusted)
                    report((preview.path, result, None))
                except Exception as exc:  # one bad bundle never stops the others
                    report((preview.path, None, exc))
                done += 1
            return done

        self.task = Task(self, work, self._imported_one, self._imported, self._failed)

    def _imported_one(self, step: tuple[Path, Any, BaseException | None]) -> None:
        path, result, exc = step
        if exc is not None:
            self.outcome[path] = _("Rejected: {reason}").format(reason=error_text(exc))
        elif result.already_imported:
            self.outcome[path] = verdict_name("already")
        else:
            text = _("Imported: {new} new, {conflicts} conflict(s)").format(
                new=result.new, conflicts=result.conflicts)
            self.outcome[path] = text
            self.previews = [replace(p, verdict="imported") if p.path == path else p
                             for p in self.previews]
        self.progress.setValue(self.progress.value() + 1)
        self._show_rows()

    def _imported(self, done: int) -> None:
        cancelled = self.task is not None and self.task.cancelled
        left = len(self.importable())
        if cancelled:
            text = _("Cancelled: {done} bundle(s) imported, {left} not.").format(
                done=done, left=left)
        else:
            text = _("Import finished: {done} bundle(s).").format(done=done)
        self._busy(False, text)
        self._show_rows()
        self.imported.emit()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False, _("Stopped: {reason}").format(reason=error_text(exc)))
        self._show_rows()

    def cancel(self) -> None:
        """Stop after the bundle being imported (each bundle is all or nothing)."""
        if self.task is not None:
            self.task.cancel()
            self.message.setText(_("Cancelling after the current bundle…"))

    def _busy(self, busy: bool, text: str) -> None:
        if not busy:
            self.task = None
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.look.setEnabled(not busy)
        self.import_button.setEnabled(not busy and bool(self.importable()))
        self.message.setText(text)
