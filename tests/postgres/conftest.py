"""A throwaway PostgreSQL server started by the test suite (Debian's ``postgresql`` binaries).

Session-scoped: ``initdb`` into a temp dir and ``pg_ctl start`` on a free port with the socket
in that dir (``fsync=off``: durability is SQLite's job in these tests). As root, initdb and
pg_ctl run as the ``postgres`` user via ``runuser`` (they refuse to run as root; that is why
pytest-postgresql's proc fixtures are not used). Every test gets its own database.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.pg_city import City, close_city, open_city
from tests.support.pgserver import PgServer, find_bindir
from tests.support.sync import World, build_world

SKIP_REASON = ("PostgreSQL binaries not found: install Debian's postgresql package "
               "(scripts/bootstrap.sh --dev does)")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """Start PostgreSQL once for the session; stop it (pg_ctl stop -m fast) at the end."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(SKIP_REASON)
    server = PgServer(bindir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty database for one test (dropped afterwards)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    pg_server.admin(f"CREATE DATABASE {name}")
    try:
        yield pg_server.url(name)
    finally:
        with contextlib.suppress(Exception):
            pg_server.admin(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def city(pg_server: PgServer) -> Iterator[City]:
    """A city office hub database set up by its (non-superuser) owner."""
    made = open_city(pg_server)
    try:
        yield made
    finally:
        close_city(made)


@pytest.fixture
def world(tmp_path: Path) -> World:
    """Two devices with three finalised interviews each."""
    return build_world(tmp_path / "w", per_device=3)
