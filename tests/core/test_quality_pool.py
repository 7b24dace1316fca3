"""Quality indicators measured by helper processes (large hubs) are exactly what one process
measures; a copy that cannot be opened is counted, never fatal; a cancelled run is not
reused; changing the thresholds and back measures again. Real hub, real sealed interviews."""

from __future__ import annotations

import sqlite3
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.quality import Thresholds
from fieldapp.quality_times import outlier_counts
from fieldapp.supervisor import SupervisorSession
from tests.support.devices import KEY_PASSPHRASE
from tests.support.sync import World, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("qpool"), per_device=3)


@pytest.fixture()
def hub(world: World, tmp_path: Path) -> Path:
    with SupervisorSession.open(tmp_path / "hub", create=True) as desk:
        for name in ("a", "b"):
            desk.import_bundle(world.bundles[name], trust=True)
    return tmp_path / "hub"


def _measure(hub: Path, world: World, monkeypatch: pytest.MonkeyPatch, workers: int,
             **kwargs: object):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIELDAPP_EXPORT_WORKERS", str(workers))
    with SupervisorSession.open(hub) as desk:
        desk.unlock(world.project.private, KEY_PASSPHRASE)
        return desk.quality(**kwargs)  # type: ignore[arg-type]


def _tamper_one(hub: Path) -> None:
    with sqlite3.connect(hub / "hub.db") as conn:
        record_id, blob = conn.execute(
            "SELECT id, sealed_blob FROM hub_records ORDER BY interview_id LIMIT 1").fetchone()
        damaged = bytes(blob[:-5]) + bytes([blob[-5] ^ 1]) + bytes(blob[-4:])
        conn.execute("UPDATE hub_records SET sealed_blob = ? WHERE id = ?",
                     (damaged, record_id))


def test_helpers_measure_exactly_what_one_process_measures(
        hub: Path, world: World, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    from fieldapp.quality_cache import FILE

    here = _measure(hub, world, monkeypatch, 0)
    (hub / FILE).unlink()  # measure again, not from what the first session kept
    capfd.readouterr()
    monkeypatch.setenv("FIELDAPP_WORKER_STATS", "1")  # helpers print their peak at exit
    helped = _measure(hub, world, monkeypatch, 2)
    assert capfd.readouterr().err.count("worker VmHWM") == 2  # two helpers really ran
    assert len(here.interviews) == 6 and all(q.items >= 3 for q in here.interviews)
    assert helped.interviews == here.interviews  # every field, item times and flags included
    assert helped.enumerators == here.enumerators


@pytest.mark.parametrize("workers", [0, 2])
def test_a_copy_that_cannot_be_opened_is_counted_not_fatal(
        hub: Path, world: World, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    _tamper_one(hub)
    report = _measure(hub, world, monkeypatch, workers)
    assert report.unreadable == 1 and len(report.interviews) == 5
    assert "1 interview(s) could not be opened" in report.note()


def test_cli_says_how_many_were_left_out(hub: Path, world: World,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from fieldapp.cli import main

    _tamper_one(hub)
    monkeypatch.setenv("FIELDAPP_KEY_PASSPHRASE", KEY_PASSPHRASE)
    monkeypatch.setenv("FIELDAPP_EXPORT_WORKERS", "0")
    assert main(["quality", "--hub", str(hub), "--key", str(world.project.private)]) == 0
    captured = capsys.readouterr()
    assert "could not be opened" in captured.err and "of 5" in captured.out


def test_cancelled_run_is_not_reused(hub: Path, world: World,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDAPP_EXPORT_WORKERS", "0")
    with SupervisorSession.open(hub) as desk:
        desk.unlock(world.project.private, KEY_PASSPHRASE)
        stopped = desk.quality(cancelled=lambda: True)
        assert stopped.interviews == []
        full = desk.quality()
        assert len(full.interviews) == 6


def test_other_thresholds_and_back_measure_again(hub: Path, world: World,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _measure(hub, world, monkeypatch, 0)
    with SupervisorSession.open(hub) as desk:
        desk.unlock(world.project.private, KEY_PASSPHRASE)
        # every gap counts as a pause: no interviewing time at all
        strict = desk.quality(thresholds=Thresholds(gap_s=0.0))
        assert all(q.net_s == 0 for q in strict.interviews)
        back = desk.quality()
        assert [q.net_s for q in back.interviews] == [q.net_s for q in fresh.interviews]
        assert any(q.net_s > 0 for q in back.interviews)


def _outliers_by_definition(items: list[dict[str, float]], min_interviews: int,
                            z: float) -> list[int]:
    """docs/quality.md's time-outlier count, written out with statistics.median."""
    import statistics

    per: dict[str, list[float]] = {}
    for times in items:
        for name, seconds in times.items():
            per.setdefault(name, []).append(seconds)
    spread = {}
    for name, values in per.items():
        if len(values) >= min_interviews:
            middle = statistics.median(values)
            spread[name] = (middle, statistics.median(abs(x - middle) for x in values))
    return [sum(1 for n, s in times.items() if n in spread and spread[n][1] > 0
                and abs(s - spread[n][0]) / (1.4826 * spread[n][1]) > z) for times in items]


@given(st.lists(st.dictionaries(st.sampled_from(["A", "B", "C", "D", "E"]),
                                st.one_of(st.floats(0, 600, allow_nan=False),
                                          st.sampled_from([1.0, 2.0, 5.0])), max_size=5),
                max_size=40),
       st.integers(0, 6), st.sampled_from([0.5, 1.0, 3.5]))
@settings(max_examples=300, deadline=None)
def test_outlier_matrix_matches_the_definition(items: list[dict[str, float]],
                                               min_interviews: int, z: float) -> None:
    names = [tuple(t) for t in items]
    seconds = [array("d", t.values()).tobytes() for t in items]
    assert outlier_counts(names, seconds, min_interviews, z) == \
        _outliers_by_definition(items, min_interviews, z)


def test_typed_and_general_decoding_measure_alike(hub: Path, world: World) -> None:
    import json

    from fieldapp.quality import FormFacts
    from fieldapp.quality_measure import measure, measure_json

    with SupervisorSession.open(hub) as desk:
        desk.unlock(world.project.private, KEY_PASSPHRASE)
        copy, payload = desk.open_interview(world.ids["a"][0])
        facts = FormFacts.of(desk.questionnaire(copy.form_id, copy.form_version), Thresholds())
    typed = measure_json(json.dumps(payload).encode(), facts)
    assert typed == measure(payload, facts) and typed.items >= 3 and typed.net_s > 0
    # odd events (not objects, no clock) are skipped on both paths, with the same result
    odd = {**payload, "paradata": [5, "x", None, {"kind": "answer", "question": "Z"},
                                   *payload["paradata"]]}
    assert measure_json(json.dumps(odd).encode(), facts) == measure(odd, facts) == typed
    with pytest.raises(ValueError):
        measure_json(b"\x00not json", facts)


def test_progress_by_district_reuses_what_quality_read(hub: Path, world: World,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldapp.storage.hub_store import HubStore
    from fieldapp.sync.progress import count_hub

    _tamper_one(hub)
    monkeypatch.setenv("FIELDAPP_EXPORT_WORKERS", "2")
    with SupervisorSession.open(hub) as desk:
        desk.unlock(world.project.private, KEY_PASSPHRASE)
        counts = desk.progress()  # measures every copy (helpers), then counts
        key = desk._key
    with HubStore.open(hub) as store:
        direct = count_hub(store, key)  # decrypts each copy itself
    assert counts.by["district"] == direct.by["district"] != {}
    assert counts.by["dong"] == direct.by["dong"]
    assert counts.unreadable == direct.unreadable == 1
    assert sum(sum(c.values()) for c in counts.by["district"].values()) == 6


def _destroy_blobs(hub: Path) -> None:
    with sqlite3.connect(hub / "hub.db") as conn:
        conn.execute("UPDATE hub_records SET sealed_blob = x'00'")


def test_indicators_are_kept_sealed_between_sessions(hub: Path, world: World,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldapp.quality_cache import FILE

    first = _measure(hub, world, monkeypatch, 0)
    kept = (hub / FILE).read_bytes()
    assert kept and not any(q.interview_id.encode() in kept or b"E01" in kept
                            for q in first.interviews)  # sealed: nothing readable
    _destroy_blobs(hub)  # a later session that opened any seal would find nothing
    again = _measure(hub, world, monkeypatch, 0)
    assert again.unreadable == 0 and again.interviews == first.interviews
    # other thresholds: the kept indicators do not fit, every seal is opened (and fails)
    other = _measure(hub, world, monkeypatch, 0, thresholds=Thresholds(gap_s=60.0))
    assert other.unreadable == 6


def test_a_damaged_cache_is_measured_again(hub: Path, world: World,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldapp.quality_cache import FILE

    first = _measure(hub, world, monkeypatch, 0)
    path = hub / FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    again = _measure(hub, world, monkeypatch, 0)
    assert again.interviews == first.interviews  # measured from the seals again
    assert path.read_bytes() != bytes(data)  # and kept anew


def test_kept_indicators_are_written_whole_before_the_key_is_forgotten(
        hub: Path, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sealed file is written in the background after the report is returned; locking
    (or closing) waits for it, so what the next session reads is complete."""
    from fieldapp.quality_cache import FILE, load

    monkeypatch.setenv("FIELDAPP_EXPORT_WORKERS", "0")
    desk = SupervisorSession.open(hub)
    try:
        desk.unlock(world.project.private, KEY_PASSPHRASE)
        key = desk._need_key()
        report = desk.quality()
        desk.lock()  # waits for the writer
        kept = load(hub, key, Thresholds())
        assert sorted(q.interview_id for q in kept.values()) == sorted(
            q.interview_id for q in report.interviews)
        assert (hub / FILE).stat().st_mode & 0o777 == 0o600
    finally:
        desk.close()
