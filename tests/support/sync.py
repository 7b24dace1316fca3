"""Sync test helpers: a small real questionnaire, recorded interviews, hub snapshots."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from fieldapp.clock import utc_now
from fieldapp.interview.engine import Interview
from fieldapp.recording import RecordingInterview
from fieldapp.session import FieldSession
from fieldapp.storage.hub_store import HUB_FILE
from fieldapp.sync.device import push_to_folder
from tests.support.devices import ROOT, Project, make_device, make_project, open_session
from tests.support.formtools import md_to_xlsx

FORM_MD = """
| survey |
| | type | name | label::English (en) | label::Korean (ko) | required |
| | start | start | | | |
| | end | end | | | |
| | select_one district | district | District | 구 | yes |
| | text | dong | Dong | 동 | |
| | integer | q1 | Trust in neighbours | 이웃 신뢰 | yes |
| | begin repeat | hh | Household | 가구원 | |
| | text | m_name | Name | 이름 | |
| | end repeat | | | | |
| choices |
| | list_name | name | label::English (en) | label::Korean (ko) |
| | district | seoul_mapo | Mapo | 마포구 |
| | district | seoul_jongno | Jongno | 종로구 |
| settings |
| | form_id | version | form_title | default_language |
| | sync_test | {version} | Sync test | English (en) |
"""


def make_form(folder: Path, version: str = "1") -> Path:
    """Write the test questionnaire (version ``version``) as a real .xlsx workbook."""
    folder.mkdir(parents=True, exist_ok=True)
    return md_to_xlsx(FORM_MD.replace("{version}", version), folder / f"sync_test_v{version}.xlsx")


def fill(recording: RecordingInterview, *, district: str = "seoul_mapo", dong: str = "성산1동",
         q1: int = 3, members: tuple[str, ...] = ("김민수",)) -> None:
    """Answer every question of the test form."""
    recording.answer("district", district)
    recording.answer("dong", dong)
    recording.answer("q1", q1)
    for index, name in enumerate(members, start=1):
        recording.add_instance("hh")
        recording.answer(f"m_name[{index}]", name)


def record(session: FieldSession, form_path: Path, *, finalise: bool = True,
           interview_id: str | None = None, **answers: object) -> str:
    """Record one interview of the test form (optionally with a chosen id); return its id."""
    form = session.install_form(form_path)
    if interview_id is None:
        recording = session.start_interview(form, language="ko")
    else:  # the same interview id on another laptop (T22/T23): the real recording code
        stored = session.store.create_interview(
            interview_id=interview_id, form_id=form.form_id, form_version=form.version,
            key_id=session.keys.key_id, created_utc=utc_now())
        recording = RecordingInterview(session, stored, Interview(form, language="ko"))
    fill(recording, **answers)  # type: ignore[arg-type]
    if finalise:
        recording.finalise()
    return recording.interview_id


def hub_snapshot(hub_dir: Path) -> tuple[str, str]:
    """(sha256 of hub.db + any WAL content, canonical SQL dump) of a closed SQLite hub.

    Read from a copy, so taking the snapshot changes nothing. An empty ``-wal`` left when two
    processes close at the same moment holds no data and does not count.
    """
    path, wal = hub_dir / HUB_FILE, hub_dir / f"{HUB_FILE}-wal"
    data = path.read_bytes()
    wal_data = wal.read_bytes() if wal.exists() else b""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / HUB_FILE
        copy.write_bytes(data)
        if wal_data:
            Path(f"{copy}-wal").write_bytes(wal_data)
        conn = sqlite3.connect(copy)
        try:
            dump = "\n".join(conn.iterdump())
        finally:
            conn.close()
    return hashlib.sha256(data + wal_data).hexdigest(), dump


def new_id() -> str:
    """A fresh interview id."""
    return str(uuid.uuid4())


@dataclass
class World:
    """A project, the test form and two devices with sealed interviews and their bundles."""

    root: Path
    project: Project
    form: Path
    devices: dict[str, Path] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)
    bundles: dict[str, Path] = field(default_factory=dict)
    registrations: dict[str, Path] = field(default_factory=dict)


DEVICES = (("a", "E01", "seoul", "seoul_mapo"), ("b", "E02", "tokyo", "seoul_jongno"))


def build_world(root: Path, per_device: int = 3) -> World:
    """Two devices (E01 Seoul, E02 Tokyo), each with ``per_device`` finalised interviews,
    a registration-only bundle and a bundle of its interviews."""
    world = World(root, make_project(root / "keys"), make_form(root / "forms"))
    for name, enumerator, city, district in DEVICES:
        data = make_device(root / f"dev_{name}", world.project, enumerator=enumerator,
                           city=city)
        world.devices[name] = data
        for box in (root / f"reg_{name}", root / f"out_{name}"):
            box.mkdir()
        with open_session(data) as session:
            world.registrations[name] = push_to_folder(session, root / f"reg_{name}",
                                                       register=True).path  # type: ignore[assignment]
            world.ids[name] = [record(session, world.form, q1=i + 1, district=district,
                                      dong=f"{enumerator}-동{i}") for i in range(per_device)]
            world.bundles[name] = push_to_folder(session, root / f"out_{name}").path  # type: ignore[assignment]
    return world


def synthetic_bundle(folder: Path, session: FieldSession, form_path: Path, count: int,
                     dong: str = "성산1동") -> Path:
    """A signed bundle of ``count`` sealed interviews (real sealing, synthetic ~2 KB answers),
    streamed to disk: for tests that need a bundle too big to record interview by interview."""
    import json
    import random

    from fieldapp.atomic import atomic_output
    from fieldapp.crypto.seal import seal
    from fieldapp.formats import sealed_info
    from fieldapp.questionnaire import load_questionnaire
    from fieldapp.sync.device import registration, write_device_bundle

    form = load_questionnaire(form_path)
    rng = random.Random(count)

    def records():  # type: ignore[no-untyped-def]
        for iid in sorted(new_id() for _ in range(count)):  # bundles list records sorted
            answers = {f"Q{i:02d}": rng.randint(1, 4) for i in range(60)}
            answers.update(district="seoul_mapo", dong=dong, q1=rng.randint(1, 5))
            data = json.dumps({"format": 1, "interview_id": iid, "answers": answers,
                               "language": "ko", "repeat_counts": {}}).encode()
            info = sealed_info(interview_id=iid, revision=1, form_id=form.form_id,
                               form_version=form.version)
            yield (iid, 1, form.form_id, form.version, "2026-05-01T01:00:00.000000+00:00",
                   "2026-05-01"), seal(session.project_public_key, data, info)

    target = folder / f"synthetic-{count}.fieldsync"
    with atomic_output(target) as handle:
        write_device_bundle(handle, device=registration(session),
                            signing_key=session.keys.signing_key, records=records(),
                            forms=[(form.form_id, form.version, form.title,
                                    form_path.read_bytes())])
    return target


def race(target: str, bundles: list[Path]) -> list[dict]:
    """Start one child per bundle, all importing at the same moment; return their results."""
    start = time.time() + 1.5  # after every child has imported its modules
    children = [subprocess.Popen([sys.executable, "-m", "tests.support.sync_child", target,
                                  str(b), str(start)], cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for b in bundles]
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def synthetic_hub(root: Path, count: int, **fill: str) -> tuple[Path, Path]:
    """A folder hub holding ``count`` synthetic sealed interviews of one trusted device;
    returns (hub folder, project private key file)."""
    from fieldapp.storage.hub_store import HubStore
    from fieldapp.sync.hub_import import import_files

    project = make_project(root / "keys")
    form = make_form(root / "forms")
    data = make_device(root / "device", project)
    (root / "reg").mkdir()
    with open_session(data) as session:
        session.install_form(form)
        registration = push_to_folder(session, root / "reg", register=True).path
        bundle = synthetic_bundle(root, session, form, count, **fill)
    with HubStore.open(root / "hub", create=True) as opened:
        import_files(opened, registration, trust=True)
        import_files(opened, bundle)
    return root / "hub", project.private
