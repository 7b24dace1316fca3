"""Progress: interviews by city, enumerator, day and questionnaire, by status (counted in
SQL), with filters and charts; by district and Dong with targets once the key is unlocked
(those are answers inside the seals)."""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import _
from fieldapp.ui import ops
from fieldapp.ui.qt import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from fieldapp.ui.supervisor.charts import chart_view, show_counts
from fieldapp.ui.supervisor.common import city_name, error_text, fill, status_name, table
from fieldapp.ui.supervisor.tab import Tab
from fieldapp.ui.widgets import button, label
from fieldapp.vocabulary import HUB_STATUSES

STATUSES = HUB_STATUSES
GROUPS = ("city", "enumerator", "day", "form")
MAX_DAYS = 31  # the day chart shows the last month with interviews


def group_names() -> dict[str, str]:
    """The group-by choices in the UI language."""
    return {"city": _("City"), "enumerator": _("Enumerator"), "day": _("Day"),
            "form": _("Questionnaire")}


class DashboardTab(Tab):
    """Filters, the table of counts, two charts and the district targets."""

    def __init__(self, desk: Any) -> None:
        super().__init__(desk)
        self.counts: Any = None
        self.districts: dict[str, dict[str, int]] = {}
        self.dongs: dict[str, dict[str, int]] = {}
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.city = QComboBox()
        self.enumerator = QComboBox()
        self.status = QComboBox()
        self.status.addItem(_("All statuses"), "")
        for status in STATUSES:
            self.status.addItem(status_name(status), status)
        self.day_from = QLineEdit()
        self.day_from.setPlaceholderText(_("from YYYY-MM-DD"))
        self.day_to = QLineEdit()
        self.day_to.setPlaceholderText(_("to YYYY-MM-DD"))
        self.group = QComboBox()
        for code, name in group_names().items():
            self.group.addItem(name, code)
        for text, widget in ((_("City"), self.city), (_("Enumerator"), self.enumerator),
                             (_("Status"), self.status), (_("Days"), self.day_from),
                             ("–", self.day_to), (_("Rows by"), self.group)):
            widget.setAccessibleName(text)
            filters.addWidget(label(text, wrap=False))
            filters.addWidget(widget)
        filters.addStretch(1)
        layout.addLayout(filters)
        for box in (self.city, self.enumerator, self.status, self.group):
            box.currentIndexChanged.connect(lambda _i: self.apply())
        for edit in (self.day_from, self.day_to):
            edit.editingFinished.connect(self.apply)
        self.summary = label("", name="muted")
        layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QSplitter(Qt.Orientation.Horizontal)
        self.table = table([_("Group"), *[status_name(s) for s in STATUSES], _("Total")])
        top.addWidget(self.table)
        self.group_chart = chart_view(_("Interviews by group"))
        top.addWidget(self.group_chart)
        top.setSizes([600, 700])
        split.addWidget(top)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        self.day_chart = chart_view(_("Interviews per day"))
        bottom.addWidget(self.day_chart)
        bottom.addWidget(self._district_panel())
        bottom.setSizes([700, 600])
        split.addWidget(bottom)
        layout.addWidget(split, 1)

    def _district_panel(self) -> QWidget:
        panel = QWidget()
        grid = QGridLayout(panel)
        grid.setContentsMargins(0, 0, 0, 0)
        self.district_button = button(_("Count by district and Dong"))
        self.district_button.clicked.connect(self.count_districts)
        self.level = QComboBox()
        self.level.addItem(_("District"), "district")
        self.level.addItem(_("Dong/community"), "dong")
        self.level.setAccessibleName(_("Rows by"))
        self.level.currentIndexChanged.connect(lambda _i: self._show_districts())
        grid.addWidget(self.district_button, 0, 0, 1, 2)
        grid.addWidget(self.level, 0, 2)
        self.district_note = label(_("District and Dong are answers: unlock the project key "
                                     "to count them."), name="muted")
        grid.addWidget(self.district_note, 1, 0, 1, 3)
        self.district_table = table([_("District"), _("Interviews"), _("Target"),
                                     _("Reached")])
        grid.addWidget(self.district_table, 2, 0, 1, 3)
        self.target_district = QComboBox()
        self.target_district.setEditable(True)
        self.target_district.setAccessibleName(_("District"))
        self.target_value = QSpinBox()
        self.target_value.setRange(0, 1_000_000)
        self.target_value.setAccessibleName(_("Target"))
        set_button = button(_("Set target"))
        set_button.clicked.connect(self.set_target)
        grid.addWidget(self.target_district, 3, 0)
        grid.addWidget(self.target_value, 3, 1)
        grid.addWidget(set_button, 3, 2)
        return panel

    # ----- counting --------------------------------------------------------------------
    def shown(self) -> None:
        self.refresh()

    def key_changed(self) -> None:
        self.districts, self.dongs = {}, {}
        self._show_districts()

    def refresh(self) -> None:
        """Reload the filter choices, then the counts."""
        choices = self.desk.dashboard_choices()
        for box, name, everything in ((self.city, "city", _("All cities")),
                                      (self.enumerator, "enumerator", _("All enumerators"))):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, "")
            for value in choices[name]:
                box.addItem(city_name(value) if name == "city" else value, value)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)
        self.apply()
        self._show_districts()

    def current_filter(self) -> Any:
        """The filter the boxes describe."""
        from fieldapp.supervisor import DashboardFilter

        return DashboardFilter(city=self.city.currentData() or "",
                               enumerator=self.enumerator.currentData() or "",
                               status=self.status.currentData() or "",
                               day_from=self.day_from.text().strip(),
                               day_to=self.day_to.text().strip())

    def apply(self) -> None:
        """Count with the current filter (SQL) and redraw the table and the charts."""
        counts = self.desk.dashboard(self.current_filter())
        self.counts = counts
        group = self.group.currentData() or "city"
        by_value = counts.by_value(group)
        if group == "city":
            by_value = {city_name(k): v for k, v in by_value.items()}
        rows = [(value, *[per.get(s, 0) for s in STATUSES], sum(per.values()))
                for value, per in by_value.items()]
        fill(self.table, rows)
        self.summary.setText(_("{n} interview(s) match the filter.").format(n=counts.total))
        show_counts(self.group_chart, list(by_value), by_value, STATUSES,
                    _("Interviews by {group}").format(group=group_names()[group].lower()))
        days = counts.by_value("day")
        recent = sorted(days)[-MAX_DAYS:]
        show_counts(self.day_chart, [d[5:] for d in recent],
                    {d[5:]: days[d] for d in recent}, STATUSES)

    # ----- districts and targets -------------------------------------------------------
    def count_districts(self) -> None:
        """Decrypt in the background and count by district (needs the key)."""
        if not self.desk.unlocked:
            self.district_note.setText(_("Unlock the project key first."))
            return
        self.district_button.setEnabled(False)
        self.district_note.setText(_("Counting…"))
        desk = self.desk

        def done(counts: Any) -> None:
            self.district_button.setEnabled(True)
            self.districts = {k: dict(v) for k, v in counts.by["district"].items()}
            self.dongs = {k: dict(v) for k, v in counts.by["dong"].items()}
            self.district_note.setText(_("{n} Dong/community value(s) counted.").format(
                n=len(counts.by["dong"])))
            self._show_districts()

        def failed(exc: BaseException) -> None:
            self.district_button.setEnabled(True)
            self.district_note.setText(error_text(exc))

        ops.run_op(self, desk.progress, done, failed)

    def _show_districts(self) -> None:
        if self.level.currentData() == "dong":  # Dong/community counts (targets: districts)
            fill(self.district_table, [(name, sum(per.values()), "", "")
                                       for name, per in sorted(self.dongs.items())])
            return
        targets = self.desk.targets()
        names = sorted(set(self.districts) | set(targets))
        rows = []
        for name in names:
            done = sum(self.districts.get(name, {}).values()) if self.districts else None
            target = targets.get(name)
            reached = (f"{100 * done / target:.0f}%" if target and done is not None else "")
            rows.append((name, "" if done is None else done, target or "", reached))
        fill(self.district_table, rows)
        current = self.target_district.currentText()
        self.target_district.clear()
        self.target_district.addItems(names)
        self.target_district.setEditText(current)

    def set_target(self) -> None:
        """Save the target of the chosen district (0 removes it)."""
        name = self.target_district.currentText().strip()
        if not name:
            return
        targets = self.desk.targets()
        targets[name] = self.target_value.value()
        self.desk.set_targets(targets)
        self._show_districts()
