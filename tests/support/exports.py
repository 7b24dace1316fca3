"""Shared helpers for the export/merge tests (no tests here): a small real questionnaire with
scales, select_multiple, dates, CJK text and nested repeats; devices that record it."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from fieldapp.answers_file import apply_answers
from fieldapp.export.run import ExportOptions, ExportResult, export
from fieldapp.export.source import DeviceSource
from tests.support.devices import Project, make_device, open_session
from tests.support.formtools import md_to_xlsx

FORM_MD = """
| survey |
| | type | name | label::English (en) | label::Korean (ko) | label::Japanese (ja) | score | domain | missing | source | bands |
| | start | start | | | | | | | | |
| | end | end | | | | | | | | |
| | begin group | DEM | Frame | 틀 | 枠 | | | | | |
| | select_one city | city | City | 도시 | 都市 | | | | test | |
| | select_one wave | wave | Wave | 조사 | 調査 | | | | test | |
| | text | dong | Dong | 동 | 洞 | | | | test | |
| | end group | | | | | | | | | |
| | begin group | ANX | Anxiety | 불안 | 不安 | | | | seed L508 | |
| | select_one anx4 | ANX1 | Competition | 경쟁 | 競争 | scale | work | | seed L508 | 1-2¦3-4 |
| | select_one anx4 | ANX2 | Family | 가족 | 家族 | scale | family | | seed L508 | |
| | select_one anx4 | ANX3 | Economy | 경제 | 経済 | scale | family | | seed L508 | |
| | end group | | | | | | | | | |
| | begin group | OTHER | Other | 기타 | その他 | | | | | |
| | select_one yes_no | PAR1 | Voted | 투표 | 投票 | | | | | |
| | select_multiple media | MEDIA | Media | 매체 | 媒体 | | | | | |
| | integer | NBR01 | Neighbours | 이웃 | 近所 | count | | 998 999 | | 0¦1-10¦11+ |
| | date | BORN | Birth date | 생년월일 | 生年月日 | | | | | |
| | text | NOTE | Comment | 의견 | 意見 | | | | | |
{v2}| | end group | | | | | | | | | |
| | begin repeat | hh | Household | 가구 | 世帯 | | | | | |
| | text | m_name | Name | 이름 | 名前 | | | | | |
| | integer | m_age | Age | 나이 | 年齢 | | | | | |
| | begin repeat | meds | Medicine | 약 | 薬 | | | | | |
| | text | med | Medicine name | 약 이름 | 薬の名前 | | | | | |
| | end repeat | | | | | | | | | |
| | end repeat | | | | | | | | | |
| choices |
| | list_name | name | label::English (en) | label::Korean (ko) | label::Japanese (ja) | missing |
| | anx4 | 1 | Not at all | 전혀 | 全く | |
| | anx4 | 2 | A little | 조금 | 少し | |
| | anx4 | 3 | Somewhat | 다소 | やや | |
| | anx4 | 4 | Very | 매우 | とても | |
| | anx4 | 98 | Don't know | 모름 | 分からない | yes |
| | anx4 | 99 | Refused | 거절 | 拒否 | yes |
| | yes_no | 1 | Yes | 예 | はい | |
| | yes_no | 2 | No | 아니요 | いいえ | |
| | yes_no | 98 | Don't know | 모름 | 分からない | yes |
| | media | tv | Television | 텔레비전 | テレビ | |
| | media | radio | Radio | 라디오 | ラジオ | |
| | media | web | Internet | 인터넷 | ネット | |
| | city | seoul | Seoul | 서울 | ソウル | |
| | city | beijing | Beijing | 베이징 | 北京 | |
| | city | tokyo | Tokyo | 도쿄 | 東京 | |
| | wave | 2015 | 2015 | 2015 | 2015 | |
| | wave | 2016 | 2016 | 2016 | 2016 | |
| settings |
| | form_id | version | form_title | default_language |
| | export_test | {version} | Export test | English (en) |
"""
V2_LINE = "| | integer | NEW2 | Added in v2 | v2 추가 | v2追加 | | | | | |\n"
CHANGED_LINE = "| | text | NBR01 | Neighbours | 이웃 | 近所 | | | | | |\n"


def make_form(folder: Path, version: str = "1", *, v2: bool = False,
              nbr_text: bool = False, paper: bool = False) -> Path:
    """The test questionnaire as a real .xlsx (v2 adds NEW2; nbr_text makes NBR01 text;
    paper adds a fourth MEDIA choice)."""
    folder.mkdir(parents=True, exist_ok=True)
    md = FORM_MD.replace("{version}", version).replace("{v2}", V2_LINE if v2 else "")
    if paper:
        md = md.replace("| | media | web | Internet | 인터넷 | ネット | |\n",
                        "| | media | web | Internet | 인터넷 | ネット | |\n"
                        "| | media | paper | Newspaper | 신문 | 新聞 | |\n")
    if nbr_text:
        md = md.replace("| | integer | NBR01 | Neighbours | 이웃 | 近所 | count | | 998 999 | | "
                        "0¦1-10¦11+ |\n", CHANGED_LINE)
    suffix = "_paper" if paper else ""
    path = md_to_xlsx(md, folder / f"export_test_v{version}{suffix}.xlsx")
    # markdown cells cannot hold "|": the bands are written with "¦" and put right here
    book = openpyxl.load_workbook(path)
    for row in book["survey"].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "¦" in cell.value:
                cell.value = cell.value.replace("¦", "|")
    book.save(path)
    return path


BASE = {"city": "seoul", "wave": "2015", "dong": "성산1동", "ANX1": 3, "ANX2": 4, "ANX3": 98,
        "PAR1": 1, "MEDIA": ["tv", "web"], "NBR01": 12, "BORN": "1980-05-06",
        "NOTE": "안녕 北京 東京 😀", "hh": [
            {"m_name": "김철수", "m_age": 44, "meds": [{"med": "아스피린"}, {"med": "薬"}]},
            {"m_name": "李明", "m_age": 12}]}


def record_all(data: Path, form_path: Path, interviews: list[dict[str, Any]],
               language: str = "ko") -> list[str]:
    """Record and finalise each answers dict on the device; returns interview ids."""
    ids = []
    with open_session(data) as session:
        form = session.install_form(form_path)
        for answers in interviews:
            recording = session.start_interview(form, language=language)
            apply_answers(recording, answers)
            ids.append(recording.finalise())
    return ids


def device_with(root: Path, project: Project, form_path: Path, interviews: list[dict],
                *, city: str = "seoul", name: str = "dev") -> tuple[Path, list[str]]:
    """A device in ``root/name`` with ``interviews`` recorded and finalised."""
    data = make_device(root / name, project, city=city, forms=[form_path])
    return data, record_all(data, form_path, interviews)


def export_device(data: Path, project: Project, out: Path, **options: Any) -> ExportResult:
    """Export a device's finalised interviews with the project key."""
    from fieldapp.session import DATABASE_FILE
    from fieldapp.storage.store import Store

    options.setdefault("workers", 0)
    with Store.open(data / DATABASE_FILE) as store:
        return export(DeviceSource(store), project.private_key,
                      ExportOptions(out=out, **options))


def sheet_xml(path: Path) -> dict[str, str]:
    """Every worksheet part of an .xlsx as text."""
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist()
                if n.startswith("xl/worksheets/") and n.endswith(".xml")}


def calamine_sheet(path: Path, name: str) -> list[dict[str, Any]]:
    """Rows of a sheet as dicts (read by python-calamine, an independent reader)."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]
