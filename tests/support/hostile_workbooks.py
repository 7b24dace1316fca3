"""Hostile questionnaire workbooks built from a real one: a zip bomb, too many rows, a cell
far to the right, a member that lies about its size (for the bounded-reading tests and bench)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def _members(workbook: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def survey_part(workbook: bytes) -> str:
    """The name of the survey sheet's part (the first worksheet written by openpyxl)."""
    names = [info.filename for info, _ in _members(workbook)]
    return next(n for n in names if n.startswith("xl/worksheets/sheet"))


def with_sheet_rows(workbook: bytes, part: str, extra_rows: bytes, repeat: int) -> bytes:
    """``workbook`` with ``extra_rows`` appended ``repeat`` times inside ``part``'s sheetData,
    streamed through the compressor (a 256 MiB sheet costs ~1 MB on disk)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info, data in _members(workbook):
            if info.filename != part:
                target.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>", 1)
            big = zipfile.ZipInfo(info.filename, info.date_time)
            big.compress_type = zipfile.ZIP_DEFLATED
            with target.open(big, "w", force_zip64=True) as handle:
                handle.write(head)
                for _ in range(repeat):
                    handle.write(extra_rows)
                handle.write(b"</sheetData>" + tail)
    return out.getvalue()


def zip_bomb(workbook: bytes, unpacked_mib: int = 256) -> bytes:
    """The survey sheet padded with blank-ish rows until it unpacks to ``unpacked_mib``."""
    row = b'<row r="9"><c r="A9" t="inlineStr"><is><t>x</t></is></c></row>' * 64
    return with_sheet_rows(workbook, survey_part(workbook), row,
                           (unpacked_mib << 20) // len(row))


def many_rows(workbook: bytes, rows: int = 30_000) -> bytes:
    """A survey sheet with ``rows`` more (numbered) rows: small on disk, too many to read."""
    part = survey_part(workbook)
    body = b"".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>n</t></is></c></row>'
                    .encode() for r in range(1000, 1000 + rows))
    return with_sheet_rows(workbook, part, body, 1)


def far_cell(workbook: bytes) -> bytes:
    """A cell in column XFD (16,384) of the survey sheet, right below the questionnaire."""
    part = survey_part(workbook)
    row = b'<row r="9"><c r="XFD9" t="inlineStr"><is><t>far</t></is></c></row>'
    return with_sheet_rows(workbook, part, row, 1)


def lying_size(workbook: bytes) -> bytes:
    """The survey part declares 100 bytes but unpacks to far more (a header that lies)."""
    part = survey_part(workbook)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info, data in _members(workbook):
            if info.filename == part:
                data = data.replace(b"</sheetData>", b"<row r='900'/>" * 50_000 +
                                    b"</sheetData>")
            target.writestr(info.filename, data)
    raw = bytearray(out.getvalue())
    # rewrite the part's sizes in its local and central headers to 100 bytes
    name = part.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := raw.find(signature, at)) != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at:name_at + len(name)] == name:
                raw[at + offset:at + offset + 4] = (100).to_bytes(4, "little")
            at += 4
    return bytes(raw)


def write(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` and return it."""
    path.write_bytes(content)
    return path


def patched_directory(workbook: bytes, offset: int, value: bytes) -> bytes:
    """``workbook`` with bytes at ``offset`` of every central-directory entry replaced.

    Offsets: 6 = version needed to extract, 8 = flags (bit 0: encrypted), 10 = compression
    method; ``zipfile`` answers these with ``NotImplementedError`` or ``RuntimeError``.
    """
    out = bytearray(workbook)
    start = 0
    while (at := out.find(b"PK\x01\x02", start)) != -1:
        out[at + offset:at + offset + len(value)] = value
        start = at + 4
    return bytes(out)


def biff_workbook(rows: int, columns: int) -> bytes:
    """A bare BIFF8 workbook stream (xlrd reads one without its OLE2 wrapper) whose 'survey'
    sheet holds ``rows`` x ``columns`` number cells: the ``.xls`` form of a cell bomb."""
    import struct

    def record(code: int, data: bytes = b"") -> bytes:
        return struct.pack("<HH", code, len(data)) + data

    def bof(kind: int) -> bytes:
        return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 0))

    name = "survey".encode("latin-1")
    sheet = bof(0x0010) + b"".join(
        record(0x0203, struct.pack("<HHHd", r, c, 0, float(c))) for r in range(rows)
        for c in range(columns)) + record(0x000A)
    boundsheet_size = 4 + 8 + len(name)
    start = len(bof(0x0005)) + boundsheet_size + 4  # globals: BOF, BOUNDSHEET, EOF
    globals_ = bof(0x0005) + record(0x0085, struct.pack("<IBBBB", start, 0, 0, len(name), 0)
                                    + name) + record(0x000A)
    assert len(globals_) == start
    return globals_ + sheet
