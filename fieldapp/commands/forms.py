"""``fieldapp forms check|show``: validate questionnaires and print them as text."""

from __future__ import annotations

import argparse
import sys

from fieldapp.errors import FieldAppError, FormError
from fieldapp.i18n import N_, _


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``forms`` command group."""
    forms = subparsers.add_parser("forms", help="check and show XLSForm questionnaires")
    sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="validate questionnaires; errors cite sheet and row")
    check.add_argument("forms", nargs="+", metavar="FORM",
                       help="XLSForm (.xlsx, .xls, or pyxform's .md / .csv layout); its media "
                            "files in FORM-media/ next to it")
    check.set_defaults(func=cmd_check)
    show = sub.add_parser("show", help="print a questionnaire as text in one language")
    show.add_argument("form", metavar="FORM")
    show.add_argument("--lang", default=None, help="language code (ko, zh, ja, en)")
    show.set_defaults(func=cmd_show)


def cmd_check(args: argparse.Namespace) -> int:
    """Print ``OK …`` per valid form or its problems; non-zero if any form is invalid."""
    from fieldapp.questionnaire import load_questionnaire

    failed = 0
    for path in args.forms:
        try:
            form = load_questionnaire(path)
        except FormError as exc:
            failed += 1
            print(_("FAIL {message}").format(message=exc), file=sys.stderr)
            continue
        languages = ", ".join(form.languages)
        print(_("OK {form} v{version}: {n} questions, languages {languages}").format(
            form=form.form_id, version=form.version, n=form.input_count,
            languages=languages))
        for line in notice_lines(form.notices):
            print(line)
    return 1 if failed else 0


def notice_lines(notices: tuple | list) -> list[str]:
    """What was accepted but is ignored or limited, one line each (at most 50 listed)."""
    from fieldapp.questionnaire.bounds import MAX_PROBLEMS_LISTED

    lines = [f"  note: {notice}" for notice in notices[:MAX_PROBLEMS_LISTED]]
    if len(notices) > MAX_PROBLEMS_LISTED:
        lines.append(f"  note: … and {len(notices) - MAX_PROBLEMS_LISTED} more not listed")
    return lines


def cmd_show(args: argparse.Namespace) -> int:
    """Print the questionnaire in the chosen language."""
    from fieldapp.questionnaire import load_questionnaire
    from fieldapp.questionnaire.render import render_text

    form = load_questionnaire(args.form)
    lang = args.lang or form.default_language
    if lang not in form.languages:
        raise FieldAppError(N_("{form}: language '{lang_text}' is not in this form "
                               "(it has {join})"),
                            code="forms.language-not-form", form=args.form, lang_text=lang,
                            join=', '.join(form.languages))
    sys.stdout.write(render_text(form, lang))
    return 0
