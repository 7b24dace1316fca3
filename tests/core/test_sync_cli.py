"""The sync, review, conflicts and status commands as a supervisor and an enumerator run them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.devices import ROOT
from tests.support.sync import make_form

PASS = "device passphrase one"
KEYPASS = "project key passphrase"
ANSWERS = {"district": "seoul_mapo", "dong": "성산1동", "q1": 3, "hh": [{"m_name": "김"}]}


def run(*args: str | Path, lang: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "FIELDAPP_PASSPHRASE": PASS, "FIELDAPP_KEY_PASSPHRASE": KEYPASS,
           "FIELDAPP_KDF": "floor"}
    if lang:  # the user's locale, as a terminal sets it
        env.update(LANG=lang, LC_ALL="", LC_MESSAGES="", LANGUAGE="")
    return subprocess.run([sys.executable, "-m", "fieldapp", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def ok(*args: str | Path, lang: str = "") -> str:
    result = run(*args, lang=lang)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def fails(*args: str | Path) -> str:
    result = run(*args)
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sync-cli")
    form = make_form(root / "forms")
    ok("keys", "create", "--out", root / "keys")
    ok("device", "init", "--data", root / "dev", "--project-key", root / "keys" / "project.pub",
       "--enumerator", "E07", "--city", "seoul", "--form", form)
    answers = root / "answers.json"
    answers.write_text(json.dumps({"language": "ko", "answers": ANSWERS}, ensure_ascii=False),
                       encoding="utf-8")
    (root / "share").mkdir()
    return {"root": root, "form": form, "answers": answers, "dev": root / "dev",
            "hub": root / "hub", "share": root / "share", "key": root / "keys" / "project.key"}


def test_the_whole_round_trip_through_the_cli(setup: dict[str, Path]) -> None:
    s = setup
    ids = [ok("record", "--data", s["dev"], "--form", s["form"], "--answers", s["answers"],
              "--finalize").strip() for _ in range(2)]
    assert "wrote" in ok("sync", "push", "--data", s["dev"], "--to", s["share"])
    refused = fails("sync", "pull", "--hub", s["hub"], "--from", s["share"])
    assert "rejected: device" in refused and "E07" in refused and "--trust" in refused
    imported = ok("sync", "pull", "--hub", s["hub"], "--from", s["share"], "--trust")
    assert "imported 2 interview record(s)" in imported and "device trusted" in imported
    assert "already imported" in ok("sync", "pull", "--hub", s["hub"], "--from", s["share"])

    status = ok("status", "--hub", s["hub"])
    assert "2 interview(s): Finalised 2" in status and "E07" in status
    assert "add --key project.key" in status and "성산1동" not in status
    status = ok("status", "--hub", s["hub"], "--key", s["key"])
    assert "seoul_mapo" in status and "성산1동" in status and "Dong" in status
    korean = ok("status", "--hub", s["hub"], "--key", s["key"], lang="ko_KR.UTF-8")
    assert ": 면접 2건: 완료된 면접 2, 승인됨 0" in korean  # the user's language
    assert "도시    완료된 면접  승인됨" in korean and "  서울            2" in korean
    assert "  성산1동            2" in korean  # aligned by display width

    shown = ok("review", "--hub", s["hub"], "show", ids[0], "--key", s["key"])
    assert "revision 1  Finalised" in shown and "  dong = 성산1동" in shown
    assert "  m_name[1] = 김" in shown and "language ko" in shown
    ok("review", "--hub", s["hub"], "send-back", ids[0], "--comment", "동 이름 확인")
    ok("review", "approve", ids[1], "--hub", s["hub"])
    listing = ok("review", "--hub", s["hub"], "list")
    assert f"{ids[0]}  rev 1  Sent back" in listing and f"{ids[1]}  rev 1  Approved" in listing
    assert "already approved" in fails("review", "--hub", s["hub"], "approve", ids[1])
    returned = ok("sync", "push", "--hub", s["hub"], "--key", s["key"], "--to", s["share"])
    assert "for E07" in returned and "2 decision(s), 2 acknowledged" in returned

    pulled = ok("sync", "pull", "--data", s["dev"], "--from", s["share"])
    assert "1 approved, 1 sent back, 2 newly acknowledged" in pulled
    assert f"{ids[0]} re-opened as draft revision 2 — supervisor: 동 이름 확인" in pulled
    listing = ok("list", "--data", s["dev"])
    assert f"{ids[0]}  sync_test v1  sent_back  rev 2" in listing
    assert ids[0] in ok("list", "--data", s["dev"], "--status", "sent_back")
    assert ids[0] not in ok("list", "--data", s["dev"], "--status", "draft")
    assert f"{ids[1]}  sync_test v1  approved" in listing
    shown = ok("show", "--data", s["dev"], ids[0][:8])  # a unique prefix is enough
    assert f"interview {ids[0]}  sync_test v1  sent_back  rev 2" in shown
    assert "supervisor's comment: 동 이름 확인" in shown
    assert "nothing new to send" in ok("sync", "push", "--data", s["dev"], "--to", s["share"])

    ok("record", "--data", s["dev"], "--form", s["form"], "--answers", s["answers"],
       "--interview", ids[0], "--finalize")
    assert "(1 sealed interview record(s))" in ok("sync", "push", "--data", s["dev"], "--to",
                                                  s["share"])
    assert "(1 new, 0 already here)" in ok("sync", "pull", "--hub", s["hub"], "--from",
                                           s["share"])
    history = ok("review", "--hub", s["hub"], "history", ids[0][:6])
    assert "Finalised, revision 2" in history
    pattern = re.compile(r"rev (\d) +(Received|Sent back|Returned to the device)")
    events = [(m.groups() if (m := pattern.search(line)) else line)
              for line in history.splitlines()[1:]]
    assert events == [("1", "Received"), ("1", "Sent back"), ("1", "Returned to the device"),
                      ("2", "Received")]
    assert ok("conflicts", "--hub", s["hub"]).startswith("no open conflicts")
    # the review lines, too, in the user's language (statuses and events by name)
    japanese = ok("review", "--hub", s["hub"], "history", ids[0][:6], lang="ja_JP.UTF-8")
    assert japanese.startswith(f"調査 {ids[0]}：") and "改訂 1" in japanese
    assert "差し戻し" in japanese and "sent_back" not in japanese
    assert ok("conflicts", "--hub", s["hub"], lang="zh_CN.UTF-8").startswith("没有未解决的冲突")


def test_errors_are_one_line(tmp_path: Path) -> None:
    assert "no hub here" in fails("status", "--hub", tmp_path / "nowhere")
    assert "no such file or folder" in fails("sync", "pull", "--hub", tmp_path / "h", "--from",
                                             tmp_path / "missing")
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "broken.fieldsync").write_bytes(b"PK\x03\x04 not really")
    err = fails("sync", "pull", "--hub", tmp_path / "h", "--from", bad)
    assert "broken.fieldsync: rejected: not a readable bundle" in err
    assert "not in this hub" in fails("review", "--hub", tmp_path / "h", "approve",
                                      "00000000-0000-4000-8000-000000000000")
    assert "has no open conflict" in fails("conflicts", "--hub", tmp_path / "h", "resolve",
                                           "00000000-0000-4000-8000-000000000000", "--keep",
                                           "1", "--reason", "x")
    assert "--key project.key" in fails("sync", "push", "--hub", tmp_path / "h", "--to", bad)


def test_a_discarded_draft_reaches_the_supervisor_as_discarded(tmp_path: Path) -> None:
    form = make_form(tmp_path / "forms")
    ok("keys", "create", "--out", tmp_path / "keys")
    dev, hub, share = tmp_path / "dev", tmp_path / "hub", tmp_path / "share"
    share.mkdir()
    ok("device", "init", "--data", dev, "--project-key", tmp_path / "keys" / "project.pub",
       "--enumerator", "E08", "--city", "seoul", "--form", form)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {"dong": "잘못 누른 키"}}, ensure_ascii=False),
                       encoding="utf-8")
    draft = ok("record", "--data", dev, "--form", form, "--answers", answers).strip()
    assert "give a reason" in fails("discard", "--data", dev, draft, "--reason", "  ")
    assert "discarded" in ok("discard", "--data", dev, draft, "--reason", "키를 잘못 눌렀음")
    assert f"{draft}  sync_test v1  discarded" in ok("list", "--data", dev)
    assert "only drafts" in fails("discard", "--data", dev, draft, "--reason", "again")
    assert "sealed to the project key" in fails("show", "--data", dev, draft)
    shown = ok("show", "--data", dev, draft, "--key", tmp_path / "keys" / "project.key")
    assert "  dong = 잘못 누른 키" in shown
    ok("sync", "push", "--data", dev, "--to", share)
    ok("sync", "pull", "--hub", hub, "--from", share, "--trust")
    status = ok("status", "--hub", hub)
    assert "1 interview(s): Finalised 0" in status and ", Discarded 1" in status
    assert "already discarded" in fails("review", "--hub", hub, "approve", draft)
    out = tmp_path / "export.xlsx"
    result = run("export", "--hub", hub, "--key", tmp_path / "keys" / "project.key", "--out",
                 out)
    assert "discarded by the enumerator" in result.stderr or \
        "discarded by the enumerator" in about_text(out)


def about_text(path: Path) -> str:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("about").to_python()
    return " ".join(str(c) for row in rows for c in row)
