"""The README's city-office set-up, command by command (``fieldapp`` CLI, in process)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp.cli import main
from tests.support.devices import KEY_PASSPHRASE, PASSPHRASE, open_session
from tests.support.pg_city import close_city, keyring_text, open_city
from tests.support.pgserver import PgServer
from tests.support.sync import build_world

pytestmark = pytest.mark.postgres


def test_city_office_setup_and_online_sync_from_the_command_line(
        pg_server: PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FIELDAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("FIELDAPP_KEY_PASSPHRASE", KEY_PASSPHRASE)

    def run(*args: str) -> str:
        code = main(list(args))
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    city = open_city(pg_server, set_up=lambda url: run("hub", "setup", "--hub", url))
    try:
        world = build_world(tmp_path / "w", per_device=3)
        data, key = world.devices["a"], str(world.project.private)
        hub = city.supervisor_url
        with open_session(data) as session:
            device = session.keyring.device_id
        usb = tmp_path / "usb"
        usb.mkdir()
        run("sync", "pull", "--hub", hub, "--from", str(world.registrations["a"]), "--trust")
        out = run("hub", "add-device", "--hub", hub, "--key", key, device[:8], "--to",
                  str(usb))
        assert city.roles.device_role(device) in out
        assert "stored in the device keyring" in run("sync", "pull", "--data", str(data),
                                                     "--from", str(usb))
        assert "hub_credential" in keyring_text(data)
        assert "intake" in run("sync", "push", "--data", str(data), "--to", city.device_url)
        out = run("hub", "intake", "--hub", hub, "--key", key, "--once")
        assert "1 bundle(s) applied, 0 rejected" in out
        out = run("sync", "pull", "--data", str(data), "--from", city.device_url)
        assert "3 newly acknowledged" in out
        assert "applied" in run("hub", "intake", "--hub", hub, "--list")
        assert "the intake is empty" in run("sync", "pull", "--hub", hub, "--from", hub)
        code = main(["hub", "add-device", "--hub", hub, "--key", key, "ffffffff", "--to",
                     str(usb)])
        assert code == 1 and "not exactly one trusted device" in capsys.readouterr().err
    finally:
        close_city(city)
