"""House rules that import-linter cannot see: one vocabulary, one definition of each shared
helper, no import reach-arounds, every module in a layer, front ends only on the façades."""

from __future__ import annotations

import ast
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fieldapp.storage.store import Store
from fieldapp.vocabulary import Decision, EventKind, HistoryEvent, Status

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "fieldapp"
STATUS_WORDS = {s.value for s in Status}
EVENT_WORDS = {k.value for k in EventKind}
OTHER_WORDS = [{d.value for d in Decision}, {h.value for h in HistoryEvent}]


def _modules(*under: str) -> list[tuple[Path, ast.Module]]:
    folders = [PACKAGE / u for u in under] if under else [PACKAGE]
    found = []
    for folder in folders:
        paths = [folder] if folder.suffix == ".py" else sorted(folder.rglob("*.py"))
        for path in paths:
            if "migrations" not in path.parts:
                found.append((path, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"


def _words(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)]


def test_statuses_and_event_kinds_are_defined_only_in_the_vocabulary() -> None:
    """No module keeps its own constant or list of status, event-kind, decision or history
    words (the copies the issue found in interview/, storage/, sync/, export/ and the front
    ends)."""
    offenders = []
    for path, tree in _modules():
        if path.name == "vocabulary.py":
            continue
        for node in tree.body:
            if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
                continue
            words = _words(node.value)
            if isinstance(node.value, ast.Constant) and words and words[0] in STATUS_WORDS:
                offenders.append(_where(path, node))
            elif len(words) >= 2 and any(set(words) <= vocabulary for vocabulary in
                                         (STATUS_WORDS, EVENT_WORDS, *OTHER_WORDS)):
                offenders.append(_where(path, node))
    assert offenders == []


def test_device_records_carry_the_vocabulary_types(tmp_path: Path) -> None:
    with Store.open(tmp_path / "fieldapp.db") as store:
        info = store.create_interview(interview_id="0" * 8, form_id="f", form_version="1",
                                      key_id="k", created_utc=datetime(2024, 5, 1, tzinfo=UTC))
        store.append_event(interview_id=info.interview_id, kind=EventKind.SHOWN, question="q",
                           revision=1, blob=b"x")
        event = store.events(info.interview_id)[0]
        listed = store.list_interviews()[0]
    assert type(info.status) is Status and info.status is Status.DRAFT
    assert type(listed.status) is Status
    assert type(event.kind) is EventKind and event.kind is EventKind.SHOWN


def test_shared_helpers_are_defined_once() -> None:
    """One URL test, one version order, one clock, one atomic write, one event AAD."""
    watched = {"is_url", "version_key", "utc_now", "atomic_output", "fsync_dir",
               "event_aad_question", "sealed_info", "stamped", "local_zone_name",
               "open_sealed_blob"}
    defined: dict[str, list[str]] = {name: [] for name in watched}
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in watched:
                defined[node.name].append(_where(path, node))
    assert {name: len(where) for name, where in defined.items()} == dict.fromkeys(watched, 1), \
        defined


def test_no_import_reach_arounds() -> None:
    """Imports are plain statements import-linter can see: no importlib or __import__."""
    offenders = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names]
                module = getattr(node, "module", None) or ""
                if module.startswith("importlib") or any(n.startswith("importlib")
                                                         for n in names):
                    offenders.append(_where(path, node))
            elif isinstance(node, ast.Name) and node.id == "__import__":
                offenders.append(_where(path, node))
    assert offenders == []


def test_every_module_sits_in_a_layer() -> None:
    """A new top-level module must be placed in the layers contract (pyproject.toml)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in
              layer.replace(":", "|").split("|")}
    present = {f"fieldapp.{p.stem}" for p in PACKAGE.glob("*.py")
               if p.stem not in ("__init__", "__main__")}
    present |= {f"fieldapp.{p.parent.name}" for p in PACKAGE.glob("*/__init__.py")}
    assert sorted(present - placed) == []


def test_front_ends_do_not_reach_through_the_facades() -> None:
    """``ui/`` and ``commands/`` ask the façades, never the store a façade holds."""
    offenders = [_where(path, node) for path, tree in _modules("ui", "commands")
                 for node in ast.walk(tree)
                 if isinstance(node, ast.Attribute) and node.attr in ("store", "hub")
                 and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "args"))]
    assert offenders == []


@pytest.mark.parametrize("argv", [
    ["list", "--data", "nowhere", "--status", "bogus"],
    ["export", "--hub", "nowhere", "--key", "k", "--out", "o.xlsx", "--status", "bogus"],
    ["review", "--hub", "nowhere", "list", "--status", "bogus"],
])
def test_status_choices_are_shown_as_words(argv: list[str],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The vocabulary's enums never reach a user as ``<Status.DRAFT: 'draft'>``."""
    from fieldapp.cli import main

    with pytest.raises(SystemExit):
        main(argv)
    err = capsys.readouterr().err
    assert "invalid choice: 'bogus'" in err and "'finalised'" in err
    assert "<Status" not in err


def test_a_status_inside_a_message_is_shown_in_the_users_language() -> None:
    """English keeps the code people type (``--status finalised``); other languages show the
    status's translated name, not the English code inside their sentence."""
    from fieldapp.errors import FieldAppError
    from fieldapp.i18n import N_, translate_in
    from fieldapp.names import STATUS_NAMES

    error = FieldAppError(N_("interview {interview_id} is {status}: only drafts can be opened "
                             "on the device"), interview_id="abc", status=Status.FINALISED)
    assert "is finalised" in error.render("en")
    for lang in ("ko", "zh_Hans", "ja"):
        shown = error.render(lang)
        assert "finalised" not in shown, shown
        assert translate_in(STATUS_NAMES[Status.FINALISED], lang) in shown
