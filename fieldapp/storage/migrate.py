"""Schema migrations, run programmatically on open.

The common case - the database is already at :data:`HEAD_REVISION` - is answered with one
plain SELECT, so normal start-up never imports Alembic (≈100 ms). Alembic is imported only
when an upgrade is actually needed; the whole upgrade runs in one transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy import exc as sa_exc

from fieldapp.i18n import N_
from fieldapp.storage.db import translated_errors
from fieldapp.storage.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest revision in ``migrations/versions``; a test keeps this in step with Alembic.
HEAD_REVISION = "0006_hub_read_indexes"

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in ``alembic_version`` (None for an empty/unversioned database)."""
    try:
        with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except (sa_exc.OperationalError, sa_exc.ProgrammingError):
        return None  # no alembic_version table yet
    if len(rows) != 1:
        return None
    return str(rows[0][0])


def migrate(engine: Engine, revision: str = "head") -> bool:
    """Upgrade the database to ``revision`` (default head); True if anything was run."""
    with translated_errors():
        if revision in ("head", HEAD_REVISION) and current_revision(engine) == HEAD_REVISION:
            return False
        return _upgrade(engine, revision)


def alembic_config() -> Config:
    """A programmatic Alembic ``Config`` for fieldapp's migrations (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    # Alembic's options go through ConfigParser interpolation: a '%' in the install path
    # (users choose it) would otherwise fail every database command.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


def _upgrade(engine: Engine, revision: str) -> bool:
    """Run ``alembic upgrade revision`` inside one write transaction."""
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config()
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    with engine.begin() as conn:
        before = _version_in(conn)
        if before is not None and before not in known:
            raise StorageError(
                N_("this database was written by a newer fieldapp (schema {before}); install that "
                   "version to open it - nothing was changed"),
                code="migrate.database-written-newer-fieldapp", before=before
            )
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        after = _version_in(conn)
    return before != after


def _version_in(conn: Connection) -> str | None:
    """The current revision as seen on an open connection (inside its transaction)."""
    from alembic.runtime.migration import MigrationContext

    context = MigrationContext.configure(conn)
    return context.get_current_revision()
