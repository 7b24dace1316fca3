"""The enumerator's Sync button with the office database as its target: both ways, as the
command line does (push into the intake, then this device's return rows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp.ui.sync_action import sync_now
from tests.support.devices import open_session
from tests.support.pg_city import City, enrol
from tests.support.sync import World

pytestmark = pytest.mark.postgres


def test_sync_button_brings_decisions_back_from_the_database(city: City, world: World,
                                                             tmp_path: Path) -> None:
    enrol(city, world, "a", tmp_path / "usb")
    data = world.devices["a"]
    with open_session(data) as session:
        assert "3 interviews sent to the hub database" in sync_now(session, city.device_url)
    with city.supervisor() as hub:
        hub.use_key(world.project.private_key)
        assert len(hub.process_intake().applied) == 1
        hub.decide(world.ids["a"][0], "approve")
        hub.write_return_rows()
    with open_session(data) as session:
        summary = sync_now(session, city.device_url)
        assert "1 approved" in summary
        assert session.store.interview(world.ids["a"][0]).status == "approved"
        assert session.store.sealed_index(only_unacked=True) == []
