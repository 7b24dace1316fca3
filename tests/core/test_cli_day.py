"""The command line without traps (issue 14): id prefixes, sent-back status, export defaults
and suffixes, which passphrase was wrong, device info, a failed init leaves nothing,
display-width tables, a city that does not fit the hub."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp.commands.table import table, width
from fieldapp.errors import FieldAppError
from fieldapp.id_prefix import resolve_prefix
from tests.support.devices import QUESTIONNAIRES, ROOT
from tests.support.sync import make_form

PASS = "device passphrase one"
KEYPASS = "project key passphrase"
ANSWERS = {"district": "seoul_mapo", "dong": "성산1동", "q1": 3, "hh": [{"m_name": "김"}]}


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, "FIELDAPP_PASSPHRASE": PASS, "FIELDAPP_KEY_PASSPHRASE": KEYPASS,
            "FIELDAPP_KDF": "floor", **(env or {})}
    return subprocess.run([sys.executable, "-m", "fieldapp", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, env=full, timeout=120)


def ok(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = run(*args, env=env)
    assert result.returncode == 0, result.stderr
    return result


def fails(*args: str | Path, env: dict[str, str] | None = None) -> str:
    """The error, which must be exactly one line starting with "error: "."""
    result = run(*args, env=env)
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def field(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli-day")
    form = make_form(root / "forms")
    ok("keys", "create", "--out", root / "keys")
    ok("device", "init", "--data", root / "seoul", "--project-key", root / "keys" /
       "project.pub", "--enumerator", "E01", "--city", "seoul", "--form", form)
    answers = root / "answers.json"
    answers.write_text(json.dumps({"language": "ko", "answers": ANSWERS}, ensure_ascii=False),
                       encoding="utf-8")
    return {"root": root, "form": form, "answers": answers, "dev": root / "seoul",
            "key": root / "keys" / "project.key", "pub": root / "keys" / "project.pub"}


def test_prefixes_unique_short_and_ambiguous() -> None:
    ids = ["0a1b2c3d-1111", "0a1b2c3d-2222", "ffee0011-3333"]
    assert resolve_prefix("ffee00", ids) == "ffee0011-3333"
    assert resolve_prefix("FFEE0011-3333", ids) == "ffee0011-3333"
    with pytest.raises(FieldAppError) as short:
        resolve_prefix("ffee0", ids)
    assert short.value.code == "interview.prefix_short"
    with pytest.raises(FieldAppError) as ambiguous:
        resolve_prefix("0a1b2c", ids)
    assert ambiguous.value.code == "interview.ambiguous"
    assert "0a1b2c3d-1111, 0a1b2c3d-2222" in str(ambiguous.value)
    assert resolve_prefix("123456", ids) == "123456"  # the caller reports it missing


def test_ids_by_prefix_and_readable_show(field: dict[str, Path]) -> None:
    f = field
    draft = ok("record", "--data", f["dev"], "--form", f["form"], "--answers",
               f["answers"]).stdout.strip()
    shown = ok("show", "--data", f["dev"], draft[:6]).stdout
    assert f"interview {draft}" in shown and "  dong = 성산1동" in shown
    assert "{" not in shown  # dates and lists are written as people write them
    assert "at least 6 characters" in fails("show", "--data", f["dev"], draft[:5])
    assert "not found" in fails("show", "--data", f["dev"], "zzzzzzzz")
    again = ok("record", "--data", f["dev"], "--form", f["form"], "--answers", f["answers"],
               "--interview", draft[:7])
    assert again.stdout.strip() == draft
    other = QUESTIONNAIRES / "three_city_2012.xlsx"
    refused = fails("record", "--data", f["dev"], "--form", other, "--answers", f["answers"],
                    "--interview", draft[:8])
    assert "is a draft of sync_test" in refused


def test_which_passphrase_was_wrong(field: dict[str, Path]) -> None:
    f = field
    device = fails("list", "--data", f["dev"], env={"FIELDAPP_PASSPHRASE": "not the one"})
    assert "wrong passphrase: the device passphrase (from FIELDAPP_PASSPHRASE)" in device
    key = fails("export", "--data", f["dev"], "--key", f["key"], "--out",
                f["root"] / "pw.xlsx", env={"FIELDAPP_KEY_PASSPHRASE": "not the one"})
    assert "the project key passphrase (from FIELDAPP_KEY_PASSPHRASE)" in key
    assert str(f["key"]) in key


def test_device_info_shows_both_fingerprints(field: dict[str, Path]) -> None:
    f = field
    env = {k: v for k, v in os.environ.items() if "PASSPHRASE" not in k}
    result = subprocess.run([sys.executable, "-m", "fieldapp", "device", "info", "--data",
                             str(f["dev"])], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=60)  # no passphrase needed
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(None, 1) if not line.startswith(("device key", "project key"))
                 else (line[:11].strip(), line[11:].strip())
                 for line in result.stdout.splitlines())
    assert lines["enumerator"].strip() == "E01" and lines["city"].strip() == "seoul"
    fingerprint = ok("keys", "create", "--out", f["root"] / "k2").stdout  # a different key
    assert lines["project key"] not in fingerprint
    assert len(lines["device key"].split("-")) == 4
    pub = subprocess.run([sys.executable, "-c", "import sys; from fieldapp.crypto import "
                          "load_project_public_key, fingerprint; print(fingerprint("
                          "load_project_public_key(sys.argv[1])))", str(f["pub"])],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert lines["project key"] == pub.stdout.strip()


def test_a_failed_init_leaves_nothing(field: dict[str, Path]) -> None:
    f = field
    target = f["root"] / "never"
    error = fails("device", "init", "--data", target, "--project-key", f["pub"],
                  "--enumerator", "E09", "--city", "tokyo", "--form", f["root"] / "nope.xlsx")
    assert "nope.xlsx" in error
    assert not target.exists()
    existing = f["root"] / "empty"
    existing.mkdir()
    broken = f["root"] / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    fails("device", "init", "--data", existing, "--project-key", f["pub"], "--enumerator",
          "E09", "--form", f["form"], "--form", broken)
    assert list(existing.iterdir()) == []


def test_export_defaults_and_suffixes(field: dict[str, Path]) -> None:
    f = field
    dev = f["root"] / "exp"
    ok("device", "init", "--data", dev, "--project-key", f["pub"], "--enumerator", "E02",
       "--city", "seoul", "--form", f["form"])
    ok("record", "--data", dev, "--form", f["form"], "--answers", f["answers"], "--finalise")
    pdf = f["root"] / "x.pdf"
    assert "must end in .xlsx" in fails("export", "--data", dev, "--key", f["key"], "--out",
                                        pdf)
    assert not pdf.exists()
    assert "does not end in .csv" in fails("export", "--data", dev, "--key", f["key"], "--out",
                                           f["root"] / "x.xlsx", "--format", "csv")
    done = ok("export", "--data", dev, "--key", f["key"], "--out", f["root"] / "x.xlsx")
    assert "1 interview(s) exported (status finalised+approved)" in done.stderr
    help_text = ok("export", "--help").stdout
    assert "default: finalised+approved" in help_text


def test_a_device_from_another_city_is_flagged(field: dict[str, Path]) -> None:
    f = field
    share, hub = f["root"] / "share-city", f["root"] / "hub-city"
    tokyo = f["root"] / "tokyo"
    ok("device", "init", "--data", tokyo, "--project-key", f["pub"], "--enumerator", "T01",
       "--city", "tokyo", "--form", f["form"])
    for dev in (f["dev"], tokyo):
        ok("record", "--data", dev, "--form", f["form"], "--answers", f["answers"],
           "--finalise")
        (share / dev.name).mkdir(parents=True)
        ok("sync", "push", "--data", dev, "--to", share / dev.name)
    first = ok("sync", "pull", "--hub", hub, "--from", share / "seoul", "--trust")
    assert "warning" not in first.stderr
    flagged = ok("sync", "pull", "--hub", hub, "--from", share / "tokyo", "--trust")
    assert "set up for tokyo, but this hub's devices are from seoul" in flagged.stderr


def test_tables_align_by_display_width() -> None:
    assert width("성산1동") == 7 and width("abc") == 3 and width("東京") == 4
    lines = table([["Dong", "finalised"], ["성산1동", 3], ["Mapo", 12]], numeric=(False, True))
    ends = {width(line) for line in lines}
    assert len(ends) == 1  # every row ends in the same column
    assert lines[1].startswith("성산1동  ") and lines[2].startswith("Mapo     ")
