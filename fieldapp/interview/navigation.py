"""Pages and navigation: which questions are on screen, next / previous / jump.

A page is one question, or a whole ``field-list`` group. After the instances of a
user-managed repeat comes a prompt page where the enumerator adds another entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.interview.answer_keys import Indices, make_key
from fieldapp.interview.engine import Interview, Slot
from fieldapp.interview.errors import ConstraintViolation, RequiredMissing
from fieldapp.questionnaire.model import METADATA_TYPES, Element, Group, Question, Repeat


@dataclass(frozen=True)
class Page:
    """What one screen shows."""

    id: str
    keys: tuple[str, ...]
    section: str  # name of the outermost group, '' at top level
    group: Slot | None = None  # the field-list group, when the page is one
    repeat: tuple[str, Indices] | None = None  # innermost repeat instance, if any
    prompt: tuple[str, Indices] | None = None  # repeat name + parent indices: "add another?"


def _one_page(group: Group) -> bool:
    """A field-list group is one page, unless it holds a repeat (its entries need pages of
    their own, as in ODK Collect)."""
    return "field-list" in group.appearances and not any(
        isinstance(element, Repeat) for element in group.children)


def _shown(question: Question) -> bool:
    return question.type not in METADATA_TYPES and question.type not in ("calculate", "hidden")


def build_pages(interview: Interview) -> list[Page]:
    """The pages currently relevant, in order."""
    pages: list[Page] = []

    def relevant(element: Element, indices: Indices, repeats: tuple[str, ...]) -> bool:
        return interview.relevant_here(element, indices, repeats)

    def collect(children: tuple[Element, ...], indices: Indices,
                repeats: tuple[str, ...]) -> list[str]:
        keys: list[str] = []
        for child in children:
            if isinstance(child, Repeat) or not relevant(child, indices, repeats):
                continue
            if isinstance(child, Group):
                keys += collect(child.children, indices, repeats)
            elif _shown(child):
                keys.append(make_key(child.name, indices))
        return keys

    def walk(children: tuple[Element, ...], indices: Indices, repeats: tuple[str, ...],
             section: str) -> None:
        for child in children:
            if not relevant(child, indices, repeats):
                continue
            repeat = (repeats[-1], indices) if repeats else None
            if isinstance(child, Repeat):
                inner_repeats = (*repeats, child.name)
                for i in range(1, interview.instance_count(child.name, indices) + 1):
                    inner = (*indices, i)
                    if "field-list" in child.appearances:
                        keys = collect(child.children, inner, inner_repeats)
                        if keys:
                            pages.append(Page(make_key(child.name, inner), tuple(keys),
                                              section or child.name,
                                              Slot(child, inner, inner_repeats),
                                              (child.name, inner)))
                    else:
                        walk(child.children, inner, inner_repeats, section or child.name)
                if not child.repeat_count:
                    pages.append(Page(f"+{make_key(child.name, indices)}", (),
                                      section or child.name, repeat=repeat,
                                      prompt=(child.name, indices)))
            elif isinstance(child, Group):
                if _one_page(child):
                    keys = collect(child.children, indices, repeats)
                    if keys:
                        pages.append(Page(make_key(child.name, indices), tuple(keys),
                                          section or child.name,
                                          Slot(child, indices, repeats), repeat))
                else:
                    walk(child.children, indices, repeats, section or child.name)
            elif _shown(child):
                key = make_key(child.name, indices)
                pages.append(Page(key, (key,), section, None, repeat))

    walk(interview.form.children, (), (), "")
    return pages


class Navigator:
    """Moves through the pages of an interview, validating before moving forward."""

    def __init__(self, interview: Interview) -> None:
        self.interview = interview
        self._position = 0
        self._page_id: str | None = None

    def pages(self) -> list[Page]:
        """Current pages (recomputed: answers change relevance)."""
        return build_pages(self.interview)

    def _locate(self, pages: list[Page]) -> int:
        if self._page_id is not None:
            for i, page in enumerate(pages):
                if page.id == self._page_id:
                    self._position = i
                    return i
        self._position = min(self._position, max(len(pages) - 1, 0))
        return self._position

    def current(self) -> Page | None:
        """The page on screen; None when the questionnaire has no pages."""
        pages = self.pages()
        if not pages:
            return None
        page = pages[self._locate(pages)]
        self._page_id = page.id
        return page

    def progress(self) -> tuple[int, int]:
        """(1-based position, number of pages)."""
        pages = self.pages()
        return (self._locate(pages) + 1 if pages else 0), len(pages)

    def validate_page(self, page: Page) -> None:
        """Raise RequiredMissing / ConstraintViolation for the first problem on ``page``."""
        for key in page.keys:
            slot = self.interview.slot(key)
            problem = self.interview.problems(slot)
            if problem is not None:
                error = RequiredMissing if self.interview.answers.get(key) is None \
                    else ConstraintViolation
                raise error(key, problem)

    def next(self, *, validate: bool = True) -> Page | None:
        """Move forward; None means the end was reached (time to review)."""
        pages = self.pages()
        if not pages:
            return None
        index = self._locate(pages)
        if validate:
            self.validate_page(pages[index])
        if index + 1 >= len(pages):
            return None
        self._position, self._page_id = index + 1, pages[index + 1].id
        return pages[index + 1]

    def previous(self) -> Page | None:
        """Move back one page; stays on the first page."""
        pages = self.pages()
        if not pages:
            return None
        index = max(self._locate(pages) - 1, 0)
        self._position, self._page_id = index, pages[index].id
        return pages[index]

    def jump(self, key: str) -> Page:
        """Go to the page holding answer key ``key`` (or page id)."""
        pages = self.pages()
        for i, page in enumerate(pages):
            if page.id == key or key in page.keys:
                self._position, self._page_id = i, page.id
                return page
        raise KeyError(key)
