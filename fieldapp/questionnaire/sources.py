"""Where a questionnaire comes from: its file (any XLSForm layout) and its media folder.

The file's *content* decides the reader, not its name: ``.xlsx``/``.xlsm`` (a zip),
``.xls`` (an OLE2 document; a ``.xls`` saved as ``.xlsx`` still opens), pyxform's markdown
and CSV layouts, and fieldapp's form package (below). Library warnings (openpyxl's
"Unknown extension is not supported", xlrd's diagnostics) never reach the terminal.

**Media folder.** Files a form refers to — images, audio and video for labels, CSV / XML /
GeoJSON choice lists, ``pulldata()`` and ``search()`` tables — sit in ``FORM-media/`` next
to the form file, as ODK Collect keeps them.

**Form package.** Installed forms travel as bytes (device store, hub, return bundles). A
form with media, or one that is not ``.xlsx``, travels as a zip holding
``fieldapp-form.json``, ``form/<file>`` and ``media/<file>`` for each media file, written
byte-for-byte reproducibly so the same form and media always give the same package (and the
same sha256). A plain ``.xlsx`` without media stays as it is.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from fieldapp.errors import FormError, FormIssue
from fieldapp.i18n import N_
from fieldapp.questionnaire import bounds
from fieldapp.questionnaire.attached_data import DataFileError, Table, read_table
from fieldapp.questionnaire.read_csv import decode_text, read_csv
from fieldapp.questionnaire.read_xls import OLE_MAGIC, read_xls
from fieldapp.questionnaire.reader import SheetRows, read_markdown, read_xlsx
from fieldapp.zip_errors import ZIP_READ_ERRORS

PACKAGE_MANIFEST = "fieldapp-form.json"
PACKAGE_FORMAT = 1
MEDIA_SUFFIX = "-media"
_ZIP_MAGIC = b"PK\x03\x04"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
#: A media file name: no folders, no leading dot, nothing a file system would interpret.
_SAFE_NAME = re.compile(r"^[^/\\:*?\"<>|\x00-\x1f]{1,200}$")
_MISSING_OR_DAMAGED: tuple[type[Exception], ...] = (KeyError, *ZIP_READ_ERRORS)
_BAD_PACKAGE: tuple[type[Exception], ...] = (TypeError, *_MISSING_OR_DAMAGED)
FORM_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".md")


class FormFiles(Protocol):
    """The media folder of a form: file names, and their bytes on demand."""

    def names(self) -> frozenset[str]:
        """Every file name in the folder."""
        ...

    def read(self, name: str) -> bytes | None:
        """The bytes of ``name``, or None when the folder has no such file."""
        ...

    def table(self, name: str) -> Table | None:
        """A CSV / XML / GeoJSON file as a table (cached), or None."""
        ...


class _Tables:
    """Parsed data files (CSV / XML / GeoJSON tables), read once per form."""

    def read(self, name: str) -> bytes | None:  # provided by the media classes
        raise NotImplementedError

    def table(self, name: str) -> Table | None:
        """The file ``name`` as a table; None when absent or unreadable."""
        cache: dict[str, Table | None] = self.__dict__.setdefault("_tables", {})
        if name not in cache:
            content = self.read(name)
            try:
                cache[name] = read_table(name, content) if content is not None else None
            except DataFileError:
                cache[name] = None
        return cache[name]


class NoFiles(_Tables):
    """A form without a media folder."""

    def names(self) -> frozenset[str]:
        """No files."""
        return frozenset()

    def read(self, name: str) -> bytes | None:
        """Nothing to read."""
        return None


class FolderFiles(_Tables):
    """A ``FORM-media/`` folder on disk (read when a file is asked for, bounded)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._names = frozenset(_list_folder(folder))

    def names(self) -> frozenset[str]:
        """Files in the folder (hidden files and sub-folders are not media)."""
        return self._names

    def read(self, name: str) -> bytes | None:
        """The file's bytes; None if absent or larger than the media bound."""
        if name not in self._names:
            return None
        path = self.folder / name
        try:
            if path.stat().st_size > bounds.MAX_MEDIA_FILE_BYTES:
                return None
            return path.read_bytes()
        except OSError:
            return None


class PackageFiles(_Tables):
    """The ``media/`` members of an installed form package."""

    def __init__(self, archive: zipfile.ZipFile, names: frozenset[str]) -> None:
        self._zip = archive
        self._names = names

    def names(self) -> frozenset[str]:
        """Media files in the package."""
        return self._names

    def read(self, name: str) -> bytes | None:
        """A media file's bytes (checked against its declared size)."""
        if name not in self._names:
            return None
        try:
            return self._zip.read(f"media/{name}")
        except _MISSING_OR_DAMAGED:
            return None


def _list_folder(folder: Path) -> Iterator[str]:
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    for count, entry in enumerate(entries):
        if count >= bounds.MAX_MEDIA_FILES:
            return
        if entry.is_file() and not entry.name.startswith(".") and _SAFE_NAME.match(entry.name):
            yield entry.name


def media_folder(path: Path) -> Path:
    """``FORM-media/`` next to ``FORM.xlsx``."""
    return path.with_name(path.stem + MEDIA_SUFFIX)


def read_bounded(path: Path) -> bytes:
    """A form file's bytes; one-line errors for a missing, unreadable or oversized file."""
    try:
        bounds.check_file_size(str(path), path.stat().st_size)
        return path.read_bytes()
    except FileNotFoundError:
        raise FormError(str(path), [FormIssue(N_("file not found"),
                                              code="form.file-not-found")]) from None
    except IsADirectoryError:
        raise FormError(str(path), [FormIssue(N_("is a folder, not a questionnaire file"),
                                              code="form.folder-not-questionnaire-file")]) from None
    except OSError as exc:
        raise FormError(str(path), [FormIssue(
            N_("cannot read the file ({value})"),
            code="form.cannot-read-file",
            fields={"value": exc.strerror or type(exc).__name__})]) from None


def is_package(content: bytes) -> bool:
    """True for a fieldapp form package (a zip whose manifest is fieldapp's)."""
    if not content.startswith(_ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return PACKAGE_MANIFEST in archive.namelist()
    except ZIP_READ_ERRORS:
        return False


def read_rows(name: str, content: bytes) -> SheetRows:
    """The sheet rows of a questionnaire file's bytes, whatever its layout."""
    try:
        return _read_rows(name, content)
    except FormError:
        raise
    except Exception as exc:  # a damaged file: zlib, XML, OLE or openpyxl errors of all kinds
        raise FormError(name, [FormIssue(
            N_("not a readable questionnaire file ({name__})"),
            hint=N_("open it in Excel or LibreOffice and save it again as .xlsx"),
            code="form.not-readable-questionnaire-file",
            fields={"name__": type(exc).__name__})]) from None


def _read_rows(name: str, content: bytes) -> SheetRows:
    bounds.check_file_size(name, len(content))
    suffix = Path(name).suffix.lower()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl / xlrd chatter is not the user's business
        if content.startswith(OLE_MAGIC):
            return read_xls(name, content)
        if content.startswith(_ZIP_MAGIC):
            return read_xlsx(name, content)  # bounded there (limits.check_archive)
        if suffix in (".xlsx", ".xlsm", ".xls"):
            raise FormError(name, [FormIssue(
                N_("not a readable {suffix} workbook (it is neither a zip nor an OLE2 file)"),
                hint=N_("save it as an Excel .xlsx workbook"),
                code="form.not-readable-workbook-neither", fields={"suffix": suffix})])
        text = decode_text(name, content)
        if suffix == ".md" or (suffix != ".csv" and text.lstrip().startswith("|")):
            return read_markdown(text, name)
        if suffix == ".csv" or "," in text.split("\n", 1)[0]:
            return read_csv(name, content)
    raise FormError(name, [FormIssue(
        N_("not a questionnaire file"), hint=N_("use an XLSForm as {join}"),
        code="form.not-questionnaire-file", fields={"join": ', '.join(FORM_SUFFIXES)})])


# -- packages ---------------------------------------------------------------------------------
def media_files(path: Path) -> FormFiles:
    """The media folder of the form file at ``path`` (NoFiles when there is none)."""
    folder = media_folder(path)
    return FolderFiles(folder) if folder.is_dir() else NoFiles()


def package(path: Path, content: bytes, files: FormFiles) -> bytes:
    """The bytes to install: the ``.xlsx`` itself, or a package with its media."""
    names = sorted(files.names())
    if not names and content.startswith(_ZIP_MAGIC) and not is_package(content):
        return content
    total = 0
    media: dict[str, bytes] = {}
    for name in names:
        data = files.read(name)
        if data is None:
            raise FormError(str(path), [FormIssue(
                N_("media file '{name}' cannot be read or is larger than {megabytes}"), "media",
                code="form.media-file-cannot-read",
                fields={"name": name, "megabytes": bounds.megabytes(bounds.MAX_MEDIA_FILE_BYTES)})])
        total += len(data)
        if total > bounds.MAX_MEDIA_TOTAL_BYTES:
            raise bounds.refuse(str(path), N_("refused: the media folder is larger than "
                                              "{megabytes}"),
                                code="form.refused-media-folder-larger",
                                fields={"megabytes":
                                        bounds.megabytes(bounds.MAX_MEDIA_TOTAL_BYTES)})
        media[name] = data
    manifest = {"format": PACKAGE_FORMAT, "form": path.name,
                "media": {n: hashlib.sha256(d).hexdigest() for n, d in media.items()}}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, PACKAGE_MANIFEST, json.dumps(manifest, sort_keys=True,
                                                   ensure_ascii=False).encode())
        _add(archive, f"form/{path.name}", content)
        for name, data in media.items():
            _add(archive, f"media/{name}", data)
    return out.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)


def unpack(name: str, content: bytes) -> tuple[str, bytes, FormFiles]:
    """(form file name, form bytes, media) of installed form bytes (a package or a bare
    ``.xlsx``); FormError when a package is damaged."""
    if not is_package(content):
        return name, content, NoFiles()
    problem = FormError(name, [FormIssue(N_("the installed form package is damaged"),
                                         hint=N_("install the questionnaire again"),
                                         code="form.installed-form-package-damaged")])
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        manifest = json.loads(archive.read(PACKAGE_MANIFEST))
        form_name = str(manifest["form"])
        declared = dict(manifest.get("media") or {})
        infos = {i.filename: i for i in archive.infolist()}
        if sum(i.file_size for i in infos.values()) > bounds.LIMITS.max_unpacked \
                + bounds.MAX_MEDIA_TOTAL_BYTES:
            raise problem
        form_bytes = archive.read(f"form/{form_name}")
    except _BAD_PACKAGE:
        raise problem from None
    if manifest.get("format") != PACKAGE_FORMAT or "/" in form_name:
        raise problem
    names = frozenset(n for n in declared if f"media/{n}" in infos and _SAFE_NAME.match(n))
    return form_name, form_bytes, PackageFiles(archive, names)
