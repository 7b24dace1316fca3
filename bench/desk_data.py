"""Desk benchmark data: a real device whose store holds N sealed interviews, sealed with the
real sealing code but inserted in bulk (500 per transaction, skipping two fsyncs per
interview), so 100,000 interviews take minutes to make, not hours."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

PASS = "bench passphrase"


def fill_device(data: Path, count: int, form_id: str, payload: Any) -> None:
    """Seal ``count`` interviews into the device store; ``payload(rng, interview_id,
    device_id)`` makes each payload JSON."""
    import hashlib
    import uuid

    from sqlalchemy import insert

    from fieldapp.clock import now_text
    from fieldapp.crypto.seal import seal
    from fieldapp.recording import sealed_info
    from fieldapp.session import FieldSession
    from fieldapp.storage.tables import interviews, sealed

    rng = random.Random(count)
    with FieldSession.open(data, PASS) as session:
        form = session.form(form_id)
        for first in range(0, count, 500):
            rows_i, rows_s = [], []
            for _ in range(min(500, count - first)):
                iid, now = str(uuid.uuid4()), now_text()
                blob = seal(session.project_public_key,
                            payload(rng, iid, session.keyring.device_id),
                            sealed_info(interview_id=iid, revision=1, form_id=form.form_id,
                                        form_version=form.version))
                rows_i.append(dict(id=iid, form_id=form.form_id, form_version=form.version,
                                   status="finalised", revision=1, key_id=session.keys.key_id,
                                   created_utc=now, updated_utc=now))
                rows_s.append(dict(interview_id=iid, revision=1, sealed_blob=blob,
                                   sha256=hashlib.sha256(blob).hexdigest(), sealed_utc=now))
            with session.store.engine.begin() as conn:
                conn.execute(insert(interviews), rows_i)
                conn.execute(insert(sealed), rows_s)
