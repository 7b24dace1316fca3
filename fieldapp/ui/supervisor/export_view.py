"""Export and merge: choose format, language and statuses, export with progress and cancel;
merge several exports after reading the compatibility report; then what was written and
"Open folder"."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from fieldapp.errors import shown as shown_text
from fieldapp.i18n import UI_LANGUAGES, _
from fieldapp.ui.qt import (
    QComboBox,
    QDesktopServices,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QProgressBar,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from fieldapp.ui.supervisor.common import Task, error_text, fill, table
from fieldapp.ui.supervisor.tab import Tab
from fieldapp.ui.widgets import button, label
from fieldapp.vocabulary import Status

FORMAT_NAMES = {"xlsx": "Excel (.xlsx)", "csv": "CSV (.csv)", "sav": "SPSS (.sav)",
                "dta": "Stata (.dta)"}


def status_choices() -> list[tuple[str, str]]:
    """Export status filters; the first (default) leaves out sent-back and conflicting."""
    return [("finalised+approved", _("Finalised and approved (no sent-back or conflicting)")),
            (Status.APPROVED, _("Approved only")),
            (Status.FINALISED, _("Finalised, not yet reviewed")),
            ("all", _("Everything except conflicts (includes sent back)"))]


def open_folder(path: Path) -> bool:
    """Show a folder in the system's file manager."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


class ExportTab(Tab):
    """The export box and the merge box."""

    def __init__(self, desk: Any) -> None:
        super().__init__(desk)
        self.task: Task | None = None
        self.written: list[Path] = []
        self.pending_merge: tuple[Path, Path] | None = None  # (checked file, final name)
        layout = QHBoxLayout(self)
        layout.addWidget(self._export_box(), 1)
        layout.addWidget(self._merge_box(), 1)

    # ----- export ----------------------------------------------------------------------
    def _export_box(self) -> QWidget:
        box = QGroupBox(_("Export this hub"))
        layout = QVBoxLayout(box)
        form = QFormLayout()
        self.fmt = QComboBox()
        for code, name in FORMAT_NAMES.items():
            self.fmt.addItem(name, code)
        self.lang = QComboBox()
        for code, name in UI_LANGUAGES.items():
            self.lang.addItem(name, code)
        self.status = QComboBox()
        for code, name in status_choices():
            self.status.addItem(name, code)
        self.out = QLineEdit()
        self.out.setPlaceholderText(_("Folder and file name, e.g. seoul.xlsx"))
        choose = button(_("Choose…"))
        choose.clicked.connect(self._choose_out)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(choose)
        for text, widget in ((_("Format"), self.fmt), (_("Labels in"), self.lang),
                             (_("Interviews"), self.status)):
            widget.setAccessibleName(text)
            form.addRow(text, widget)
        self.out.setAccessibleName(_("Save as"))
        form.addRow(_("Save as"), out_row)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.export_button = button(_("Export"), name="primary")
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = button(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.hide()
        layout.addWidget(self.progress)
        self.message = label("", name="muted")
        layout.addWidget(self.message)
        self.files = table([_("Written"), _("Size")])
        layout.addWidget(self.files, 1)
        self.open_button = button(_("Open folder"))
        self.open_button.clicked.connect(lambda: open_folder(self.written[0].parent))
        self.open_button.setEnabled(False)
        layout.addWidget(self.open_button, alignment=Qt.AlignmentFlag.AlignLeft)
        return box

    def _choose_out(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Export to"), str(Path.home()))
        if path:
            self.out.setText(path)

    def start_export(self) -> None:
        """Decrypt and write in the background, with progress and cancel."""
        from fieldapp.supervisor import ExportOptions

        if not self.desk.unlocked:
            self.message.setText(_("Unlock the project key first."))
            return
        text = self.out.text().strip()
        if not text or self.task is not None:
            self.message.setText(_("Choose where to save the export."))
            return
        fmt = self.fmt.currentData()
        out = Path(text)
        if out.suffix.lower() != f".{fmt}":
            out = out.with_name(f"{out.name}.{fmt}")
        desk, lang, status = self.desk, self.lang.currentData(), self.status.currentData()
        self._busy(True, _("Exporting…"))

        def work(report, cancelled) -> Any:
            def progress(done: int, total: int | None) -> bool:
                report((done, total))
                return not cancelled()

            return desk.export(ExportOptions(out=out, fmt=fmt, lang=lang, status=status,
                                             progress=progress))

        self.task = Task(self, work, self._step, self._exported, self._failed)

    def _step(self, step: tuple[int, int | None]) -> None:
        done, total = step
        self.progress.setRange(0, total or 0)
        self.progress.setValue(done)

    def _exported(self, result: Any) -> None:
        lines = [_("{n} interview(s) exported.").format(n=result.interviews)]
        lines += [_("Left out: {n} {reason}").format(n=n, reason=shown_text(reason))
                  for reason, n in sorted(result.info.skipped.items())]
        lines += [_cut(shown_text(w)) for w in result.info.warnings]
        self._busy(False, "\n".join(lines))
        self.show_written(list(result.paths))

    def show_written(self, paths: list[Path]) -> None:
        """List what was written, with sizes; enable "Open folder"."""
        self.written = paths
        fill(self.files, [(str(p), f"{p.stat().st_size // 1024} KiB" if p.exists() else "")
                          for p in paths])
        self.open_button.setEnabled(bool(paths))

    def _failed(self, exc: BaseException) -> None:
        self._busy(False, _("Nothing was written: {reason}").format(reason=error_text(exc)))

    def cancel(self) -> None:
        """Stop the export (nothing is left half-written)."""
        if self.task is not None:
            self.task.cancel()

    def _busy(self, busy: bool, text: str) -> None:
        if not busy:
            self.task = None
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.export_button.setEnabled(not busy)
        self.merge_button.setEnabled(not busy)
        self.message.setText(text)

    # ----- merge -----------------------------------------------------------------------
    def _merge_box(self) -> QWidget:
        box = QGroupBox(_("Merge exports (e.g. the three cities)"))
        layout = QVBoxLayout(box)
        self.inputs = QListWidget()
        self.inputs.setAccessibleName(_("Exports to merge"))
        layout.addWidget(self.inputs, 1)
        row = QHBoxLayout()
        add = button(_("Add exports…"))
        add.clicked.connect(self._add_inputs)
        remove = button(_("Remove"))
        remove.clicked.connect(lambda: self.inputs.takeItem(self.inputs.currentRow()))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        form = QFormLayout()
        self.merge_out = QLineEdit()
        self.merge_out.setPlaceholderText(_("e.g. three_cities.xlsx"))
        self.merge_out.setAccessibleName(_("Merged file"))
        form.addRow(_("Merged file"), self.merge_out)
        layout.addLayout(form)
        self.merge_button = button(_("Check compatibility"), name="primary")
        self.merge_button.clicked.connect(self.check_merge)
        layout.addWidget(self.merge_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.report = table([_("Compatibility report")])
        self.report.setWordWrap(True)
        layout.addWidget(self.report, 2)
        self.merge_message = label("", name="muted")
        layout.addWidget(self.merge_message)
        row = QHBoxLayout()
        self.discard_button = button(_("Discard"))
        self.discard_button.clicked.connect(self.discard_merge)
        self.save_button = button(_("Save merged file"), name="primary")
        self.save_button.clicked.connect(self.save_merge)
        self.merge_open = button(_("Open folder"))
        self.merge_open.clicked.connect(lambda: self.pending_merge is None
                                        and self.merge_out.text()
                                        and open_folder(Path(self.merge_out.text()).parent))
        for widget in (self.discard_button, self.save_button, self.merge_open):
            widget.setEnabled(False)
            row.addWidget(widget)
        row.insertStretch(0, 1)
        layout.addLayout(row)
        return box

    def _add_inputs(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, _("Exports to merge"), str(Path.home()),
                                                 _("Excel exports (*.xlsx)"))
        for path in paths:
            self.add_input(Path(path))

    def add_input(self, path: Path) -> None:
        """Add one export to merge."""
        self.inputs.addItem(str(path))

    def check_merge(self) -> None:
        """Merge into a hidden file next to the target and show the report first."""
        inputs = [Path(self.inputs.item(i).text()) for i in range(self.inputs.count())]
        target = self.merge_out.text().strip()
        if not inputs or not target:
            self.merge_message.setText(_("Add the exports and name the merged file."))
            return
        if self.task is not None:
            return
        final = Path(target)
        if final.suffix.lower() != ".xlsx":
            final = final.with_name(final.name + ".xlsx")
        checking = final.with_name(f".{final.stem}.checking.xlsx")
        self.discard_merge()
        self.merge_button.setEnabled(False)
        self.merge_message.setText(_("Merging and checking…"))
        desk = self.desk

        def work(report, cancelled) -> Any:
            return desk.merge(inputs, checking, progress=lambda d, t: (report((d, t)),
                                                                        not cancelled())[1])

        self.task = Task(self, work, lambda _s: None, lambda r: self._checked(r, final),
                         self._merge_failed)

    def _checked(self, result: Any, final: Path) -> None:
        self.task = None
        self.merge_button.setEnabled(True)
        self.pending_merge = (result.path, final)
        fill(self.report, [(line.shown(),) for line in result.report])
        self.report.resizeRowsToContents()
        self.merge_message.setText(_(
            "{rows} row(s); {dup} identical duplicate(s) dropped; {conflicts} differing "
            "copies; {mismatches} codebook mismatch(es). Save it as {name}?").format(
                rows=result.rows, dup=result.duplicates, conflicts=result.conflicts,
                mismatches=result.mismatches, name=final.name))
        self.save_button.setEnabled(True)
        self.discard_button.setEnabled(True)

    def _merge_failed(self, exc: BaseException) -> None:
        self.task = None
        self.merge_button.setEnabled(True)
        self.merge_message.setText(_("The exports cannot be merged: {reason}").format(
            reason=error_text(exc)))

    def save_merge(self) -> None:
        """Give the checked merge its name."""
        if self.pending_merge is None:
            return
        checked, final = self.pending_merge
        checked.replace(final)
        self.pending_merge = None
        self.save_button.setEnabled(False)
        self.discard_button.setEnabled(False)
        self.merge_open.setEnabled(True)
        self.merge_message.setText(_("Saved {path}.").format(path=final))

    def discard_merge(self) -> None:
        """Delete a checked merge that was not saved."""
        if self.pending_merge is not None:
            with contextlib.suppress(OSError):
                self.pending_merge[0].unlink()
        self.pending_merge = None
        self.save_button.setEnabled(False)
        self.discard_button.setEnabled(False)


def _cut(text: str, limit: int = 400) -> str:
    """A warning short enough for the status text (id lists can be long; the file's about
    sheet keeps them whole)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
