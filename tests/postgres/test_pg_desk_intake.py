"""The supervisor's desk adds devices' uploads from a central hub: pytest-qt on the Import
tab of a real PostgreSQL hub, devices inserting through their own roles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fieldapp.storage.hub_intake import submit_bundle, with_login
from tests.support.pg_city import City, device_login, enrol
from tests.support.sync import World

pytestmark = pytest.mark.postgres


def test_import_tab_adds_uploads_and_lists_rejections(qtbot, city: City, world: World,
                                                      tmp_path: Path) -> None:
    from fieldapp.ui.supervisor.import_view import ImportTab

    enrol(city, world, "a", tmp_path / "usb")
    role, password = device_login(world.devices["a"])
    device_url = with_login(city.device_url, role, password)
    submit_bundle(device_url, world.bundles["a"].read_bytes())
    submit_bundle(device_url, b"PK\x03\x04 not a bundle")
    with city.supervisor() as desk:
        assert desk.central
        tab = ImportTab(desk)
        qtbot.addWidget(tab)
        panel = tab.intake
        assert panel is not None and panel.table.rowCount() == 2
        assert "2 upload(s) waiting" in panel.message.text()
        with qtbot.waitSignal(tab.imported, timeout=30_000):
            qtbot.mouseClick(panel.process_button, qtbot_left())
        qtbot.waitUntil(lambda: panel.task is None, timeout=30_000)
        statuses = sorted(panel.table.item(r, 2).text() for r in range(2))
        assert statuses == ["Added", "Rejected"]
        assert "1 upload(s) added, 1 rejected" in panel.message.text()
        assert any(panel.table.item(r, 3).text() for r in range(2))  # the reason is shown
        assert desk.dashboard().total == 3
        assert not panel.process_button.isEnabled()  # nothing left to add


def qtbot_left():  # type: ignore[no-untyped-def]
    from fieldapp.ui.qt import Qt

    return Qt.MouseButton.LeftButton
