"""Sealed blobs by record id, for the export's helper processes (they read the hub
themselves, so no blob passes through the exporting process).

:class:`HubLocation` is what a helper needs to reopen the hub (picklable; a server URL keeps
its password, in memory only). :class:`BlobReader` is a lean read-only handle: no migration
check, one ``SELECT … WHERE id IN (…)`` per chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from fieldapp.storage import db
from fieldapp.storage.tables import hub_records


@dataclass(frozen=True, slots=True)
class HubLocation:
    """Where a hub is: a SQLite file path, or a server database URL."""

    sqlite_path: str = ""
    url: str = ""

    @classmethod
    def of(cls, engine: Engine) -> HubLocation:
        """The location of the database behind ``engine``."""
        if engine.url.get_backend_name() == "sqlite":
            return cls(sqlite_path=str(engine.url.database or ""))
        return cls(url=engine.url.render_as_string(hide_password=False))

    def open(self) -> BlobReader:
        """A reader in this process."""
        engine = (db.open_engine(Path(self.sqlite_path)) if self.sqlite_path
                  else db.open_url(self.url))
        return BlobReader(engine)


class BlobReader:
    """Reads sealed blobs of received copies by their record ids."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def blobs(self, record_ids: Sequence[int]) -> dict[int, bytes]:
        """``{record id: sealed blob}`` for the ids that exist."""
        r = hub_records
        stmt = select(r.c.id, r.c.sealed_blob).where(r.c.id.in_(list(record_ids)))
        with db.translated_errors(), self.engine.connect() as conn:
            return {row[0]: bytes(row[1]) for row in conn.execute(stmt)}

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()
