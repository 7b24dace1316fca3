"""The supervisor desk's core: bundle preview, one-by-one import, SQL dashboard, targets and
quality indicators, on a real SQLite hub with bundles from real devices."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp.quality import (
    EDITS_AFTER_SEND_BACK,
    LANGUAGE_SWITCHES,
    STRAIGHT_LINING,
    TOO_FAST,
    FormFacts,
    Thresholds,
    batteries,
    report,
    robust_z,
)
from fieldapp.quality_measure import measure
from fieldapp.questionnaire import load_questionnaire
from fieldapp.supervisor import DashboardFilter, SupervisorSession
from tests.support.devices import KEY_PASSPHRASE, QUESTIONNAIRES
from tests.support.sync import World, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("desk"), per_device=2)


def test_preview_then_import_one_by_one(world: World, tmp_path: Path) -> None:
    with SupervisorSession.open(tmp_path / "hub", create=True) as desk:
        folder = world.bundles["a"].parent
        paths = desk.bundle_paths(folder)
        first = desk.preview_bundle(paths[0])
        assert (first.verdict, first.enumerator, first.city, first.interviews) == (
            "untrusted", "E01", "seoul", 2)
        assert first.fingerprint
        assert desk.interviews() == []  # preview writes nothing
        result = desk.import_bundle(paths[0], trust=True)
        assert (result.new, result.trusted_now) == (2, True)
        assert desk.preview_bundle(paths[0]).verdict == "already"
        damaged = tmp_path / "damaged.fieldsync"
        damaged.write_bytes(paths[0].read_bytes()[:-40])
        bad = desk.preview_bundle(damaged)
        assert bad.verdict == "rejected" and bad.reason


def test_dashboard_counts_in_sql_and_targets(world: World, tmp_path: Path) -> None:
    with SupervisorSession.open(tmp_path / "hub", create=True) as desk:
        for name in ("a", "b"):
            desk.import_bundle(world.bundles[name], trust=True)
        desk.decide(world.ids["a"][0], "approve")
        counts = desk.dashboard()
        assert counts.total == 4
        assert counts.by_value("city") == {"seoul": {"approved": 1, "finalised": 1},
                                           "tokyo": {"finalised": 2}}
        only = desk.dashboard(DashboardFilter(city="seoul", status="approved"))
        assert only.total == 1 and only.by_value("enumerator") == {"E01": {"approved": 1}}
        desk.decide(world.ids["b"][0], "send_back", "check")  # the next count sees it
        assert desk.dashboard(DashboardFilter(status="sent_back")).by_value("city") == {
            "tokyo": {"sent_back": 1}}
        assert desk.dashboard(DashboardFilter(day_from="2999-01-01")).total == 0
        assert desk.dashboard_choices() == {"city": ["seoul", "tokyo"],
                                            "enumerator": ["E01", "E02"]}
        assert desk.set_targets({"seoul_mapo": 30, "gone": 0}) == {"seoul_mapo": 30}
    with SupervisorSession.open(tmp_path / "hub") as desk:
        assert desk.targets() == {"seoul_mapo": 30}
        from fieldapp.storage.hub_dashboard import cube, cube_query

        # SQLite runs the cube with a fixed join order: the same rows as the Core query
        core = sorted(tuple(str(v) for v in row) for row in desk.hub._rows(cube_query()))
        assert sorted(tuple(str(v) for v in row) for row in cube(desk.hub)) == core
        assert len(core) >= 3


def test_quality_needs_key_and_is_cached(world: World, tmp_path: Path) -> None:
    with SupervisorSession.open(tmp_path / "hub", create=True) as desk:
        desk.import_bundle(world.bundles["a"], trust=True)
        with pytest.raises(Exception, match="unlock"):
            desk.quality()
        desk.unlock(world.project.private, KEY_PASSPHRASE)
        first = desk.quality()
        assert {q.interview_id for q in first.interviews} == set(world.ids["a"])
        assert all(q.items >= 3 and q.net_s >= 0 for q in first.interviews)
        assert [e.enumerator for e in first.enumerators] == ["E01"]
        again = desk.quality()
        assert again.interviews[0] is first.interviews[0]  # measured once
        desk.lock()
        with pytest.raises(Exception, match="unlock"):
            desk.quality()


def _payload(iid: str, answers: dict[str, object], gaps: list[float],
             extra: list[dict[str, object]] = ()) -> dict[str, object]:  # type: ignore[assignment]
    mono, events = 0, []
    for index, gap in enumerate(gaps):
        mono += int(gap * 1e9)
        events.append({"kind": "answer", "question": f"q{index}", "v": 1, "mono": mono})
    return {"interview_id": iid, "form_id": "f", "form_version": "1", "answers": answers,
            "paradata": [*events, *extra]}


def test_indicators_by_definition() -> None:
    form = load_questionnaire(QUESTIONNAIRES / "three_city_2012.xlsx")
    facts = FormFacts.of(form, Thresholds())
    assert facts.batteries and all(len(b.questions) >= 4 for b in facts.batteries)
    assert batteries(form) == list(facts.batteries)
    battery = facts.batteries[0]
    same = dict.fromkeys(battery.questions, "2")
    varied = {q: str(1 + i % 3) for i, q in enumerate(battery.questions)}
    slow = [measure(_payload(f"s{i}", varied, [30.0] * 10), facts, enumerator="E1")
            for i in range(5)]
    fast = measure(_payload("fast", same, [2.0, 3.0, 25 * 60.0, 1.0]), facts, enumerator="E2",
                   thresholds=Thresholds())
    assert fast.net_s == pytest.approx(4.0)  # from the first answer; the 25-minute gap is a pause
    assert fast.gross_s == pytest.approx(4.0 + 25 * 60)
    assert (fast.batteries, fast.straight) == (1, 1)
    switches = [{"kind": "language", "question": "", "from": a, "to": b}
                for a, b in ((None, "ko"), ("ko", "en"), ("en", "ko"), ("ko", "ja"))]
    edited = measure(_payload("edit", varied, [30.0] * 10, [
        *switches, {"kind": "status", "question": ""},
        {"kind": "answer", "question": "q1", "v": 2, "mono": 5}]), facts)
    assert (edited.switches, edited.edits_after_send_back) == (3, 1)
    result = report([*slow, fast, edited])
    flags = {q.interview_id: q.flags for q in result.interviews}
    assert TOO_FAST in flags["fast"] and STRAIGHT_LINING in flags["fast"]
    assert {LANGUAGE_SWITCHES, EDITS_AFTER_SEND_BACK} <= set(flags["edit"])
    assert flags["s0"] == []
    assert robust_z(10, [1, 2, 3, 4, 5]) == pytest.approx((10 - 3) / 1.4826)


def test_cli_bundles_targets_quality(world: World, tmp_path: Path, capsys: pytest.CaptureFixture,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldapp.cli import main

    hub = str(tmp_path / "hub")
    SupervisorSession.open(hub, create=True).close()
    assert main(["bundles", "--hub", hub, str(world.bundles["a"].parent)]) == 0
    out = capsys.readouterr().out
    assert "Unknown device" in out and "E01 (seoul)" in out
    assert main(["sync", "pull", "--hub", hub, "--from", str(world.bundles["a"]),
                 "--trust"]) == 0
    assert main(["targets", "--hub", hub, "seoul_mapo=25"]) == 0
    assert "seoul_mapo  25" in capsys.readouterr().out
    assert main(["targets", "--hub", hub, "mapo:25"]) == 1
    assert "DISTRICT=NUMBER" in capsys.readouterr().err
    monkeypatch.setenv("FIELDAPP_KEY_PASSPHRASE", KEY_PASSPHRASE)
    assert main(["quality", "--hub", hub, "--key", str(world.project.private), "--all"]) == 0
    out = capsys.readouterr().out
    assert "E01" in out and all(iid in out for iid in world.ids["a"])
