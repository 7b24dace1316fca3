"""Generate the shipped XLSForm questionnaires from the readable sources.

Run from the repository root::

    .venv/bin/python tools/author_questionnaires.py            # writes questionnaires/*.xlsx
                                                               # and questionnaires/examples/
    .venv/bin/python tools/author_questionnaires.py --out DIR  # writes elsewhere

All wording (four languages) lives in ``tools/questionnaires_src/``; the workbooks are a
build product and must not be edited by hand.  Output is byte-for-byte reproducible (fixed
zip and document timestamps), so re-running without source changes changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

sys.path.insert(0, str(Path(__file__).resolve().parent))

from questionnaires_src import dem, example_roster, neighbourhood, risk, three_city
from questionnaires_src.core import (
    CHOICE_EXTRA_COLUMNS,
    LANG_NAMES,
    LANGS,
    SURVEY_COLUMNS,
    TRANSLATED,
    VERSION,
    ChoiceList,
    Group,
    Row,
    T,
    Text,
    metadata,
    note,
)

ROOT = Path(__file__).resolve().parent.parent
FIXED_TIME = dt.datetime(2026, 12, 3, 0, 0, 0)

END_NOTE = T(
    "End of the interview. Thank you very much for your time.",
    "조사가 모두 끝났습니다. 시간 내어 응답해 주셔서 대단히 감사합니다.",
    "访问到此结束。非常感谢您抽出宝贵时间！",
    "以上で調査は終わりです。ご協力いただき、誠にありがとうございました。",
)


#: Form titles in en / ko / zh / ja. ``form_title`` is the English one; the others go in
#: ``title_translated::<language>`` settings columns (pyxform 4.5 ignores those, and crashes
#: on ``form_title::<language>``), which the app shows in the screen language.
TITLES = {
    "three_city_2012": T(
        "Three-city survey 2012 (Seoul, Beijing, Tokyo)",
        "2012 3개 도시 조사 (서울·베이징·도쿄)",
        "2012年三城市调查（首尔、北京、东京）",
        "2012年 3都市調査（ソウル・北京・東京）"),
    "neighbourhood_panel": T(
        "Neighbourhood panel (Seoul Dong panel 2015-2016, with China and Japan add-ons)",
        "동네 패널 조사 (서울 동 패널 2015-2016, 중국·일본 추가 문항 포함)",
        "社区追踪调查（首尔洞追踪调查2015–2016，含中国、日本附加题）",
        "地域パネル調査（ソウル洞パネル2015～2016、中国・日本の追加項目付き）"),
    "risk_governance_2015": T(
        "Risk governance survey 2015 (Seoul)",
        "2015 위험 거버넌스 조사 (서울)",
        "2015年风险治理调查（首尔）",
        "2015年 リスク・ガバナンス調査（ソウル）"),
    "example_household_roster": T(
        "EXAMPLE ONLY: household roster (not one of the network's instruments)",
        "예시 전용: 가구원 명부 (연구 네트워크의 조사 도구가 아님)",
        "仅为示例：家庭成员名册（不属于研究网络的调查工具）",
        "例示専用：世帯員名簿（研究ネットワークの調査票ではありません）"),
}


@dataclass
class Form:
    form_id: str
    title: Text
    rows: list[Row]
    folder: str = ""  # "examples": not one of the network's instruments


def _assemble(topic: dict[str, str], dem_group: Group, modules: list[Group]) -> list[Row]:
    rows = dem.intro(topic) + dem_group.flatten()
    for group in modules:
        rows += group.flatten()
    rows.append(note("CLOSING", END_NOTE, source="authored (closing note)"))
    return rows


def forms() -> list[Form]:
    return [
        Form("three_city_2012", TITLES["three_city_2012"], _assemble(
            three_city.TOPIC, dem.dem_group(three_city.WAVE, wave_default="2012"),
            three_city.modules())),
        Form("neighbourhood_panel", TITLES["neighbourhood_panel"], _assemble(
            neighbourhood.TOPIC, dem.dem_group(neighbourhood.WAVE),
            neighbourhood.modules())),
        Form("risk_governance_2015", TITLES["risk_governance_2015"], _assemble(
            risk.TOPIC, dem.dem_group(risk.WAVE, seoul_only=True, wave_default="201510"),
            risk.modules())),
        Form("example_household_roster", TITLES["example_household_roster"],
             [*metadata(), *example_roster.rows(),
              note("CLOSING", END_NOTE, source="authored (closing note)")],
             folder="examples"),
    ]


def _header() -> list[str]:
    cols: list[str] = []
    for col in SURVEY_COLUMNS:
        if col in TRANSLATED:
            cols += [f"{col}::{LANG_NAMES[lang]}" for lang in LANGS]
        else:
            cols.append(col)
    return cols


def _cells(row: Row) -> list[str]:
    out: list[str] = []
    for col in SURVEY_COLUMNS:
        value = row.get(col)
        if col in TRANSLATED:
            texts = value or {}
            assert not texts or set(texts) == set(LANGS), (row["name"], col)
            out += [texts.get(lang, "") for lang in LANGS]
        else:
            out.append("" if value is None else str(value))
    return out


def _choice_lists(rows: list[Row]) -> list[ChoiceList]:
    seen: dict[str, ChoiceList] = {}
    for row in rows:
        lst = row.get("_list")
        if isinstance(lst, ChoiceList):
            if lst.name in seen and seen[lst.name] != lst:
                raise ValueError(f"two different choice lists are called {lst.name!r}")
            seen.setdefault(lst.name, lst)
    return list(seen.values())


def _check_names(form: Form) -> None:
    names = [r["name"] for r in form.rows if r["type"] not in ("end group", "end repeat")]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ValueError(f"{form.form_id}: duplicate names {sorted(dupes)}")


def build_workbook(form: Form) -> Workbook:
    _check_names(form)
    wb = Workbook()
    bold = Font(bold=True)
    survey = wb.active
    survey.title = "survey"
    survey.append(_header())
    for row in form.rows:
        survey.append(_cells(row))

    sheet = wb.create_sheet("choices")
    sheet.append(["list_name", "name", *(f"label::{LANG_NAMES[lang]}" for lang in LANGS),
                  *CHOICE_EXTRA_COLUMNS])
    for lst in _choice_lists(form.rows):
        for c in lst.choices:
            sheet.append([lst.name, c.name, *(c.label[lang] for lang in LANGS),
                          "yes" if c.missing else "", "yes" if c.inferred else "", c.city])

    settings = wb.create_sheet("settings")
    others = [lang for lang in LANGS if lang != "en"]
    settings.append(["form_id", "form_title", "version", "default_language",
                     *(f"title_translated::{LANG_NAMES[lang]}" for lang in others)])
    settings.append([form.form_id, form.title["en"], VERSION, LANG_NAMES["en"],
                     *(form.title[lang] for lang in others)])

    for ws in wb.worksheets:
        ws.freeze_panes = "A2"
        for cell in ws[1]:
            cell.font = bold
    wb.properties.creator = "tools/author_questionnaires.py"
    wb.properties.created = FIXED_TIME
    return wb


def save_reproducible(wb: Workbook, path: Path) -> None:
    """Save with fixed zip-entry dates and document timestamps (byte-identical reruns)."""
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(),
                              data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)


def write_all(out_dir: Path) -> list[Path]:
    paths = []
    for form in forms():
        folder = out_dir / form.folder
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{form.form_id}.xlsx"
        save_reproducible(build_workbook(form), path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "questionnaires",
                        help="output directory (default: questionnaires/)")
    args = parser.parse_args(argv)
    for path in write_all(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
