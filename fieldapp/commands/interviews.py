"""``fieldapp record|list|show``: headless interviews on a device."""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldapp.answers_file import apply_answers, read_answers_file
from fieldapp.commands.device import add_data_arg
from fieldapp.commands.secrets import KEY_ENV, passphrase
from fieldapp.crypto import load_project_private_key
from fieldapp.errors import FieldAppError
from fieldapp.interview.errors import AnswerError
from fieldapp.interview.values import to_json
from fieldapp.paths import data_dir
from fieldapp.recording import open_sealed
from fieldapp.session import FieldSession


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``record``, ``list`` and ``show``."""
    record = subparsers.add_parser("record", help="record an interview from ANSWERS.json")
    add_data_arg(record)
    record.add_argument("--form", required=True, type=Path, metavar="FORM.xlsx")
    record.add_argument("--answers", required=True, type=Path, metavar="ANSWERS.json")
    record.add_argument("--interview", metavar="ID", help="continue this draft")
    record.add_argument("--finalize", action="store_true",
                        help="check completeness and seal it for the supervisor")
    record.set_defaults(func=cmd_record)
    listing = subparsers.add_parser("list", help="interviews on the device, with status")
    add_data_arg(listing)
    listing.add_argument("--status", choices=("draft", "finalised", "approved", "sent_back"))
    listing.set_defaults(func=cmd_list)
    show = subparsers.add_parser("show", help="print a draft's answers (or, with the project "
                                              "key, a finalised interview)")
    add_data_arg(show)
    show.add_argument("interview_id", metavar="INTERVIEW_ID")
    show.add_argument("--key", type=Path, metavar="project.key",
                      help="supervisor: open a sealed interview with the project key")
    show.set_defaults(func=cmd_show)


def _open(args: argparse.Namespace) -> FieldSession:
    return FieldSession.open(data_dir(args.data), passphrase("Device passphrase"))


def cmd_record(args: argparse.Namespace) -> int:
    """Record (and optionally finalise) an interview; prints its id."""
    language, answers = read_answers_file(args.answers)
    with _open(args) as session:
        form = session.install_form(args.form)
        if args.interview:
            recording = session.resume(args.interview)
            if language:
                recording.set_language(language)
        else:
            if language and language not in form.languages:
                raise FieldAppError(f"{args.answers}: language '{language}' is not in "
                                    f"{form.form_id} ({', '.join(form.languages)})")
            recording = session.start_interview(form, language=language)
        recording.attachment_dir = Path(args.answers).resolve().parent  # files named in it
        try:
            apply_answers(recording, answers, str(args.answers))
            if args.finalize:
                recording.finalize()
            else:
                recording.save_case_label()
        except AnswerError as exc:
            raise FieldAppError(f"{exc} (interview {recording.interview_id} kept as a draft "
                                "with the answers before it)") from None
        print(recording.interview_id)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """One line per interview: id, form and version, status, revision, last change and the
    case label (the form's instance_name), when it has one."""
    from fieldapp import case_label

    with _open(args) as session:
        records = session.list_interviews(args.status)
        for r in records:
            when = r.updated_utc.astimezone().strftime("%Y-%m-%d %H:%M")
            label = case_label.load(session, r)
            print(f"{r.interview_id}  {r.form_id} v{r.form_version}  {r.status:<9}  "
                  f"rev {r.revision}  {when}" + (f"  {label}" if label else ""))
        if not records:
            print("no interviews")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print answers as ``key = value`` lines."""
    with _open(args) as session:
        record = session.store.interview(args.interview_id)
        if record.status == "draft":
            answers = session.resume(args.interview_id).engine.answers
            language = None
        else:
            if args.key is None:
                raise FieldAppError(f"interview {record.interview_id} is {record.status} and "
                                    "sealed to the project key: only a supervisor can open it "
                                    "(--key project.key)")
            private = load_project_private_key(args.key, passphrase("Project key passphrase",
                                                                    env=KEY_ENV))
            sealed = session.store.sealed_records(record.interview_id)[-1]
            payload = open_sealed(private, sealed, record.form_id, record.form_version)
            answers, language = payload["answers"], payload["language"]
        print(f"interview {record.interview_id}  {record.form_id} v{record.form_version}  "
              f"{record.status}  rev {record.revision}" +
              (f"  language {language}" if language else ""))
        for key, value in sorted(answers.items()):
            print(f"  {key} = {to_json(value)}")
    return 0
