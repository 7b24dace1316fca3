"""The supervisor's desk driven like a user would (offscreen): open a new hub with the key,
look at a USB folder of real device bundles, trust two devices after their fingerprints are
shown, import, approve one interview, send one back, resolve a conflict side by side, write
return bundles, export and merge, lock - asserting on the hub and the files written."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from fieldapp.supervisor import SupervisorSession
from fieldapp.sync.device import push_to_folder
from fieldapp.ui.qt import Qt, QTableView, QTableWidget
from fieldapp.ui.supervisor.window import SupervisorWindow
from tests.support.devices import KEY_PASSPHRASE, open_session
from tests.support.pilot import wait_ops
from tests.support.sync import World, build_world, record


@pytest.fixture(scope="module")
def usb(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, Path]:
    """Two devices' bundles plus a second bundle from device b holding a copy of one of
    device a's interviews (the same interview recorded on two laptops: a conflict)."""
    world = build_world(tmp_path_factory.mktemp("desk"), per_device=2)
    with open_session(world.devices["b"]) as session:
        record(session, world.form, interview_id=world.ids["a"][0], q1=1, dong="다른동")
        (world.root / "out_b2").mkdir()
        extra = push_to_folder(session, world.root / "out_b2").path
    folder = world.root / "usb"
    folder.mkdir()
    for path in (world.bundles["a"], world.bundles["b"], extra):
        shutil.copy(path, folder / f"{path.parent.name}-{path.name}")
    return world, folder


def cells(widget: QTableWidget, column: int) -> list[str]:
    return [widget.item(r, column).text() for r in range(widget.rowCount())]


def pick(widget: QTableWidget | QTableView, value: object, column: int = 0) -> None:
    model = widget.model()
    for row in range(model.rowCount()):
        index = model.index(row, column)
        if value in (index.data(), index.data(Qt.ItemDataRole.UserRole)):
            widget.selectRow(row)
            return
    raise AssertionError(f"{value} not in the table")


def test_city_workflow(qtbot, usb: tuple[World, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    world, folder = usb
    window = SupervisorWindow(lang="en", can_go_back=False)
    qtbot.addWidget(window)
    window.show()
    opener = window.opener
    opener.target.setText(str(tmp_path / "hub"))
    opener.create.setChecked(True)
    opener.keys.key.setText(str(world.project.private))
    qtbot.keyClicks(opener.keys.passphrase, KEY_PASSPHRASE)
    opener.open_button.click()
    qtbot.waitUntil(lambda: window.view is not None, timeout=20_000)
    view = window.view
    desk = window.desk
    assert desk.unlocked and not view.bar.panel.isVisible()

    # Import: every bundle listed, unknown devices shown with their fingerprints
    tab = view.import_tab
    assert tab.intake is None  # a folder hub has no uploads over the network
    tab.folder.setText(str(folder))
    tab.look.click()
    qtbot.waitUntil(lambda: tab.task is None and tab.table.rowCount() == 3, timeout=20_000)
    assert set(cells(tab.table, 2)) == {"E01", "E02"}
    assert set(cells(tab.table, 5)) == {"Unknown device"}
    assert not tab.import_button.isEnabled()
    for row in range(3):
        tab.table.selectRow(row)
        preview = tab.previews[row]
        assert preview.fingerprint in tab.trust_text.text()
        if tab.trust_button.isVisible():
            tab.trust_button.click()
    tab.import_button.click()
    qtbot.waitUntil(lambda: tab.task is None and "finished" in tab.message.text(),
                    timeout=30_000)
    assert all(text.startswith("Imported") for text in cells(tab.table, 5))
    assert {d.enumerator for d in desk.devices()} == {"E01", "E02"}
    assert len(desk.conflicts()) == 1
    assert view.progress_tab.counts.total == 4  # refreshed after the import

    # Review: approve one, send one back (the comment is required)
    review = view.review_tab
    view.tabs.setCurrentWidget(review)
    approve_id, back_id = world.ids["a"][1], world.ids["b"][0]
    pick(review.list, approve_id)
    assert review.answers.rowCount() >= 3
    assert "Trust in neighbours" in cells(review.answers, 0)
    review.language.setCurrentIndex(review.language.findData("ko"))
    assert "이웃 신뢰" in cells(review.answers, 0)
    assert "Interviewing time" in review.paradata.text()
    review.approve_button.click()
    assert desk.interview(approve_id).status == "approved"
    pick(review.list, back_id)
    review.send_back_button.click()
    assert desk.interview(back_id).status == "finalised"
    assert "comment" in review.review_message.text()
    review.comment.setPlainText("Please check the Dong name.")
    review.send_back_button.click()
    assert desk.interview(back_id).status == "sent_back"
    assert [h.event for h in desk.history(back_id)][-1] == "sent_back"

    # Conflict: side by side, the differing answer highlighted, resolved with a reason
    conflict = desk.conflicts()[0]
    review.conflicts.selectRow(0)
    differing = {review.compare.item(r, 0).text() for r in range(review.compare.rowCount())
                 if review.compare.item(r, 1).background().color().name() == "#fde2c4"}
    assert "Dong" in differing and "Trust in neighbours" not in differing  # + start/end times
    assert f"{len(differing)} answer(s) differ" in review.conflict_note.text()
    review.keep_left.click()
    assert desk.conflicts() and "why" in review.conflict_note.text()
    review.reason.setText("The first laptop's copy matches the paper log.")
    review.keep_left.click()
    assert desk.conflicts() == []
    assert desk.interview(conflict.interview_id).record_id == conflict.record_a

    # Return bundles: one click
    returns = tmp_path / "returns"
    returns.mkdir()
    review.returns_folder.setText(str(returns))
    review.returns_button.click()
    wait_ops(qtbot)
    written = sorted(p.name for p in returns.glob("*.fieldsync"))
    assert len(written) == 2 and review.returns_table.rowCount() == 2

    # Export (all but conflicts) and approved only; then merge with the report first
    export = view.export_tab
    assert export.status.currentData() == "finalised+approved"  # the default
    export.status.setCurrentIndex(export.status.findData("all"))
    export.out.setText(str(tmp_path / "seoul"))
    export.export_button.click()
    qtbot.waitUntil(lambda: export.task is None, timeout=60_000)
    everything = tmp_path / "seoul.xlsx"
    assert everything.is_file(), export.message.text()
    assert export.open_button.isEnabled() and str(everything) in cells(export.files, 0)[0]
    export.status.setCurrentIndex(export.status.findData("approved"))
    export.out.setText(str(tmp_path / "approved.xlsx"))
    export.export_button.click()
    qtbot.waitUntil(lambda: export.task is None, timeout=60_000)
    export.add_input(everything)
    export.add_input(tmp_path / "approved.xlsx")
    export.merge_out.setText(str(tmp_path / "merged.xlsx"))
    export.merge_button.click()
    qtbot.waitUntil(lambda: export.save_button.isEnabled(), timeout=60_000)
    assert not (tmp_path / "merged.xlsx").exists()  # nothing saved before the report is read
    assert export.report.rowCount() > 0
    assert "identical duplicate" in export.merge_message.text()
    export.save_button.click()
    merged = openpyxl.load_workbook(tmp_path / "merged.xlsx", read_only=True)
    data = merged[merged.sheetnames[0]]
    ids = [row[0] for row in data.iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(ids) == len(set(ids)) == 4
    assert not list(tmp_path.glob(".merged.checking*"))

    # Quality, then Ctrl+L drops the key and the answers on screen
    quality = view.quality_tab
    quality.compute_button.click()
    qtbot.waitUntil(lambda: quality.task is None and quality.report is not None,
                    timeout=30_000)
    assert {q.interview_id for q in quality.report.interviews} >= {approve_id, back_id}
    assert quality.enumerators.rowCount() == 2
    quality.flagged_only.setChecked(False)  # every interview, as a lazy model
    assert quality.interviews.model().rowCount() == len(quality.report.interviews)
    opened: list[str] = []
    quality.open_interview.connect(opened.append)
    pick(quality.interviews, approve_id)
    quality.open_button.click()
    assert opened == [approve_id]
    # Progress by district and Dong (answers: needs the key), with a target
    progress = view.progress_tab
    progress.count_districts()
    wait_ops(qtbot)
    assert set(progress.districts) == {"seoul_mapo", "seoul_jongno"}
    progress.target_district.setEditText("seoul_mapo")
    progress.target_value.setValue(4)
    progress.set_target()
    assert desk.targets() == {"seoul_mapo": 4}
    assert ("seoul_mapo", "50%") in [(progress.district_table.item(r, 0).text(),
                                      progress.district_table.item(r, 3).text())
                                     for r in range(progress.district_table.rowCount())]
    progress.level.setCurrentIndex(progress.level.findData("dong"))
    assert "다른동" not in cells(progress.district_table, 0)  # the conflict's losing copy
    assert progress.district_table.rowCount() == 4
    view.tabs.setCurrentWidget(review)
    pick(review.list, approve_id)
    assert review.answers.rowCount() > 0
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not desk.unlocked
    assert review.answers.rowCount() == 0 and view.bar.panel.isVisible()
    assert quality.report is None
    # unlock again from the bar, then the idle time locks it by itself
    view.bar.keys.passphrase.setText(KEY_PASSPHRASE)
    view.bar.unlock_button.click()
    # the key is set on the worker thread; the screen follows on the GUI thread
    qtbot.waitUntil(lambda: desk.unlocked and not view.bar.panel.isVisible(), timeout=20_000)
    assert review.answers.rowCount() > 0
    window.idle.set_interval_ms(200)
    qtbot.waitUntil(lambda: not desk.unlocked, timeout=5_000)
    assert review.answers.rowCount() == 0
    window.close()
    with SupervisorSession.open(tmp_path / "hub") as again:
        assert again.interview(approve_id).status == "approved"


def test_supervisor_found_from_the_unlock_screen(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.support.pilot import screen

    window = open_window("en", unlock=False)
    screen(window).supervise_button.click()
    desk = window.supervisor
    assert desk is not None and desk.isVisible() and not window.isVisible()
    assert desk.opener.isVisible()
    desk.opener.back.emit()  # "I am an enumerator"
    assert window.isVisible() and window.supervisor is None
