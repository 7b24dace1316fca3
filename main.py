"""Start the fieldapp desktop application (the script PyInstaller freezes)."""

import sys

from fieldapp.entry import dispatch_helper

if __name__ == "__main__":  # not when a spawned helper process imports this file
    if (helper := dispatch_helper(sys.argv)) is not None:  # a frozen app's helper process
        raise SystemExit(helper)

    from fieldapp.ui import run

    raise SystemExit(run())
