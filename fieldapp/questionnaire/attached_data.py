"""Data files a form carries in its media folder: choice lists and lookup tables.

- ``select_one_from_file cities.csv`` (or ``.xml``, ``.geojson``): the choices of the
  question, as ODK reads them — CSV columns ``name`` and ``label`` (``label::Language``
  columns too), XML ``<root><item><name/><label/>…</item></root>``, GeoJSON features with
  ``id`` and ``title``. The question's ``parameters`` ``value=`` and ``label=`` name other
  columns. Every other column becomes a choice property, usable in ``choice_filter``.
- ``pulldata('households', 'head', 'hh_id', ${id})`` and the ``search()`` appearance read
  ``households.csv`` as a table.

Files are read with bounds (:mod:`bounds`) and parsed with defusedxml / json / csv only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_
from fieldapp.questionnaire.bounds import MAX_DATA_ROWS, MAX_MEDIA_FILE_BYTES


class DataFileError(FieldAppError, ValueError):
    """A data file cannot be read as what the form uses it for (message names the file)."""


@dataclass(frozen=True)
class Table:
    """A CSV (or XML) table: its column names and rows as dicts of text."""

    columns: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]

    def lookup(self, column: str, key_column: str, key: str) -> str:
        """The first row's ``column`` whose ``key_column`` equals ``key`` (pulldata)."""
        for row in self.rows:
            if row.get(key_column, "") == key:
                return row.get(column, "")
        return ""


def _text(name: str, content: bytes) -> str:
    if len(content) > MAX_MEDIA_FILE_BYTES:
        raise DataFileError(N_("'{name}' is too large"), code="attached_data.too-large", name=name)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(N_("'{name}' is not UTF-8 text"),
                            code="attached_data.not-utf-text", name=name) from None


def read_csv_table(name: str, content: bytes) -> Table:
    """A CSV file with a header row (comma, or semicolon when the header has no comma)."""
    text = _text(name, content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader, [])]
        rows = []
        for number, values in enumerate(reader, start=2):
            if number > MAX_DATA_ROWS:
                raise DataFileError(N_("'{name}' has more than {MAX_DATA_ROWS:,} rows"),
                                    code="attached_data.more-than-rows", name=name,
                                    MAX_DATA_ROWS=MAX_DATA_ROWS)
            if any(v.strip() for v in values):
                rows.append({h: v.strip() for h, v in zip(header, values, strict=False) if h})
    except csv.Error:  # e.g. a field over the csv module's size limit
        raise DataFileError(N_("'{name}' is not a readable CSV file (line {line})"),
                            code="attached_data.not-readable-csv-file", name=name,
                            line=reader.line_num) from None
    if not any(header):
        raise DataFileError(N_("'{name}' has no header row"),
                            code="attached_data.no-header-row", name=name)
    return Table(tuple(h for h in header if h), tuple(rows))


def read_xml_table(name: str, content: bytes) -> Table:
    """``<root><item><name>…</name><label>…</label>…</item>…</root>`` as a table."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    _text(name, content)
    try:
        root = ElementTree.fromstring(content)
    except DefusedXmlException:
        raise DataFileError(N_("'{name}' declares XML entities, which are not allowed in a "
                               "data file"),
                            code="attached_data.xml-entities", name=name) from None
    except (ElementTree.ParseError, ValueError) as exc:
        line = (getattr(exc, "position", None) or (None,))[0]
        if line:
            raise DataFileError(N_("'{name}' is not readable XML (line {line})"),
                                code="attached_data.not-readable-xml", name=name,
                                line=line) from None
        raise DataFileError(N_("'{name}' is not readable XML"),
                            code="attached_data.not-readable-xml", name=name) from None
    columns: dict[str, None] = {}
    rows = []
    for count, item in enumerate(root, start=1):
        if count > MAX_DATA_ROWS:
            raise DataFileError(N_("'{name}' has more than {MAX_DATA_ROWS:,} items"),
                                code="attached_data.more-than-items", name=name,
                                MAX_DATA_ROWS=MAX_DATA_ROWS)
        row: dict[str, str] = {}
        _flatten(item, "", row, 0)
        columns.update(dict.fromkeys(row))
        rows.append(row)
    return Table(tuple(columns), tuple(rows))


def _flatten(element: Any, prefix: str, row: dict[str, str], depth: int) -> None:
    """Child elements as ``a`` / ``a/b`` keys (nested groups of a submission)."""
    for child in element:
        key = prefix + _local(child.tag)
        if len(child) and depth < 8:
            _flatten(child, key + "/", row, depth + 1)
        else:
            row.setdefault(key, (child.text or "").strip())


def _local(tag: Any) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def read_geojson_table(name: str, content: bytes) -> Table:
    """A GeoJSON FeatureCollection as rows: ``id``, ``title``, ``geometry`` (ODK's
    ``lat lon alt acc`` text; points of lines and polygons joined by ``;``) and every
    property."""
    try:
        data = json.loads(_text(name, content))
    except (ValueError, RecursionError):
        raise DataFileError(N_("'{name}' is not readable JSON"),
                            code="attached_data.not-readable-json", name=name) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise DataFileError(N_("'{name}' is not a GeoJSON FeatureCollection"),
                            code="attached_data.not-geojson-featurecollection", name=name)
    if len(features) > MAX_DATA_ROWS:
        raise DataFileError(N_("'{name}' has more than {MAX_DATA_ROWS:,} features"),
                            code="attached_data.more-than-features", name=name,
                            MAX_DATA_ROWS=MAX_DATA_ROWS)
    columns: dict[str, None] = {"id": None, "geometry": None}
    rows = []
    for feature in features:
        if not isinstance(feature, dict):
            raise DataFileError(N_("'{name}': a feature is not an object"),
                                code="attached_data.feature-not-object", name=name)
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            props = {}
        row = {str(k): _plain(v) for k, v in props.items()}
        if "id" in feature:
            row["id"] = _plain(feature["id"])
        row["geometry"] = _geometry(feature.get("geometry"))
        columns.update(dict.fromkeys(row))
        rows.append(row)
    return Table(tuple(columns), tuple(rows))


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _point(coords: Any) -> str:
    if isinstance(coords, list) and len(coords) >= 2 and all(
            isinstance(c, (int, float)) for c in coords[:2]):
        lon, lat = coords[0], coords[1]
        alt = coords[2] if len(coords) > 2 and isinstance(coords[2], (int, float)) else 0
        return f"{lat} {lon} {alt} 0"
    return ""


def _geometry(geometry: Any) -> str:
    if not isinstance(geometry, dict):
        return ""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return _point(coords)
    if kind == "LineString" and isinstance(coords, list):
        return "; ".join(_point(c) for c in coords)
    if kind == "Polygon" and isinstance(coords, list) and coords and isinstance(coords[0], list):
        return "; ".join(_point(c) for c in coords[0])
    return ""


def read_table(name: str, content: bytes) -> Table:
    """A data file as a table, by its extension (``.csv``, ``.xml``, ``.geojson``)."""
    lowered = name.lower()
    if lowered.endswith(".xml"):
        return read_xml_table(name, content)
    if lowered.endswith(".geojson"):
        return read_geojson_table(name, content)
    return read_csv_table(name, content)


@dataclass(frozen=True)
class ChoiceRow:
    """One choice read from a file: code, label per language, other columns."""

    name: str
    label: Mapping[str, str]
    properties: Mapping[str, str]


def choices_from_table(name: str, table: Table, parameters: Mapping[str, str],
                       default_lang: str, language_code: Any) -> list[ChoiceRow]:
    """The choices a select_*_from_file question offers from ``table``."""
    geojson = name.lower().endswith(".geojson")
    value_column = parameters.get("value") or ("id" if geojson else "name")
    label_column = parameters.get("label") or ("title" if geojson else "label")
    if value_column not in table.columns:
        raise DataFileError(N_("'{name}' has no '{value_column}' column for the choice codes"),
                            code="attached_data.no-column-choice-codes", name=name,
                            value_column=value_column)
    label_columns = {c: c.split("::", 1)[1] for c in table.columns
                     if c.startswith(f"{label_column}::")}
    out = []
    for row in table.rows:
        code = row.get(value_column, "")
        if not code:
            continue
        label = {language_code(spec): row.get(column, "")
                 for column, spec in label_columns.items() if row.get(column)}
        if row.get(label_column):
            label.setdefault(default_lang, row[label_column])
        props = {k: v for k, v in row.items()
                 if k != value_column and k != label_column and k not in label_columns}
        out.append(ChoiceRow(code, label or {default_lang: code}, props))
    return out
