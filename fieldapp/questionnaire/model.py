"""Immutable questionnaire model: the last stage of file → rows → dict → model.

Every element keeps the sheet row it came from, so later errors can cite it.
Labels are mappings of language code (``en``, ``ko``, ``zh``, ``ja``) to text.
Expressions are kept as source strings; the interview engine compiles them once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldapp.errors import FormIssue

Label = Mapping[str, str]
EMPTY_LABEL: Label = MappingProxyType({})


def _empty() -> Label:
    return EMPTY_LABEL


def _no_media() -> Mapping[str, Label]:
    return MappingProxyType({})

#: Answers that are a file the enumerator attaches (kept encrypted with the interview).
ATTACHMENT_TYPES = frozenset({"image", "audio", "video", "file"})
#: Coordinates typed in as ``lat lon [altitude [accuracy]]``; traces and shapes are points
#: separated by ``;`` (ODK's text form).
GEO_TYPES = frozenset({"geopoint", "geotrace", "geoshape", "start-geopoint"})
#: Question types that hold an answer entered by the enumerator.
INPUT_TYPES = frozenset(
    {"select_one", "select_multiple", "integer", "decimal", "text", "date", "time", "datetime",
     "range", "rank", "acknowledge", "barcode"}
) | ATTACHMENT_TYPES | GEO_TYPES
#: Types whose value the device fills in itself (``username`` is the enumerator id; a
#: laptop has no phone number, SIM or subscriber id: those stay empty).
METADATA_TYPES = frozenset({"start", "end", "today", "deviceid", "username", "email",
                            "phonenumber", "simserial", "subscriberid", "audit"})
#: Values set by the form itself, never shown: ``hidden`` keeps its default.
QUESTION_TYPES = INPUT_TYPES | METADATA_TYPES | {"note", "calculate", "hidden"}
#: Label media kinds (``image``, ``big-image``, ``audio``, ``video`` columns).
MEDIA_KINDS = ("image", "big-image", "audio", "video")


def frozen_label(values: Mapping[str, str] | None) -> Label:
    """Return a read-only copy of a language → text mapping."""
    return MappingProxyType(dict(values or {}))


def text_for(label: Label, lang: str, fallback: str | None = None) -> str:
    """Text of ``label`` in ``lang``, else in ``fallback``, else any language, else ''."""
    if lang in label:
        return label[lang]
    if fallback and fallback in label:
        return label[fallback]
    for text in label.values():
        return text
    return ""


@dataclass(frozen=True)
class Choice:
    """One option of a choice list; ``name`` is the stored code."""

    name: str
    label: Label
    row: int
    # extra columns (choice_filter properties, missing, …)
    properties: Mapping[str, str] = field(default_factory=_empty)
    missing: bool = False  # "don't know" / "refused": never a scale point
    #: label media: kind (image, big-image, audio, video) → language → file name
    media: Mapping[str, Label] = field(default_factory=_no_media)


@dataclass(frozen=True)
class ChoiceList:
    """A named list from the ``choices`` sheet."""

    name: str
    choices: tuple[Choice, ...]
    #: where the list comes from: ``choices``, ``external_choices`` or a media file name
    sheet: str = "choices"

    def get(self, name: str) -> Choice | None:
        """The choice with code ``name``, or None."""
        for choice in self.choices:
            if choice.name == name:
                return choice
        return None

    @property
    def scale_points(self) -> tuple[Choice, ...]:
        """Choices that count as scale points (missing-value codes excluded)."""
        return tuple(c for c in self.choices if not c.missing)


@dataclass(frozen=True)
class Question:
    """A question, note, calculation or metadata field."""

    name: str
    type: str
    row: int
    label: Label = field(default_factory=_empty)
    hint: Label = field(default_factory=_empty)
    list_name: str | None = None
    or_other: bool = False
    required: str | None = None  # expression; "yes" in the sheet becomes "true()"
    required_message: Label = field(default_factory=_empty)
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: Label = field(default_factory=_empty)
    calculation: str | None = None
    default: str | None = None
    appearance: str = ""
    choice_filter: str | None = None
    read_only: bool = False
    parameters: Mapping[str, str] = field(default_factory=_empty)
    # custom columns (source, domain, score, missing, …)
    extra: Mapping[str, str] = field(default_factory=_empty)
    #: label media: kind (image, big-image, audio, video) → language → file name
    media: Mapping[str, Label] = field(default_factory=_no_media)
    #: ``body::`` attributes honoured here (``accept`` for file questions, ``rows`` for text)
    body: Mapping[str, str] = field(default_factory=_empty)
    #: the media-folder file a select_*_from_file question takes its choices from
    choice_file: str | None = None
    #: ``${q}``: the calculation runs when q's answer changes, not continuously
    trigger: str | None = None

    @property
    def is_input(self) -> bool:
        """True for questions the enumerator answers."""
        return self.type in INPUT_TYPES and not self.read_only

    @property
    def appearances(self) -> frozenset[str]:
        """The space-separated appearance keywords."""
        return frozenset(self.appearance.split())

    @property
    def bands(self) -> str:
        """The ``bands`` column: collapsed bands for the summary, e.g. ``1-4|5|6-9``."""
        return self.extra.get("bands", "").strip()


@dataclass(frozen=True)
class Group:
    """A ``begin group`` … ``end group`` block."""

    name: str
    row: int
    children: tuple[Element, ...]
    label: Label = field(default_factory=_empty)
    relevant: str | None = None
    appearance: str = ""
    extra: Mapping[str, str] = field(default_factory=_empty)

    @property
    def appearances(self) -> frozenset[str]:
        """The space-separated appearance keywords."""
        return frozenset(self.appearance.split())


@dataclass(frozen=True)
class Repeat(Group):
    """A ``begin repeat`` … ``end repeat`` block (a roster)."""

    repeat_count: str | None = None


Element = Question | Group | Repeat


@dataclass(frozen=True)
class Questionnaire:
    """A loaded, validated questionnaire (one version of one form)."""

    form_id: str
    version: str
    title: str
    default_language: str
    languages: tuple[str, ...]
    children: tuple[Element, ...]
    choices: Mapping[str, ChoiceList]
    settings: Mapping[str, str] = field(default_factory=_empty)
    source_path: str = ""
    #: accepted but ignored or limited features, listed once by ``forms check``
    notices: tuple[FormIssue, ...] = ()
    #: the form's media folder (``fieldapp.questionnaire.sources.FormFiles``)
    files: Any = field(default=None, repr=False, compare=False)
    #: the title per language code (settings ``title_translated::<language>``)
    titles: Mapping[str, str] = field(default_factory=_empty)
    _index: Mapping[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (else in the default language, else ``form_title``)."""
        return self.titles.get(lang) or self.titles.get(self.default_language) or self.title

    def __post_init__(self) -> None:
        index = {q.name: q for q in self.iter_questions()}
        object.__setattr__(self, "_index", MappingProxyType(index))

    def iter_elements(self) -> Iterator[tuple[Element, tuple[Group, ...]]]:
        """Every element depth-first, with the groups/repeats that enclose it."""

        def walk(children: tuple[Element, ...], parents: tuple[Group, ...]) -> Iterator:
            for child in children:
                yield child, parents
                if isinstance(child, Group):
                    yield from walk(child.children, (*parents, child))

        yield from walk(self.children, ())

    def iter_questions(self) -> Iterator[Question]:
        """Every question depth-first."""
        for element, _ in self.iter_elements():
            if isinstance(element, Question):
                yield element

    def question(self, name: str) -> Question:
        """The question called ``name`` (KeyError if absent)."""
        return self._index[name]

    def has(self, name: str) -> bool:
        """True if a question is called ``name``."""
        return name in self._index

    def choice_list(self, question: Question) -> ChoiceList | None:
        """The choice list of a select question."""
        return self.choices.get(question.list_name or "")

    def enclosing(self, name: str) -> tuple[Group, ...]:
        """The groups and repeats around question ``name``, outermost first."""
        for element, parents in self.iter_elements():
            if isinstance(element, Question) and element.name == name:
                return parents
        raise KeyError(name)

    @property
    def instance_name(self) -> str | None:
        """The ``instance_name`` setting: an expression naming each interview (the case
        label on Home), or None."""
        return self.settings.get("instance_name") or None

    def media_file(self, name: str) -> bytes | None:
        """The bytes of a file in the form's media folder, or None."""
        return self.files.read(name) if self.files is not None and name else None

    @property
    def input_count(self) -> int:
        """Number of questions an enumerator answers (notes, calculations, metadata excluded)."""
        return sum(1 for q in self.iter_questions() if q.is_input)
