"""``hub setup`` refuses what would leave the database open: a role that is not the owner,
and a schema ``public`` every role may still create objects in (PostgreSQL 14 and older,
where the database's owner does not own that schema)."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from fieldapp.cli import main
from fieldapp.errors import FieldAppError
from fieldapp.supervisor import SupervisorSession
from tests.support.pg_city import City
from tests.support.pgserver import USER, PgServer

pytestmark = pytest.mark.postgres


def test_setup_by_a_supervisor_is_refused_in_one_line(
        city: City, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hub", "setup", "--hub", city.supervisor_url]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "only the database's owner" in err


def test_setup_refuses_a_public_schema_every_role_can_create_in(pg_server: PgServer) -> None:
    name = f"c{uuid.uuid4().hex[:10]}"
    owner = f"{name}_owner"
    pg_server.admin(f"CREATE ROLE {owner} LOGIN CREATEROLE")
    pg_server.admin(f"CREATE DATABASE {name} OWNER {owner}")
    try:
        as_admin = {"host": str(pg_server.root), "port": pg_server.port, "user": USER,
                    "dbname": name, "autocommit": True}
        with psycopg.connect(**as_admin) as conn:  # what PostgreSQL 14 and older ship
            conn.execute(f"ALTER SCHEMA public OWNER TO {USER}")
            conn.execute("GRANT CREATE ON SCHEMA public TO PUBLIC")
        url = pg_server.socket_url(name, owner)
        with pytest.raises(FieldAppError, match=f"ALTER SCHEMA public OWNER TO {owner}"):
            SupervisorSession.set_up_database(url)
        with psycopg.connect(**as_admin) as conn:  # the administrator does as told
            conn.execute(f"ALTER SCHEMA public OWNER TO {owner}")
        roles = SupervisorSession.set_up_database(url)
        with psycopg.connect(**as_admin) as conn:
            assert conn.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')",
                                (roles.device,)).fetchone() == (False,)
    finally:
        pg_server.admin(f"DROP DATABASE {name} WITH (FORCE)")
        for group in ("device", "supervisor", "coordinator"):
            pg_server.admin(f"DROP ROLE IF EXISTS {name}_{group}")
        pg_server.admin(f"DROP ROLE {owner}")
