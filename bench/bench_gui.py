"""GUI benchmark: cold start to the unlock window, and next-question latency.

Run: ``.venv/bin/python bench/bench_gui.py`` (writes bench/results/gui.json; offscreen Qt).

1. Cold start: ``python main.py`` until the unlock window is shown and painted
   (``FIELDAPP_EXIT_AFTER_SHOW=1`` quits right after the first frame), timed as whole
   processes, interleaved with the floor: a script that imports PySide6 and shows an empty
   QMainWindow, quitting the same way. Target: within 1.5x of the floor and under 2 s.
2. Next-question latency: a full interview of each shipped questionnaire answered with key
   presses; from the key press to the next question painted, including the durable autosave
   (Enter -> next page built, its "shown" event committed and painted; a number key on a
   field-list page -> answer committed, focus on the next item, painted). Target p99 < 50 ms.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RESULTS = ROOT / "bench" / "results" / "gui.json"
RUNS = 10
FLOOR = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Window(QMainWindow):
    painted = False

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, QApplication.quit)

app = QApplication(sys.argv)
window = Window()
window.resize(1280, 760)
window.show()
sys.exit(app.exec())
"""
NUMBERS = "35"  # valid for every count, age and income question of the shipped forms


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def make_device(folder: Path) -> Path:
    """A device with the shipped questionnaires (test-strength key derivation)."""
    from tests.support.devices import QUESTIONNAIRES, make_device, make_project

    project = make_project(folder / "project")
    return make_device(folder / "data", project, forms=sorted(QUESTIONNAIRES.glob("*.xlsx")))


def cold_start(data: Path) -> dict[str, object]:
    """Whole-process times of main.py and of the floor, interleaved."""
    env = {**os.environ, "FIELDAPP_HOME": str(data), "FIELDAPP_EXIT_AFTER_SHOW": "1",
           "QT_QPA_PLATFORM": "offscreen"}
    floor_script = data.parent / "floor.py"
    floor_script.write_text(FLOOR)
    app, floor = [], []
    for _ in range(RUNS + 1):  # the first pair warms the file cache and is dropped
        for cmd, out in (([sys.executable, str(floor_script)], floor),
                         ([sys.executable, str(ROOT / "main.py")], app)):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            out.append(time.perf_counter() - start)
    app, floor = app[1:], floor[1:]
    ratio = statistics.median(app) / statistics.median(floor)
    return {"runs": RUNS, "app_median_s": round(statistics.median(app), 4),
            "app_max_s": round(max(app), 4), "floor_median_s": round(statistics.median(floor), 4),
            "floor_max_s": round(max(floor), 4), "ratio_median": round(ratio, 2),
            "target": "ratio <= 1.5 and app < 2 s"}


def latency(data: Path) -> dict[str, object]:
    """Key press -> next question painted, over full interviews of the shipped forms."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from fieldapp.session import FieldSession
    from fieldapp.ui.app import apply_language, create_app, load_prefs
    from fieldapp.ui.interview.choices import ChoiceQuestion
    from fieldapp.ui.interview.note import NoteWidget
    from fieldapp.ui.interview.typed import TextWidget, TypedQuestion
    from fieldapp.ui.main_window import MainWindow
    from tests.support.devices import PASSPHRASE

    app = create_app([])
    apply_language(app, "en")
    window = MainWindow(data, load_prefs(data))
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    window._unlocked(FieldSession.open(data, PASSPHRASE))
    state = {"painted": False, "page": None}

    def mark_painted() -> None:
        state["painted"] = True

    def timed_key(key: Qt.Key) -> float:
        view = window.interview
        target = QApplication.focusWidget() or view
        state["painted"] = False
        start = time.perf_counter()
        QTest.keyClick(target, key)
        if view.stack.currentWidget() is view.review:  # the last page led to the review
            view.review.repaint()
            return -(time.perf_counter() - start)
        page = view.page_view
        if state["page"] is not page:  # a new page: watch its paint events
            page.painted.connect(mark_painted)
            state["page"] = page
        page.content.update()  # whatever changed must reach the screen
        deadline = start + 2
        while not state["painted"] and time.perf_counter() < deadline:
            app.processEvents()
        return time.perf_counter() - start

    pages, answers, reviews = [], [], []
    for form_id in ("three_city_2012", "neighbourhood_panel", "risk_governance_2015"):
        window.start_interview(form_id)
        view = window.interview
        for _ in range(200):
            if view.stack.currentWidget() is not view.page_view:
                break
            page = view.page_view
            for widget in page.widgets.values():
                if isinstance(widget, (NoteWidget, TextWidget)):
                    continue
                owner = page.owner_of(QApplication.focusWidget())
                if owner is not widget:
                    page.show_question(widget)
                if isinstance(widget, ChoiceQuestion):
                    sample = timed_key(Qt.Key.Key_1)
                    if len(page.widgets) > 1:
                        answers.append(sample)
                elif isinstance(widget, TypedQuestion):
                    QTest.keyClicks(widget.editor, NUMBERS)
            sample = timed_key(Qt.Key.Key_Return)
            if os.environ.get("BENCH_VERBOSE"):
                print(f"{form_id} {view.nav.current().id:12s} {sample * 1000:7.1f} ms")
            (pages if sample >= 0 else reviews).append(abs(sample))
        view.request_close()
    window.close()
    ms = [s * 1000 for s in pages]
    answer_ms = [s * 1000 for s in answers]
    return {
        "next_page": {"n": len(ms), "p50_ms": round(statistics.median(ms), 2),
                      "p99_ms": round(percentile(ms, 99), 2), "max_ms": round(max(ms), 2)},
        "answer_on_field_list": {"n": len(answer_ms),
                                 "p50_ms": round(statistics.median(answer_ms), 2),
                                 "p99_ms": round(percentile(answer_ms, 99), 2),
                                 "max_ms": round(max(answer_ms), 2)},
        "last_page_to_review_ms": [round(s * 1000, 1) for s in reviews],
        "target": "p99 < 50 ms",
    }


def under_load(measure, data: Path) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """``measure(data)`` while one busy process per core competes for the CPU (started and
    stopped here, so the load is the benchmark's own, on top of whatever else runs)."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(os.cpu_count() or 2)]
    try:
        time.sleep(1.0)
        result = measure(data)
        result["load"] = f"{len(hogs)} busy processes (one per core), load {os.getloadavg()[0]:.1f}"
        return result
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def main() -> None:
    """Run both benchmarks and write the JSON results."""
    import PySide6

    sys.path.insert(0, str(ROOT / "bench"))
    import harness

    out: dict[str, object] = {
        **harness.header("bench_gui.py", sys.argv[1:]),
        "load_before": harness.load(),
        "pyside6": PySide6.__version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpu",
        "platform": os.environ["QT_QPA_PLATFORM"],
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    with tempfile.TemporaryDirectory(prefix="fieldapp-bench-gui-") as tmp:
        data = make_device(Path(tmp))
        out["cold_start"] = cold_start(data)
        print("cold start:", out["cold_start"], flush=True)
        out["latency"] = latency(data)
        print("latency:", out["latency"], flush=True)
        out["latency_under_load"] = under_load(latency, data)
        print("latency under load:", out["latency_under_load"], flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
