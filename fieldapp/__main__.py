"""`python -m fieldapp` runs the command-line interface."""

from fieldapp.cli import main

raise SystemExit(main())
