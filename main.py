"""Start the fieldapp desktop application (the script PyInstaller freezes)."""

from fieldapp.ui import run

raise SystemExit(run())
