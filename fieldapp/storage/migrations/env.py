"""Alembic environment: runs only programmatically, on a connection passed by migrate.py.

``fieldapp.storage.migrate`` builds the Config in code and puts an open connection, already
inside a transaction, in ``config.attributes["connection"]``. The whole upgrade therefore
commits or rolls back as one unit, on SQLite as well as PostgreSQL.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from fieldapp.storage.tables import metadata


def run_migrations_online() -> None:
    """Run migrations on the connection provided by the caller."""
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "fieldapp migrations run only through fieldapp.storage.migrate "
            "(config.attributes['connection'] must hold an open Connection)"
        )
    is_sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: batch mode recreates tables where needed.
        render_as_batch=is_sqlite,
        # With fieldapp's BEGIN handling, SQLite DDL is transactional too.
        transactional_ddl=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("fieldapp migrations do not support offline (--sql) mode")
run_migrations_online()
