"""History lines and conflict reasons are stored language-neutral and read in the reader's
language; text written by older versions reads as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fieldapp import i18n
from fieldapp.supervisor import SupervisorSession
from tests.support.devices import KEY_PASSPHRASE
from tests.support.sync import World, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("notes"), per_device=1)


def test_history_reads_in_the_current_language(world: World, tmp_path: Path) -> None:
    iid = world.ids["a"][0]
    with SupervisorSession.open(tmp_path / "hub", create=True) as desk:
        desk.import_bundle(world.bundles["a"], trust=True)
        desk.unlock(world.project.private, KEY_PASSPHRASE)
        desk.decide(iid, "send_back", "age looks wrong")
        (tmp_path / "out").mkdir()
        desk.write_returns(tmp_path / "out")
        english = [h.detail for h in desk.history(iid)]
        i18n.setup("ko")
        korean = [h.detail for h in desk.history(iid)]
    assert english[0].startswith("from device ") and "bundle" in english[0]
    assert english[1] == "with a comment"
    assert english[2].startswith("send-back sent in ")
    assert korean[0].startswith("기기 ") and "번들" in korean[0]
    assert korean[1] == "코멘트 포함" and "반송을" in korean[2]
    with sqlite3.connect(tmp_path / "hub" / "hub.db") as conn:
        raw = [r[0] for r in conn.execute("SELECT detail FROM hub_history ORDER BY id")]
        assert all(r.startswith('{"f":') for r in raw)  # no language in the hub
        assert "age looks wrong" not in " ".join(raw)  # nor the comment
        conn.execute("INSERT INTO hub_history (interview_id, revision, record_id, event, "
                     "detail, at_utc) VALUES (?, 1, NULL, 'received', ?, ?)",
                     (iid, "from an older version", "2026-01-01T00:00:00.000000+00:00"))
    with SupervisorSession.open(tmp_path / "hub") as desk:
        assert desk.history(iid)[-1].detail == "from an older version"

