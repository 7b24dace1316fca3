"""Files attached as answers (``image``, ``audio``, ``video``, ``file`` questions).

The answer itself is the stored file name, ``<question>-<sha256 prefix><.ext>``; the bytes
travel in an encrypted ``attachment`` event of the interview (never a plaintext file on the
laptop) and, once finalised, in the sealed payload's ``attachments`` object (name →
base64), so bundles, the hub and return bundles carry them with no format of their own.
Export writes them as files next to the data and lists them; they are never inlined into a
cell.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldapp.i18n import N_
from fieldapp.interview.errors import AnswerError
from fieldapp.questionnaire.model import Question
from fieldapp.vocabulary import EventKind

#: Largest file attached to one answer.
MAX_ATTACHMENT_BYTES = 32 << 20
#: The media kind a question type accepts when the form gives no ``body::accept``.
KIND_OF_TYPE = {"image": "image", "audio": "audio", "video": "video", "file": ""}
_UNSAFE = re.compile(r"[^\w.\-]+")


class AttachmentError(AnswerError):
    """A file cannot be attached to this question (names the question and file, not data)."""


@dataclass(frozen=True)
class Attachment:
    """An attached file: its stored name, bytes and digest."""

    name: str
    data: bytes
    sha256: str
    original: str = ""

    def event_payload(self) -> dict[str, Any]:
        """What the encrypted ``attachment`` event holds."""
        return {"name": self.name, "sha256": self.sha256, "size": len(self.data),
                "original": self.original, "data": base64.b64encode(self.data).decode()}


def stored_name(key: str, data: bytes, original: str) -> str:
    """``hh_photo-1-3fa2c9d0e1b2.jpg`` for answer key ``hh_photo[1]``."""
    stem = _UNSAFE.sub("-", key.replace("[", "-").replace("]", "")).strip("-") or "file"
    suffix = Path(original).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"


def accepts(question: Question, file_name: str) -> bool:
    """True when the question takes a file of this name (its kind, or ``body::accept``)."""
    accept = question.body.get("accept", "").strip()
    mime = mimetypes.guess_type(file_name)[0] or ""
    suffix = Path(file_name).suffix.lower()
    if accept:
        for pattern in (p.strip().lower() for p in accept.split(",")):
            if pattern.startswith(".") and suffix == pattern:
                return True
            if pattern.endswith("/*") and mime.startswith(pattern[:-1]):
                return True
            if pattern and pattern == mime:
                return True
        return False
    kind = KIND_OF_TYPE.get(question.type, "")
    return not kind or mime.startswith(kind + "/")


def read_attachment(question: Question, key: str, source: Path | str) -> Attachment:
    """Read a file for the answer at ``key``; one-line errors for what cannot be attached."""
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise AttachmentError(key, N_("{file}: the file is larger than {size} MB"),
                                  code="attachments.file-larger-than-mb", file=path.name,
                                  size=MAX_ATTACHMENT_BYTES >> 20)
        if not accepts(question, path.name):
            raise AttachmentError(key, N_("{file}: this question does not take a file of "
                                          "this type"),
                                  code="attachments.question-does-not-take", file=path.name)
        data = path.read_bytes()
    except FileNotFoundError:
        raise AttachmentError(key, N_("{file}: file not found"),
                              code="attachments.file-not-found", file=path) from None
    except IsADirectoryError:
        raise AttachmentError(key, N_("{file}: a folder cannot be attached"),
                              code="attachments.folder-cannot-attached", file=path) from None
    except OSError as exc:
        raise AttachmentError(key, N_("{file}: cannot read the file ({reason})"),
                              code="attachments.cannot-read-file", file=path,
                              reason=exc.strerror or type(exc).__name__) from None
    return Attachment(stored_name(key, data, path.name), data,
                      hashlib.sha256(data).hexdigest(), path.name)


def lift_attachments(payload: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The sealed payload with attachment bytes moved out of the paradata into
    ``attachments`` (name → base64), keeping only files an answer still names; the
    paradata keeps each attachment's name, size and digest. ``paradata`` stays last."""
    wanted = set(names)
    files: dict[str, str] = {}
    paradata = []
    for event in payload.get("paradata", []):
        if event.get("kind") == EventKind.ATTACHMENT and "data" in event:
            event = dict(event)
            data = event.pop("data")
            if event.get("name") in wanted:
                files[str(event["name"])] = data
        paradata.append(event)
    out = {k: v for k, v in payload.items() if k != "paradata"}
    out["attachments"] = files
    out["paradata"] = paradata
    return out


def attachment_names(form_questions: Iterable[Question], answers: dict[str, Any]) -> set[str]:
    """File names the attachment answers of an interview hold."""
    kinds = {q.name for q in form_questions if q.type in KIND_OF_TYPE}
    names = set()
    for key, value in answers.items():
        if key.split("[", 1)[0] in kinds and isinstance(value, str):
            names.add(value)
    return names


def decode(files: dict[str, Any] | None) -> dict[str, bytes]:
    """name → bytes of a payload's ``attachments`` (bad entries skipped)."""
    out = {}
    for name, data in (files or {}).items():
        try:
            out[str(name)] = base64.b64decode(str(data), validate=True)
        except (ValueError, TypeError):
            continue
    return out
