"""Roster (user-managed repeat) actions of the interview screen: add and remove entries."""

from __future__ import annotations

from typing import Any

from fieldapp.i18n import _, ngettext
from fieldapp.questionnaire.model import text_for
from fieldapp.ui.qt import QMessageBox


def prompt_info(view: Any, page: Any) -> tuple[str, int]:
    """Title and current entry count of a roster's "add another?" page ('' elsewhere)."""
    if page.prompt is None:
        return "", 0
    name, parent = page.prompt
    engine = view.recording.engine
    element = engine.structure.repeats[name]
    label = text_for(element.label, engine.language, engine.form.default_language) or name
    return (_("Add another entry to “{roster}”?").format(roster=label),
            engine.instance_count(name, parent))


def add_entry(view: Any) -> None:
    """On a roster's "add another?" page: add an entry and go to its first page."""
    page = view.nav.current()
    if page is None or page.prompt is None:
        return
    name, parent = page.prompt
    index = view.recording.add_instance(name, parent)
    inner = (*parent, index)
    for candidate in view.nav.pages():
        if candidate.repeat is not None and candidate.repeat[1][:len(inner)] == inner:
            view.nav.jump(candidate.id)
            break
    view.render()


def remove_entry(view: Any) -> None:
    """Remove the entry the current page belongs to, after asking (No is the default)."""
    page = view.nav.current()
    if page is None or page.repeat is None:
        return
    name, indices = page.repeat
    who, count = entry_summary(view.recording.engine, name, indices)
    box = QMessageBox(QMessageBox.Icon.Question, _("Remove entry"), ngettext(
        "Remove {who} and {n} answer?", "Remove {who} and {n} answers?", count).format(
        who=who, n=count), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        view)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    if box.exec() != QMessageBox.StandardButton.Yes:
        return
    view.recording.remove_instance(name, indices[-1], indices[:-1])
    view.render()


def entry_summary(engine: Any, repeat: str, indices: tuple[int, ...]) -> tuple[str, int]:
    """How an entry is named in a confirmation (its first text answer, else "entry N") and
    how many answers it holds."""
    depth = len(indices) - 1
    first_text = ""
    count = 0
    for slot in engine.question_slots(relevant_only=False):
        path = engine.structure.repeat_path.get(slot.element.name, ())
        if len(path) <= depth or path[depth] != repeat or slot.indices[:depth + 1] != indices:
            continue
        value = engine.answers.get(slot.key)
        if value is None or not slot.element.is_input:
            continue
        count += 1
        if not first_text and slot.element.type == "text" and str(value).strip():
            first_text = str(value).strip()
    who = f"“{first_text}”" if first_text else _("entry {n}").format(n=indices[-1])
    return who, count


def removable(view: Any, page: Any) -> bool:
    """True on a page inside an entry of a roster the enumerator manages."""
    if page.repeat is None or page.prompt is not None:
        return False
    return not view.recording.engine.structure.repeats[page.repeat[0]].repeat_count
