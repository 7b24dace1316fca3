"""What the enumerator checks before finalising: every question shown, its answer, problems.

Qt-free so the GUI's review screen and tests share one definition of "unanswered required".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fieldapp.interview.engine import Interview
from fieldapp.interview.navigation import Page, build_pages
from fieldapp.interview.text import interpolate
from fieldapp.interview.values import Value
from fieldapp.questionnaire.model import Group, Question, text_for


@dataclass(frozen=True)
class ReviewItem:
    """One question as the review list shows it."""

    key: str
    page_id: str
    section: str  # the section's label in the interview language ('' at top level)
    label: str  # question text in the interview language, ${} filled
    answer: str  # the answer as the enumerator saw it ('' when unanswered)
    problem: str | None  # required-but-missing or constraint message, else None
    missing: bool  # True when a required answer is missing
    is_note: bool


def answer_text(interview: Interview, key: str, value: Value) -> str:
    """An answer as shown on screen: choice labels in the interview language, else the value."""
    if value is None:
        return ""
    slot = interview.slot(key)
    question = slot.element
    assert isinstance(question, Question)
    if question.type in ("select_one", "select_multiple", "rank"):
        names = value if isinstance(value, tuple) else (str(value),)
        choices = interview.form.choice_list(question)
        labels = []
        for name in names:
            choice = choices.get(name) if choices is not None else None
            text = text_for(choice.label, interview.language, interview.form.default_language) \
                if choice is not None else name
            numbered = name.isdigit() and text != name  # codes read aloud: "3. Somewhat"
            labels.append(f"{name}. {text}" if numbered else text)
        return ", ".join(labels)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def section_label(interview: Interview, page: Page) -> str:
    """Label of the page's outermost group in the interview language ('' at top level);
    inside a roster entry with the entry's number ("Household member 2", nested "1.2")."""
    if not page.section:
        return ""
    label = page.section
    for element, _parents in interview.form.iter_elements():
        if isinstance(element, Group) and element.name == page.section:
            raw = text_for(element.label, interview.language, interview.form.default_language)
            label = interpolate(raw, interview.context((), ())) or element.name
            break
    if page.repeat is not None and page.repeat[1]:
        label = f"{label} {'.'.join(str(i) for i in page.repeat[1])}"
    return label


def review_items(interview: Interview) -> list[ReviewItem]:
    """Every question on the currently relevant pages, in order, with its problems."""
    items: list[ReviewItem] = []
    for page in build_pages(interview):
        section = section_label(interview, page)
        for key in page.keys:
            slot = interview.slot(key)
            question = slot.element
            assert isinstance(question, Question)
            value = interview.answers.get(key)
            problem = interview.problems(slot)
            items.append(ReviewItem(
                key=key, page_id=page.id, section=section,
                label=interview.text(question.label, slot) or question.name,
                answer=answer_text(interview, key, value), problem=problem,
                missing=problem is not None and value is None,
                is_note=question.type == "note"))
    return items


def first_open_page(interview: Interview) -> str | None:
    """Id of the first page with a missing or invalid answer (where a draft resumes)."""
    for page in build_pages(interview):
        for key in page.keys:
            if interview.problems(interview.slot(key)) is not None:
                return page.id
    return None
