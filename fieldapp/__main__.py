"""`python -m fieldapp` runs the command-line interface (and is the frozen CLI's script)."""

import sys

from fieldapp.entry import dispatch_helper

if __name__ == "__main__":  # not when a spawned helper process imports this file
    if (helper := dispatch_helper(sys.argv)) is not None:  # a frozen app's helper process
        raise SystemExit(helper)

    from fieldapp.cli import main

    raise SystemExit(main())
