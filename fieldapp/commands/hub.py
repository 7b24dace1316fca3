"""Supervisor commands at the hub: ``review``, ``conflicts`` and ``status``.

::

    fieldapp review --hub HUB approve|send-back INTERVIEW_ID [--comment TEXT]
    fieldapp review --hub HUB list [--status finalised|approved|sent_back|conflict]
    fieldapp review --hub HUB show INTERVIEW_ID --key project.key [--record RECORD]
    fieldapp review --hub HUB history INTERVIEW_ID
    fieldapp conflicts --hub HUB [--all]
    fieldapp conflicts --hub HUB resolve INTERVIEW_ID --keep RECORD --reason TEXT
    fieldapp status --hub HUB [--key project.key]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldapp.commands import hub_db
from fieldapp.commands.secrets import KEY_ENV, PROJECT_KEY, naming, passphrase
from fieldapp.commands.table import table
from fieldapp.errors import FieldAppError
from fieldapp.i18n import N_, _
from fieldapp.names import CITY_NAMES, DIMENSION_NAMES, EVENT_NAMES, STATUS_NAMES, shown
from fieldapp.vocabulary import HUB_STATUSES

if TYPE_CHECKING:  # the façade loads only when a command runs
    from fieldapp.supervisor import SupervisorSession


def _hub_option(parser: argparse.ArgumentParser, sub: bool = False) -> None:
    # Accepted before or after the action; on sub-parsers it must not reset the value.
    extra: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {}
    parser.add_argument("--hub", metavar="HUB", help="hub folder or postgresql+psycopg:// URL",
                        **extra)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``review``, ``conflicts`` and ``status``."""
    review = subparsers.add_parser("review", help="approve or send back interviews (hub)")
    _hub_option(review)
    actions = review.add_subparsers(dest="review_action", metavar="ACTION", required=True)
    for name, help_text in (("approve", "approve (locks it on the device)"),
                            ("send-back", "send back to the enumerator with a comment")):
        action = actions.add_parser(name, help=help_text)
        _hub_option(action, sub=True)
        action.add_argument("interview_id", metavar="INTERVIEW_ID")
        action.add_argument("--comment", metavar="TEXT", help="goes to the enumerator")
        action.set_defaults(func=cmd_decide, decision=name.replace("-", "_"))
    listing = actions.add_parser("list", help="interviews at the hub with status")
    _hub_option(listing, sub=True)
    listing.add_argument("--status", choices=[s.value for s in HUB_STATUSES])
    listing.set_defaults(func=cmd_list)
    show = actions.add_parser("show", help="open an interview's answers with the project key")
    _hub_option(show, sub=True)
    show.add_argument("interview_id", metavar="INTERVIEW_ID")
    show.add_argument("--key", required=True, type=Path, metavar="project.key")
    show.add_argument("--record", type=int, metavar="RECORD",
                      help="a specific record, e.g. one side of a conflict (default: current)")
    show.set_defaults(func=cmd_show)
    history = actions.add_parser("history", help="an interview's revisions and decisions")
    _hub_option(history, sub=True)
    history.add_argument("interview_id", metavar="INTERVIEW_ID")
    history.set_defaults(func=cmd_history)

    conflicts = subparsers.add_parser("conflicts", help="list or resolve conflicts (hub)")
    _hub_option(conflicts)
    conflicts.add_argument("--all", action="store_true", help="include resolved conflicts")
    conflicts.set_defaults(func=cmd_conflicts)
    sub = conflicts.add_subparsers(dest="conflicts_action", metavar="ACTION")
    resolve = sub.add_parser("resolve", help="keep one version, with a reason")
    _hub_option(resolve, sub=True)
    resolve.add_argument("interview_id", metavar="INTERVIEW_ID")
    resolve.add_argument("--keep", required=True, type=int, metavar="RECORD")
    resolve.add_argument("--reason", required=True, metavar="TEXT")
    resolve.set_defaults(func=cmd_resolve)

    status = subparsers.add_parser("status", help="progress by city, district, Dong, "
                                                  "enumerator and day (hub)")
    _hub_option(status)
    status.add_argument("--key", type=Path, metavar="project.key",
                        help="also count by district and Dong (answers inside the seals)")
    status.set_defaults(func=cmd_status)
    hub_db.register(subparsers)  # ``fieldapp hub …``: the central database's roles and intake


def open_hub(args: argparse.Namespace, *, create: bool = False,
             key: Path | None = None) -> SupervisorSession:
    """The hub of ``--hub``, with the project key of ``key`` unlocked when given."""
    if not getattr(args, "hub", None):
        raise FieldAppError(N_("which hub? give --hub FOLDER or --hub postgresql+psycopg://…"),
                            code="hub.which-hub-give-hub")
    from fieldapp.supervisor import SupervisorSession

    session = SupervisorSession.open(args.hub, create=create)
    if key is not None:
        try:
            with naming(PROJECT_KEY, KEY_ENV, key):
                session.unlock(key, passphrase("Project key passphrase", env=KEY_ENV,
                                               what=PROJECT_KEY))
        except BaseException:
            session.close()
            raise
    return session


def _open(args: argparse.Namespace) -> SupervisorSession:
    return open_hub(args)


def cmd_decide(args: argparse.Namespace) -> int:
    """Approve or send back one interview."""
    with _open(args) as hub:
        state = hub.decide(hub.resolve_id(args.interview_id), args.decision, args.comment)
    print(_("interview {id} revision {revision}: {status}; goes to the device with the "
            "next 'fieldapp sync push --hub … --to FOLDER'").format(
        id=state.interview_id, revision=state.revision,
        status=shown(STATUS_NAMES, state.status)))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """One line per interview."""
    with _open(args) as hub:
        states = hub.interviews(args.status)
        devices = {d.device_id: d for d in hub.devices()}
    rows = [(s.interview_id, _("rev {n}").format(n=s.revision), shown(STATUS_NAMES, s.status),
             devices[s.device_id].enumerator if s.device_id in devices else s.device_id[:8],
             _("record {n}").format(n=s.record_id)) for s in states]
    for line in table(rows):
        print(line)
    if not states:
        print(_("no interviews"))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print one record's metadata and answers (``key = value``), opened with the key."""
    with open_hub(args, key=args.key) as hub:
        interview_id = hub.resolve_id(args.interview_id)
        state = hub.interview(interview_id)
        record, payload = hub.open_interview(interview_id, args.record)
    print(_("interview {id}  {form} v{version}  revision {revision}  {status}  record "
            "{record}").format(id=record.interview_id, form=record.form_id,
                               version=record.form_version, revision=record.revision,
                               status=shown(STATUS_NAMES, state.status),
                               record=record.record_id))
    print(_("  enumerator {enumerator}  city {city}  language {language}  finalised "
            "{finalised}").format(enumerator=record.enumerator,
                                  city=shown(CITY_NAMES, record.city) if record.city else "-",
                                  language=payload.get("language"),
                                  finalised=payload.get("finalised_utc")))
    for key, value in sorted(payload.get("answers", {}).items()):
        print(f"  {key} = {value}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """The interview's history at the hub."""
    with _open(args) as hub:
        interview_id = hub.resolve_id(args.interview_id)
        state = hub.interview(interview_id)
        entries = hub.history(interview_id)
    print(_("interview {id}: {status}, revision {revision}").format(
        id=state.interview_id, status=shown(STATUS_NAMES, state.status),
        revision=state.revision))
    rows = [(f"{e.at_utc:%Y-%m-%d %H:%M}Z", _("rev {n}").format(n=e.revision),
             shown(EVENT_NAMES, e.event),
             _("record {n}").format(n=e.record_id) if e.record_id is not None else "",
             e.detail) for e in entries]
    for line in table(rows):
        print("  " + line)
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    """List conflicts with both record ids."""
    with _open(args) as hub:
        conflicts = hub.conflicts(include_resolved=args.all)
        lines = []
        for c in conflicts:
            a, b = hub.copy(c.record_a), hub.copy(c.record_b)
            state = (_("resolved: kept record {record} ({reason})").format(
                record=c.kept, reason=c.resolution) if c.resolved_utc else _("OPEN"))
            lines.append(_("{id} revision {revision}: {reason} [{state}]").format(
                id=c.interview_id, revision=c.revision, reason=c.reason, state=state))
            for r in (a, b):
                lines.append(_("  record {record}: revision {revision} from {enumerator} "
                               "(device {device}), finalised {day}, received {received}Z, "
                               "sha256 {sha}").format(
                    record=r.record_id, revision=r.revision, enumerator=r.enumerator,
                    device=r.device_id[:8], day=r.day,
                    received=f"{r.received_utc:%Y-%m-%d %H:%M}", sha=r.sha256[:12]))
    print("\n".join(lines) if lines else _("no open conflicts"))
    if any(c.resolved_utc is None for c in conflicts):
        print(_("resolve with: fieldapp conflicts --hub HUB resolve INTERVIEW_ID --keep "
                "RECORD --reason TEXT"))
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    """Keep one version of a conflicting interview."""
    with _open(args) as hub:
        state = hub.resolve(hub.resolve_id(args.interview_id), args.keep, args.reason)
    print(_("interview {id}: conflict resolved, kept record {record} (revision {revision}); "
            "status finalised").format(id=state.interview_id, record=args.keep,
                                        revision=state.revision))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Counts by dimension and status (in the user's language; aligned by display width)."""
    with open_hub(args, key=args.key) as hub:
        counts = hub.progress()
        label = hub.label
    total = sum(counts.totals.values())
    parts = ", ".join(f"{shown(STATUS_NAMES, s)} {counts.totals[s]}" for s in HUB_STATUSES)
    print(_("hub {label}: {total} interview(s): {parts}").format(label=label, total=total,
                                                                   parts=parts))
    numeric = (False, *(True for _s in HUB_STATUSES), True)
    for dimension in counts.dimensions:
        if dimension not in counts.by:
            continue
        rows: list[list[object]] = [[shown(DIMENSION_NAMES, dimension),
                                     *(shown(STATUS_NAMES, s) for s in HUB_STATUSES),
                                     _("Total")]]
        for value, row in sorted(counts.by[dimension].items()):
            name = shown(CITY_NAMES, value) if dimension == "city" else value
            rows.append([f"  {name}", *(row[s] for s in HUB_STATUSES), sum(row.values())])
        print()
        for line in table(rows, numeric=numeric):  # display width: Hangul/Han take two
            print(line)
    if not counts.with_answers:
        print()
        print(_("District and Dong are answers sealed inside the interviews: add --key "
                "project.key to count them."))
    if counts.unreadable:
        print()
        print(_("{n} interview(s) could not be opened with this key.").format(
            n=counts.unreadable))
    return 0
