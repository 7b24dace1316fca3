"""Record pinned pyxform's and fieldapp's verdicts for the real-forms corpus.

    .venv/bin/python tools/forms_corpus.py [--corpus DIR] [--fetch | --fetch-only]

``--fetch`` first downloads every missing form (and its media files) from GitHub at the
recorded commit and checks its sha256 (``--fetch-only`` stops there: ``.ci/run`` uses it, so
the corpus tests run wherever GitHub is reachable; exit status 2 and one line when it is
not). Then it reads ``tests/forms/real/manifest.json``, checks each present form's sha256,
converts it with pyxform (the pinned test-time oracle) and loads it with fieldapp, and writes
both verdicts back into the manifest. Forms are looked up in ``--corpus`` (default:
``$FIELDAPP_FORMS_CORPUS`` or ``tests/forms/real/files``); each entry's ``url`` says where
to get the file at the recorded commit.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "tests" / "forms" / "real" / "manifest.json"


def corpus_dir(explicit: str | None = None) -> Path:
    """Where the corpus files are."""
    return Path(explicit or os.environ.get("FIELDAPP_FORMS_CORPUS")
                or ROOT / "tests" / "forms" / "real" / "files")


def pyxform_verdict(path: Path) -> str:
    """``ok`` or ``error: …`` (first line) from pinned pyxform."""
    from pyxform.xls2xform import convert

    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=str(path), warnings=[])
    except Exception as exc:  # the oracle's verdict, whatever it raised
        return "error: " + " ".join(str(exc).split())[:200]
    return "ok"


def fieldapp_verdict(path: Path) -> str:
    """``accepted`` or ``refused: …`` (the issues, one per line joined by ' | ')."""
    sys.path.insert(0, str(ROOT))
    from fieldapp.errors import FormError
    from fieldapp.questionnaire import load_questionnaire

    try:
        load_questionnaire(path)
    except FormError as exc:
        return "refused: " + " | ".join(str(i) for i in exc.issues[:5])
    return "accepted"


def fetch(manifest: dict, folder: Path) -> int:
    """Download the missing corpus files (raw GitHub at the recorded commit); 1 on a
    checksum mismatch, 2 when a file cannot be downloaded."""
    import urllib.parse
    import urllib.request

    for entry in manifest["forms"]:
        wanted = [(entry["path"], entry["file"], entry["sha256"])]
        wanted += [(a["source_path"], a["file"], a["sha256"]) for a in entry["attachments"]]
        for source, target, sha in wanted:
            path = folder / target
            if path.exists():
                continue
            url = (f"https://raw.githubusercontent.com/{entry['repo']}/{entry['commit']}/"
                   + urllib.parse.quote(source))
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    data = response.read()
            except OSError as exc:  # no network, DNS, HTTP error: stop at the first one
                print(f"not fetched: {url}: {exc}", file=sys.stderr)
                return 2
            if hashlib.sha256(data).hexdigest() != sha:
                print(f"CHANGED  {url}: sha256 differs from the manifest", file=sys.stderr)
                return 1
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"fetched  {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=None)
    parser.add_argument("--fetch", action="store_true", help="download missing files first")
    parser.add_argument("--fetch-only", action="store_true",
                        help="download missing files, record nothing")
    args = parser.parse_args(argv)
    folder = corpus_dir(args.corpus)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    if args.fetch or args.fetch_only:
        status = fetch(manifest, folder)
        if status or args.fetch_only:
            return status
    for entry in manifest["forms"]:
        path = folder / entry["file"]
        if not path.exists():
            print(f"missing  {entry['file']} (get it from {entry['url']})")
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            print(f"CHANGED  {entry['file']}: sha256 differs from the manifest", file=sys.stderr)
            return 1
        entry["pyxform"] = pyxform_verdict(path)
        entry["fieldapp"] = fieldapp_verdict(path)
        print(f"{entry['pyxform'][:5]:5}  {entry['fieldapp'][:8]:8}  {entry['file']}")
    MANIFEST.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
