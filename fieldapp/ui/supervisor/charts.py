"""Stacked bar charts (Qt Charts) of interviews by a group and status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fieldapp.ui.qt import QColor, QPainter, Qt, charts
from fieldapp.ui.supervisor.common import status_name
from fieldapp.vocabulary import Status

STATUS_COLOURS: dict[str, str] = {Status.FINALISED: "#4C78A8", Status.APPROVED: "#54A24B",
                  Status.SENT_BACK: "#F58518", Status.CONFLICT: "#E45756",
                  Status.DISCARDED: "#9D9D9D"}


def _chart(title: str) -> Any:
    qc = charts()
    chart = qc.QChart()
    chart.setTitle(title)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(qc.QChart.AnimationOption.NoAnimation)
    return chart


def chart_view(title: str) -> Any:
    """An empty chart view, antialiased, legend at the bottom."""
    qc = charts()
    view = qc.QChartView(_chart(title))
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view


def show_counts(view: Any, categories: Sequence[str], counts: Mapping[str, Mapping[str, int]],
                statuses: Sequence[str], title: str | None = None) -> None:
    """Replace the chart's series: one stacked bar per category, one colour per status."""
    qc = charts()
    old = view.chart()
    chart = _chart(title if title is not None else old.title())
    view.setChart(chart)  # a fresh chart: no axis of the last drawing stays behind
    old.deleteLater()
    series = qc.QStackedBarSeries()
    top = 0
    for status in statuses:
        values = [counts.get(c, {}).get(status, 0) for c in categories]
        if not any(values):
            continue
        bar = qc.QBarSet(status_name(status))
        bar.setColor(QColor(STATUS_COLOURS.get(status, "#777777")))
        bar.append([float(v) for v in values])
        series.append(bar)
    for c in categories:
        top = max(top, sum(counts.get(c, {}).values()))
    chart.addSeries(series)
    x = qc.QBarCategoryAxis()
    x.append(list(categories))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    y = qc.QValueAxis()
    y.setLabelFormat("%d")
    step = max(1, -(-top // 4))  # at most five ticks, on whole numbers
    y.setRange(0, step * max(1, -(-top // step)))
    y.setTickCount(max(1, -(-top // step)) + 1)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(y)
