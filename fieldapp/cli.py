"""Command-line interface: the same operations as the GUI, headless (no Qt).

Exit 0 on success; on failure a short error naming the file/row/interview and a
non-zero exit — never a traceback (set FIELDAPP_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from fieldapp import __version__, i18n
from fieldapp.commands import desk, device, export, forms, hub, interviews, keys, sync
from fieldapp.errors import FieldAppError

#: Sub-command modules; each has ``register(subparsers)`` setting ``func`` on its parsers.
COMMANDS = [forms, keys, device, interviews, sync, hub, export, desk]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used by tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="fieldapp", description="Offline, encrypted survey fieldwork (headless commands).")
    parser.add_argument("--version", action="version", version=f"fieldapp {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(subparsers)
    gui = subparsers.add_parser("gui", help="start the desktop application")
    gui.set_defaults(func=_run_gui)
    supervise = subparsers.add_parser("supervise", help="start the supervisor's desk (GUI)")
    supervise.add_argument("--hub", default="", help="hub folder or postgresql+psycopg:// URL")
    supervise.add_argument("--key", default="", metavar="project.key")
    supervise.set_defaults(func=_run_desk)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    # The other front end; imported only here, so no other command ever loads Qt.
    from fieldapp.ui import run

    return int(run())


def _run_desk(args: argparse.Namespace) -> int:
    from fieldapp.ui.supervisor.app import run_desk

    return int(run_desk(hub=args.hub, key_file=args.key))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fieldapp`` command (errors in the user's locale, English default)."""
    from fieldapp.paths import preset_value

    i18n.setup(i18n.language_from_environment(os.environ, preset_value("ui_language")))
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except FieldAppError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            print(f"error: {line.strip()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early
        return 0
    except Exception as exc:
        if os.environ.get("FIELDAPP_DEBUG"):
            raise
        # Never print values (they may be answers); name the failure kind only.
        print(f"error: internal error ({type(exc).__name__}); "
              "run again with FIELDAPP_DEBUG=1 for details", file=sys.stderr)
        return 70


if __name__ == "__main__":
    raise SystemExit(main())
