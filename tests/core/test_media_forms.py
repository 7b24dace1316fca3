"""Forms with a media folder and the new question types, end to end: load, install (as a
package), interview (engine and ``record``), seal, sync both ways, export with attachments."""

from __future__ import annotations

import csv
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

from fieldapp.attachments import AttachmentError
from fieldapp.errors import FormError
from fieldapp.export.run import ExportOptions, export
from fieldapp.export.source import DeviceSource
from fieldapp.interview.engine import Interview
from fieldapp.interview.errors import InvalidAnswer
from fieldapp.questionnaire import load_questionnaire, load_questionnaire_bytes
from fieldapp.questionnaire.sources import is_package
from fieldapp.recording import open_sealed
from tests.support.cli import run, write_answers
from tests.support.devices import make_device, make_project, open_session
from tests.support.formtools import md_to_xlsx

FORM = """
| survey |
| | type | name | label | image | parameters | appearance | calculation | required | body::accept | bind::jr:requiredMsg |
| | select_one_from_file villages.csv | village | Village | | | | | yes | | Choose the village |
| | text | hh | Household id | | | | | | | |
| | calculate | head | | | | | pulldata('households', 'head', 'hh_id', ${hh}) | | | |
| | select_one hhsearch | pick | Pick the household | | | search('households', 'matches', 'village', ${village}) | | | | |
| | image | photo | Photo of the house | house.png | | | | | | |
| | file | consent | Signed consent form | | | | | | .pdf | |
| | range | rate | Rate the street | | start=0 end=10 step=2 | | | | | |
| | rank rk | order | Order the problems | | | | | | | |
| | geoshape | plot | Plot outline | | | | | | | |
| | calculate | plot_m2 | | | | | round(area(${plot})) | | | |
| | acknowledge | ok | Consent read out | | | | | | | |
| | calculate | first_label | | | | | instance('rk')/root/item[name = 'b']/label | | | |
| choices |
| | list_name | name | label |
| | hhsearch | hh_id | head |
| | rk | a | Noise |
| | rk | b | Traffic |
| | rk | c | Crime |
| settings |
| | form_id | version | instance_name |
| | media_test | 3 | concat(${village}, '-', ${hh}) |
"""
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da63f8cfc0f01f0005000202a8d5d8e70000000049454e44ae426082")
SECRET = b"%PDF-1.4 consent of respondent KIM-7731 (marker)"


def write_form(folder: Path, *, with_households: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = md_to_xlsx(FORM, folder / "media_test.xlsx")
    media = folder / "media_test-media"
    media.mkdir(exist_ok=True)
    (media / "house.png").write_bytes(PNG)
    (media / "villages.csv").write_text("name,label,district\nv1,Seongsan,mapo\n"
                                        "v2,Mangwon,mapo\n", encoding="utf-8")
    if with_households:
        (media / "households.csv").write_text(
            "hh_id,head,village\nh1,Kim Minsu,v1\nh2,Lee Jiyoung,v2\nh3,Park Sora,v1\n",
            encoding="utf-8")
    return path


def test_form_with_media_folder_loads_with_everything_resolved(tmp_path: Path) -> None:
    form = load_questionnaire(write_form(tmp_path))
    assert form.notices == ()
    assert [c.name for c in form.choices["villages.csv"].choices] == ["v1", "v2"]
    assert form.choices["villages.csv"].get("v1").properties["district"] == "mapo"
    assert dict(form.question("photo").media["image"]) == {"default": "house.png"}
    assert form.question("consent").body["accept"] == ".pdf"
    assert form.question("village").required_message["default"] == "Choose the village"
    assert form.instance_name == "concat(${village}, '-', ${hh})"
    assert form.media_file("house.png") == PNG


def test_engine_answers_every_new_type(tmp_path: Path) -> None:
    engine = Interview(load_questionnaire(write_form(tmp_path)))
    engine.answer("village", "v1")
    engine.answer("hh", "h2")
    assert engine.answers["head"] == "Lee Jiyoung"  # pulldata()
    assert [c.name for c in engine.choices_for("pick")] == ["h1", "h3"]  # search() filter
    assert [c.label["default"] for c in engine.choices_for("pick")] == ["Kim Minsu",
                                                                        "Park Sora"]
    engine.answer("pick", "h3")
    with pytest.raises(InvalidAnswer):
        engine.answer("pick", "h2")  # in another village
    engine.answer("rate", "6")
    assert engine.answers["rate"] == 6
    for bad in ("5", "12", "x"):
        with pytest.raises(InvalidAnswer):
            engine.answer("rate", bad)
    with pytest.raises(InvalidAnswer, match="order"):
        engine.answer("order", ["b", "a"])
    engine.answer("order", "b c a")
    assert engine.answers["order"] == ("b", "c", "a")
    engine.answer("plot", "37.5 127; 37.5 127.001; 37.501 127.001")
    assert engine.answers["plot"].count(";") == 3  # closed
    assert 4700 < engine.answers["plot_m2"] < 5100  # half of 111 m × 88 m
    with pytest.raises(InvalidAnswer, match="latitude"):
        engine.answer("plot", "95 127; 1 1; 2 2")
    engine.answer("ok", True)
    assert engine.answers["ok"] == "OK"
    assert engine.answers["first_label"] == "Traffic"  # instance() over a choice list


def test_install_packs_the_media_folder_and_refuses_missing_data(tmp_path: Path) -> None:
    project = make_project(tmp_path / "keys")
    data = make_device(tmp_path / "dev", project)
    incomplete = write_form(tmp_path / "incomplete", with_households=False)
    form = load_questionnaire(incomplete)  # forms check accepts it, with a note
    assert any("households.csv" in n.message for n in form.notices)
    with open_session(data) as session:
        with pytest.raises(FormError, match=r"'households\.csv', which is not in "
                                            r"media_test-media/"):
            session.install_form(incomplete)
        good = write_form(tmp_path / "good")
        installed = session.install_form(good)
        content = session.store.form_content("media_test", "3")
        assert is_package(content)
        with zipfile.ZipFile(__import__("io").BytesIO(content)) as archive:
            assert sorted(archive.namelist()) == [
                "fieldapp-form.json", "form/media_test.xlsx", "media/house.png",
                "media/households.csv", "media/villages.csv"]
        again = session.install_form(good)  # the same form and media again: idempotent
        assert again.version == installed.version
        reloaded = load_questionnaire_bytes(content, "media_test.xlsx")
        assert reloaded.media_file("house.png") == PNG
        assert reloaded.choices["villages.csv"] == installed.choices["villages.csv"]


@pytest.fixture
def recorded(tmp_path: Path) -> dict:
    """A finalised interview with an attached file, on a real device."""
    project = make_project(tmp_path / "keys")
    data = make_device(tmp_path / "dev", project)
    consent = tmp_path / "signed consent.pdf"
    consent.write_bytes(SECRET)
    with open_session(data) as session:
        form = session.install_form(write_form(tmp_path / "form"))
        recording = session.start_interview(form)
        for key, value in (("village", "v1"), ("hh", "h1"), ("pick", "h1"),
                           ("photo", None), ("rate", 4), ("order", ["a", "b", "c"]),
                           ("plot", "37.5 127; 37.5 127.001; 37.501 127.001"), ("ok", "OK")):
            recording.answer(key, value)
        with pytest.raises(AttachmentError, match="does not take a file of this type"):
            recording.answer("consent", tmp_path / "form" / "media_test-media" / "house.png")
        changes = recording.answer("consent", consent)
        name = changes["consent"]
        assert name.startswith("consent-") and name.endswith(".pdf")
        assert recording.attachment_bytes(name) == SECRET
        db = (data / "fieldapp.db").read_bytes() + b"".join(
            p.read_bytes() for p in data.glob("fieldapp.db-*"))
        assert SECRET not in db  # encrypted like every answer
        iid = recording.finalise()
        sealed = session.store.sealed_records(iid)[0]
    payload = open_sealed(project.private_key, sealed, "media_test", "3")
    return {"project": project, "data": data, "iid": iid, "name": name, "payload": payload,
            "tmp": tmp_path}


def test_instance_name_labels_the_case_on_home_encrypted(recorded: dict) -> None:
    from fieldapp.dashboard import home_summary

    with open_session(recorded["data"]) as session:
        (item,) = home_summary(session).finalised
        assert item.title == "v1-h1 · media_test"
    stored = (recorded["data"] / "fieldapp.db").read_bytes()
    assert b"v1-h1" not in stored


def test_attachment_is_sealed_once_and_kept_out_of_the_paradata(recorded: dict) -> None:
    payload = recorded["payload"]
    name = recorded["name"]
    assert payload["answers"]["consent"] == name
    assert list(payload["attachments"]) == [name]
    assert list(payload)[-1] == "paradata"  # export parses everything before it
    events = [e for e in payload["paradata"] if e["kind"] == "attachment"]
    assert events and all("data" not in e for e in events)
    assert events[0]["sha256"] == __import__("hashlib").sha256(SECRET).hexdigest()


def test_export_writes_attachments_as_listed_files(recorded: dict) -> None:
    out = recorded["tmp"] / "export" / "media.xlsx"
    out.parent.mkdir()
    with open_session(recorded["data"]) as session:
        result = export(DeviceSource(session.store), recorded["project"].private_key,
                        ExportOptions(out=out))
    folder = out.with_name("media_attachments")
    assert folder in result.paths
    stored = folder / recorded["iid"] / recorded["name"]
    assert stored.read_bytes() == SECRET
    with open(folder / "index.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["question"], r["file"], r["bytes"]) for r in rows] == [
        ("consent", recorded["name"], str(len(SECRET)))]
    workbook = openpyxl.load_workbook(out, read_only=True)
    data = list(workbook["data"].iter_rows(values_only=True))
    column = data[0].index("consent")
    assert data[1][column] == recorded["name"]  # the name, never the bytes
    assert data[0][data[0].index("order")] == "order"
    assert data[1][data[0].index("order")] == "a b c"
    assert data[1][data[0].index("rate")] == 4
    sheet = list(workbook["attachments"].iter_rows(values_only=True))
    assert sheet[1][:3] == (recorded["iid"], "consent", recorded["name"])
    workbook.close()
    assert SECRET not in out.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "sav"])
def test_other_formats_list_the_same_files(recorded: dict, fmt: str) -> None:
    out = recorded["tmp"] / fmt / f"media.{fmt}"
    out.parent.mkdir()
    with open_session(recorded["data"]) as session:
        result = export(DeviceSource(session.store), recorded["project"].private_key,
                        ExportOptions(out=out, fmt=fmt))
    folder = out.with_name("media_attachments")
    assert folder in result.paths and (folder / "index.csv").exists()
    assert (folder / recorded["iid"] / recorded["name"]).read_bytes() == SECRET
    assert any("1 attached file(s) are in media_attachments/" in w
               for w in result.info.warnings)


def test_record_command_attaches_files_named_in_answers(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    assert run("keys", "create", "--out", str(keys)).returncode == 0
    data = tmp_path / "dev"
    assert run("device", "init", "--data", str(data), "--project-key",
               str(keys / "project.pub"), "--enumerator", "E09").returncode == 0
    form = write_form(tmp_path / "form")
    files = tmp_path / "answers"
    files.mkdir()
    (files / "consent.pdf").write_bytes(SECRET)
    answers = write_answers(files, {"village": "v2", "hh": "h2", "consent": "consent.pdf",
                                    "rate": 10, "order": ["c", "b", "a"], "ok": "OK",
                                    "plot": "37.5 127; 37.5 127.001; 37.501 127.001"},
                            language="default")
    result = run("record", "--data", str(data), "--form", str(form), "--answers",
                 str(answers), "--finalize")
    assert result.returncode == 0, result.stderr
    listing = run("list", "--data", str(data)).stdout
    assert f"{result.stdout.strip()}  media_test v3  finalised" in listing
    assert listing.rstrip().endswith("v2-h2")  # the case label (instance_name)
    missing = write_answers(files, {"village": "v2", "consent": "nope.pdf"},
                            language="default")
    result = run("record", "--data", str(data), "--form", str(form), "--answers", str(missing))
    assert result.returncode != 0 and "nope.pdf: file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_media_travel_to_devices_and_attachments_come_back_when_sent_back(
        recorded: dict, tmp_path: Path) -> None:
    from fieldapp.storage.hub_store import HubStore
    from fieldapp.sync.decisions import decide
    from fieldapp.sync.device import push_to_folder
    from fieldapp.sync.device_pull import pull_returns
    from fieldapp.sync.hub_import import import_bundle
    from fieldapp.sync.returns import install_hub_form, write_return_bundles

    project, data, iid, name = (recorded[k] for k in ("project", "data", "iid", "name"))
    outbox, returns = tmp_path / "out", tmp_path / "returns"
    outbox.mkdir()
    returns.mkdir()
    other = make_device(tmp_path / "other", project, enumerator="E02")
    with open_session(data) as session:
        pushed = push_to_folder(session, outbox)
    with open_session(other) as session:  # the second laptop has the old version only
        session.install_form(write_form(tmp_path / "v3"))
        sent = push_to_folder(session, outbox)
    v4_folder = tmp_path / "v4"
    v4 = write_form(v4_folder)
    book = openpyxl.load_workbook(v4)
    book["settings"]["B2"] = 4
    book.save(v4)
    (v4_folder / "media_test-media" / "house.png").write_bytes(PNG + b"v4")
    with HubStore.open(tmp_path / "hub", create=True) as hub:
        import_bundle(hub, pushed.path, trust=True)
        if sent.path is not None:
            import_bundle(hub, sent.path, trust=True)
        forms = [install_hub_form(hub, v4)]
        decide(hub, iid, "send_back", "photo of the consent is unreadable")
        write_return_bundles(hub, project.private_key, returns, forms=forms)
    with open_session(data) as session:
        applied, errors = pull_returns(session, returns)
        assert errors == [] and sum(a.forms for a in applied) == 1
        newest = session.form("media_test")
        assert newest.version == "4" and newest.media_file("house.png") == PNG + b"v4"
        draft = session.resume(iid)
        assert draft.engine.answers["consent"] == name
        assert draft.attachment_bytes(name) == SECRET  # came back with the decision
        draft.finalise()
        payload = open_sealed(project.private_key, session.store.sealed_records(iid)[-1],
                              "media_test", "3")
        assert payload["attachments"] == recorded["payload"]["attachments"]


def test_answers_never_leave_a_plain_attachment_copy_on_disk(recorded: dict) -> None:
    leftovers = [p for p in recorded["data"].rglob("*") if p.is_file()
                 and SECRET in p.read_bytes()]
    assert leftovers == []
    with sqlite3.connect(recorded["data"] / "fieldapp.db") as conn:
        kinds = {k for (k,) in conn.execute("SELECT DISTINCT kind FROM events")}
    assert kinds == set()  # a finalised interview keeps only its sealed copy



def test_export_never_writes_outside_its_attachments_folder(tmp_path: Path) -> None:
    from fieldapp.export.attachments_out import AttachmentsOut

    files = AttachmentsOut(tmp_path / "out.xlsx")
    files.add("../../evil", [("q", "../../../escape.txt", b"x"), ("r", ".hidden", b"y"),
                             ("s", "ok-1.jpg", b"z")])
    folder = files.commit()
    assert folder == tmp_path / "out_attachments"
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
                     if p.is_file())
    assert all(p.startswith("out_attachments/") for p in written)
    assert not any(".." in p or "/." in p for p in written)
    assert len(written) == 4  # three files and index.csv
    assert not list(tmp_path.glob(".out_attachments*"))  # no temporary folder left


def test_attached_files_are_not_readable_on_disk_until_the_export_commits(
        tmp_path: Path) -> None:
    # a kill -9 while an export runs must leave no readable answer: attached files wait,
    # encrypted, in an anonymous scratch file until the export is committed
    from fieldapp.export.attachments_out import AttachmentsOut

    big = SECRET + bytes(range(256)) * 9000  # spans scratch chunks
    files = AttachmentsOut(tmp_path / "out.xlsx")
    files.add("i1", [("consent", "consent.pdf", SECRET), ("photo", "house.png", big)])
    files.add("i2", [("consent", "consent.pdf", b"another " + SECRET)])
    on_disk = [p for p in tmp_path.rglob("*") if p.is_file() and SECRET in p.read_bytes()]
    assert on_disk == [] and list(tmp_path.iterdir()) == []
    folder = files.commit()
    assert folder is not None
    assert (folder / "i1" / "consent.pdf").read_bytes() == SECRET
    assert (folder / "i1" / "house.png").read_bytes() == big
    assert (folder / "i2" / "consent.pdf").read_bytes() == b"another " + SECRET
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out_attachments"]


def test_the_next_export_removes_attachment_folders_a_crash_left(tmp_path: Path) -> None:
    # a crash while the attached files were written out, or while the previous folder was
    # swapped out, leaves hidden folders; the next export into that folder removes them
    from fieldapp.export.atomic import AtomicFile

    for name in (".out_attachments.0123456789abcdef0123456789abcdef.tmp",
                 ".out_attachments.fedcba9876543210fedcba9876543210.old"):
        (tmp_path / name / "i1").mkdir(parents=True)
        (tmp_path / name / "i1" / "consent.pdf").write_bytes(SECRET)
    (tmp_path / "mine.old").mkdir()  # not ours: left alone
    AtomicFile(tmp_path / "city.xlsx").abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.old"]
