"""``fieldapp record|list|show|discard``: headless interviews on a device.

``record`` and ``discard`` write (they take the device's writer lock); ``list`` and ``show``
only read and run alongside the desktop app.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fieldapp.commands.device import add_data_arg
from fieldapp.commands.secrets import DEVICE, KEY_ENV, PROJECT_KEY, naming, passphrase
from fieldapp.crypto import load_project_private_key
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_, _
from fieldapp.paths import data_dir
from fieldapp.vocabulary import DEVICE_STATUSES, Status

if TYPE_CHECKING:  # the session (and storage) load only when a command runs
    from fieldapp.session import FieldSession

def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``record``, ``list``, ``show`` and ``discard``."""
    record = subparsers.add_parser("record", help="record an interview from ANSWERS.json")
    add_data_arg(record)
    record.add_argument("--form", required=True, type=Path, metavar="FORM.xlsx")
    record.add_argument("--answers", required=True, type=Path, metavar="ANSWERS.json")
    record.add_argument("--interview", metavar="ID", help="continue this draft")
    record.add_argument("--finalise", "--finalize", dest="finalise", action="store_true",
                        help="check completeness and seal it for the supervisor")
    record.set_defaults(func=cmd_record)
    listing = subparsers.add_parser("list", help="interviews on the device, with status")
    add_data_arg(listing)
    listing.add_argument("--status", choices=[s.value for s in DEVICE_STATUSES])
    listing.set_defaults(func=cmd_list)
    show = subparsers.add_parser("show", help="print a draft's answers (or, with the project "
                                              "key, a finalised interview); never writes")
    add_data_arg(show)
    show.add_argument("interview_id", metavar="INTERVIEW_ID")
    show.add_argument("--key", type=Path, metavar="project.key",
                      help="supervisor: open a sealed interview with the project key")
    show.set_defaults(func=cmd_show)
    discard = subparsers.add_parser(
        "discard", help="discard a draft (kept sealed and reported to the supervisor)")
    add_data_arg(discard)
    discard.add_argument("interview_id", metavar="INTERVIEW_ID")
    discard.add_argument("--reason", required=True, help="why it is discarded")
    discard.set_defaults(func=cmd_discard)


def _open(args: argparse.Namespace, *, read_only: bool = False,
          program: str = "fieldapp") -> FieldSession:
    from fieldapp.session import FieldSession

    with naming(DEVICE):
        return FieldSession.open(data_dir(args.data), passphrase("Device passphrase"),
                                 read_only=read_only, program=program)


def shown_value(value: object) -> str:
    """An answer as people write it: dates in ISO form, several choices space-separated."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return " ".join(str(v) for v in value)
    if value is None:
        return "-"
    return str(value)


def cmd_record(args: argparse.Namespace) -> int:
    """Record (and optionally finalise) an interview; prints its id."""
    with _open(args, program="fieldapp record") as session:
        interview = session.resolve_id(args.interview) if args.interview else None
        print(session.record_answers(args.form, args.answers, interview_id=interview,
                                     finalise=args.finalise, warn=_warn))
    return 0


def _warn(line: str) -> None:
    print(_("warning: {text}").format(text=line), file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> int:
    """One line per interview: id, form and version, status, revision, last change and the
    case label (the form's instance_name), when it has one."""
    with _open(args, read_only=True) as session:
        records = session.list_interviews(args.status)
        for r in records:
            when = r.updated_utc.astimezone().strftime("%Y-%m-%d %H:%M")
            label = session.case_label(r)
            print(f"{r.interview_id}  {r.form_id} v{r.form_version}  "
                  f"{session.status_of(r):<9}  "
                  f"rev {r.revision}  {when}" + (f"  {label}" if label else ""))
        if not records:
            print(_("no interviews"))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print answers as ``key = value`` lines and the supervisor's comment (nothing is
    written)."""
    with _open(args, read_only=True) as session:
        record = session.interview(session.resolve_id(args.interview_id))
        status = session.status_of(record)
        damaged: list[str] = []
        if record.status == Status.DRAFT:
            engine, events = session.read_draft(record.interview_id)
            answers, language = dict(engine.answers), engine.language
            damaged = [f"{d.kind}:{d.question or '-'}#{d.position}" for d in events.damaged]
        else:
            if args.key is None:
                raise FieldAppError(N_("interview {id} is {status} and sealed to the project "
                                       "key: only a supervisor can open it (--key "
                                       "project.key)"), code="interview.sealed",
                                    id=record.interview_id, status=record.status)
            with naming(PROJECT_KEY, KEY_ENV, args.key):
                private = load_project_private_key(args.key, passphrase(
                    "Project key passphrase", env=KEY_ENV, what=PROJECT_KEY))
            payload = session.open_sealed(record.interview_id, private)
            from fieldapp.interview.values import from_json

            answers = {k: from_json(v) for k, v in payload["answers"].items()}
            language = payload["language"]
            damaged = [f"{d['kind']}:{d['question'] or '-'}#{d['position']}"
                       for d in payload.get("damaged_events", [])]
        head = _("interview {id}  {form} v{version}  {status}  rev {revision}").format(
            id=record.interview_id, form=record.form_id, version=record.form_version,
            status=status, revision=record.revision)
        if language:
            head += _("  language {language}").format(language=language)
        print(head)
        comment = session.note(record.interview_id)
        if comment:
            print(_("  supervisor's comment: {comment}").format(comment=comment))
        elif status == "sent_back":
            print(_("  sent back by the supervisor: no comment given"))
        for key, value in sorted(answers.items()):
            print(f"  {key} = {shown_value(value)}")
        if damaged:
            print(_("  damaged events (kept encrypted for the supervisor): {events}").format(
                events=", ".join(damaged)))
    return 0


def cmd_discard(args: argparse.Namespace) -> int:
    """Seal a draft as discarded with a reason; the supervisor receives it as discarded."""
    with _open(args, program="fieldapp discard") as session:
        interview = session.resolve_id(args.interview_id)
        session.discard(interview, args.reason)
    print(_("interview {id} discarded; it will reach the supervisor as discarded").format(
        id=interview))
    return 0
