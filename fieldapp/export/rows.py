"""Sealed payload → table rows (typed Python values; writers format them)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from fieldapp.export.layout import Layout, Table
from fieldapp.export.schema import ANY, DATE, INT, NUM, TEXT, Variable

#: Local time of the interview: the city's zone (Seoul/Tokyo UTC+9, Beijing UTC+8), else the
#: device's IANA zone, else UTC. Fixed offsets stand in when the tz database is missing.
CITY_ZONES = {"seoul": ("Asia/Seoul", 9), "tokyo": ("Asia/Tokyo", 9),
              "beijing": ("Asia/Shanghai", 8)}
_FRACTION = re.compile(r"(?<=T\d\d:\d\d:\d\d)\.\d+")
_OFFSET = re.compile(r"^UTC([+-])(\d\d):(\d\d)$")

Converter = Callable[[Any], Any]


@lru_cache(maxsize=64)
def zone(city: str, device_zone: str) -> tuple[str, dt.tzinfo]:
    """(name, tzinfo) used for an interview's local time."""
    if city in CITY_ZONES:
        name, hours = CITY_ZONES[city]
        return name, _zoneinfo(name) or dt.timezone(dt.timedelta(hours=hours), name)
    if device_zone:
        found = _zoneinfo(device_zone)
        if found is not None:
            return device_zone, found
        match = _OFFSET.match(device_zone)
        if match:
            sign = 1 if match.group(1) == "+" else -1
            delta = dt.timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
            return device_zone, dt.timezone(sign * delta)
    return "UTC", dt.UTC


def _zoneinfo(name: str) -> dt.tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # unknown name or no tz database (Windows without tzdata)
        return None


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("date") or value.get("datetime") or "")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _code_or_text(value: Any) -> Any:
    text = _text(value)
    try:
        return int(text)
    except ValueError:
        return text


def converter(var: Variable) -> Converter:
    """JSON answer value → cell value for ``var`` (never called with None)."""
    if var.qtype == "dummy":
        code = var.name[len(var.parent) + 2:]
        return lambda v: int(code in v) if isinstance(v, list) else int(_text(v) == code)
    if var.qtype == "select_multiple":
        return _text
    if var.qtype == "select_one" and var.kind == INT:
        codes = {c.code: int(c.code) for c in var.codes}
        return lambda v: codes[v] if v in codes else _code_or_text(v)
    if var.kind == INT:
        return lambda v: v if type(v) is int else _code_or_text(v)
    if var.kind == NUM:
        return lambda v: v if isinstance(v, (int, float)) else _text(v)
    if var.kind == DATE:
        return _date
    if var.kind == ANY:
        return lambda v: v if isinstance(v, (int, float, str)) else _text(v)
    if var.kind == TEXT:
        return lambda v: v if type(v) is str else _text(v)
    return _text


class ConvertTable(dict):
    """answer value → cell value for one column: known codes looked up, the rest converted."""

    def __init__(self, var: Variable) -> None:
        super().__init__()
        if var.qtype == "select_one" and var.kind == INT:
            self.update({c.code: int(c.code) for c in var.codes})
        self.update(var.relabel)  # a choice name shown in the export language
        self[None] = None
        self.convert = converter(var)

    def __missing__(self, value: Any) -> Any:
        return self.convert(value)


def _date(value: Any) -> Any:
    text = value.get("date") if isinstance(value, dict) else value
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return _text(value)


def _utc(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(_FRACTION.sub("", text, count=1))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    if moment.utcoffset():
        return moment.astimezone(dt.UTC)
    return moment


def _local(moment: dt.datetime | None, tz: dt.tzinfo) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(tz).replace(tzinfo=None)


def _naive(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.replace(tzinfo=None)


class RowBuilder:
    """Builds the main row and the repeat rows of one interview."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        columns = layout.main.columns
        self.bulk_start = max(i for i, v in enumerate(columns) if v.qtype == "meta") + 1
        self.frame_plan = [(i, v.key, converter(v)) for i, v in enumerate(columns)
                           if i < self.bulk_start and v.qtype != "meta"]
        self.bulk_keys = [v.key for v in columns[self.bulk_start:]]
        self.bulk_tables = [ConvertTable(v) for v in columns[self.bulk_start:]]
        self.repeat_plans = [(t, self._plan(t, skip_meta=True)) for t in layout.repeats]
        self.width = len(layout.main.columns)
        self.frame_index = {n: layout.main.index[n] for n in ("city", "wave", "district",
                                                               "dong")}

    @staticmethod
    def _plan(table: Table, skip_meta: bool) -> list[tuple[int, str, Converter]]:
        return [(i, v.key, converter(v)) for i, v in enumerate(table.columns)
                if not (skip_meta and v.qtype == "meta")]

    def main_row(self, record: Any, payload: dict[str, Any], status: str) -> list[Any]:
        """Metadata and top-level answers of one interview."""
        get = (payload.get("answers") or {}).get
        try:
            bulk = list(map(dict.__getitem__, self.bulk_tables, map(get, self.bulk_keys)))
        except TypeError:  # a list or object answer (select_multiple, date): no fast path
            bulk = [None if v is None else t.convert(v)
                    for t, v in zip(self.bulk_tables, map(get, self.bulk_keys), strict=True)]
        row: list[Any] = [None] * self.bulk_start
        row += bulk
        for i, key, conv in self.frame_plan:
            value = get(key)
            if value is not None:
                row[i] = conv(value)
        city_at = self.frame_index["city"]
        city = row[city_at]
        if city is None:
            city = payload.get("city") or getattr(record, "city", "") or None
            row[city_at] = city
        zone_name, tz = zone(str(city or "").lower(), str(payload.get("time_zone") or ""))
        start = _utc(payload.get("created_utc"))
        end = _utc(payload.get("finalised_utc"))
        row[0] = payload.get("interview_id") or record.interview_id
        row[1] = payload.get("form_id") or record.form_id
        row[2] = payload.get("form_version") or record.form_version
        row[7:17] = [
            payload.get("enumerator") or getattr(record, "enumerator", "") or None,
            payload.get("device_id") or getattr(record, "device_id", "") or None,
            payload.get("language"), _naive(start), _naive(end), _local(start, tz),
            _local(end, tz), zone_name, status, int(getattr(record, "revision", 0) or
                                                    payload.get("revision") or 0)]
        return row

    def repeat_rows(self, interview_id: str, payload: dict[str, Any]
                    ) -> list[tuple[Table, list[list[Any]]]]:
        """Rows of every repeat sheet for one interview."""
        if not self.repeat_plans:
            return []
        answers = payload.get("answers") or {}
        counts = payload.get("repeat_counts") or {}
        out = []
        for table, plan in self.repeat_plans:
            rows = []
            for indices in _instances(table, counts):
                suffix = "".join(f"[{i}]" for i in indices)
                parent = interview_id
                if len(indices) > 1:
                    parent += "/" + _path_key(table.path, indices[:-1])
                row: list[Any] = [None] * len(table.columns)
                row[0], row[1] = parent, indices[-1]
                row[2] = interview_id + "/" + _path_key((*table.path, table.repeat), indices)
                for i, key, conv in plan:
                    value = answers.get(key + suffix)
                    if value is not None:
                        row[i] = conv(value)
                rows.append(row)
            out.append((table, rows))
        return out


def _path_key(names: tuple[str, ...], indices: tuple[int, ...]) -> str:
    return "/".join(f"{n}[{i}]" for n, i in zip(names, indices, strict=True))


def _instances(table: Table, counts: dict[str, int]) -> list[tuple[int, ...]]:
    levels = (*table.path, table.repeat)
    found: list[tuple[int, ...]] = [()]
    for name in levels:
        nxt = []
        for parent in found:
            key = name + "".join(f"[{i}]" for i in parent)
            nxt += [(*parent, i) for i in range(1, int(counts.get(key, 0)) + 1)]
        found = nxt
    return found
