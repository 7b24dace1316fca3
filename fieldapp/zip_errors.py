"""Every exception the standard ``zipfile`` module raises on a damaged or hostile archive.

``zipfile`` does not wrap its failures in one class: besides ``BadZipFile`` it raises
``NotImplementedError`` (a newer zip version or an unknown compression method),
``RuntimeError`` (an encrypted member), ``zlib.error``/``EOFError`` (a torn deflate
stream), ``struct.error``, ``ValueError`` and ``OSError``. Readers of untrusted zips
catch this tuple so that damaged bytes become the reader's own error, never a crash.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

ZIP_READ_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
    struct.error, NotImplementedError, RuntimeError, UnicodeDecodeError,
)
