"""Child process for the concurrency tests: import one bundle at an agreed moment.

``python -m tests.support.sync_child HUB BUNDLE START_EPOCH`` prints a JSON result line.
The hub is opened (and migrated) before waiting, so the processes race on the import itself.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from fieldapp.storage.hub_store import HubStore
from fieldapp.sync.hub_import import import_bundle


def main() -> None:
    target, bundle, start = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
    with HubStore.open(target) as hub:
        time.sleep(max(0.0, start - time.time()))
        result = import_bundle(hub, bundle)
    print(json.dumps({"already": result.already_imported, "new": result.new,
                      "bundle": result.bundle_id}), flush=True)


if __name__ == "__main__":
    main()
