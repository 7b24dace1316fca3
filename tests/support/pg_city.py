"""A city office's central hub on the suite's PostgreSQL: an owner without superuser, roles
set up by ``hub setup``, a supervisor and a coordinator login, enrolled devices."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg

from fieldapp.supervisor import AccessRoles, SupervisorSession
from tests.support.devices import open_session
from tests.support.pgserver import USER, PgServer
from tests.support.sync import World


@dataclass
class City:
    """One hub database and its login roles."""

    server: PgServer
    database: str
    roles: AccessRoles
    owner_url: str
    supervisor_url: str
    coordinator_url: str

    @property
    def device_url(self) -> str:
        """What a device is given: TCP (passwords checked), no user, no password."""
        return f"postgresql+psycopg://127.0.0.1:{self.server.port}/{self.database}"

    def supervisor(self) -> SupervisorSession:
        """The supervisor's session on the hub."""
        return SupervisorSession.open(self.supervisor_url)


def _rows(server: PgServer, sql: str, *params: object) -> list[tuple]:
    with psycopg.connect(host=str(server.root), port=server.port, user=USER,
                         dbname="postgres", autocommit=True) as conn:
        return list(conn.execute(sql, params).fetchall())  # type: ignore[arg-type]


def open_city(server: PgServer, set_up: Callable[[str], object] | None = None) -> City:
    """A new database owned by a CREATEROLE (not superuser) owner, set up as that owner
    (by ``set_up(owner_url)`` when given, e.g. the CLI)."""
    name = f"c{uuid.uuid4().hex[:10]}"
    owner = f"{name}_owner"
    server.admin(f"CREATE ROLE {owner} LOGIN CREATEROLE")
    server.admin(f"CREATE DATABASE {name} OWNER {owner}")
    if set_up is not None:
        set_up(server.socket_url(name, owner))
    roles = SupervisorSession.set_up_database(server.socket_url(name, owner))
    server.admin(f"CREATE ROLE {name}_alice LOGIN IN ROLE {roles.supervisor}")
    server.admin(f"CREATE ROLE {name}_carol LOGIN IN ROLE {roles.coordinator}")
    return City(server, name, roles, server.socket_url(name, owner),
                server.socket_url(name, f"{name}_alice"), server.socket_url(name, f"{name}_carol"))


def close_city(city: City) -> None:
    """Drop the database and every role of this city."""
    with contextlib.suppress(Exception):
        city.server.admin(f"DROP DATABASE {city.database} WITH (FORCE)")
    for (role,) in _rows(city.server, "SELECT rolname FROM pg_roles WHERE rolname LIKE %s "
                                      "ORDER BY length(rolname) DESC", f"{city.database}%"):
        with contextlib.suppress(Exception):
            city.server.admin(f'DROP ROLE "{role}"')


def enrol(city: City, world: World, name: str, box: Path) -> str:
    """Trust the device from its registration bundle, issue its role, and apply the return
    bundle (carrying the password) on the device; returns the device id."""
    box.mkdir(parents=True, exist_ok=True)
    data = world.devices[name]
    with open_session(data) as session:
        device_id = session.keyring.device_id
    with city.supervisor() as hub:
        _results, errors, _ = hub.import_bundles(world.registrations[name], trust=True)
        assert errors == []
        hub.use_key(world.project.private_key)
        hub.add_device(device_id, box)
    with open_session(data) as session:
        applied, errors = session.pull(box)
        assert errors == [] and applied[0].credential is not None
    return device_id


def device_login(data: Path) -> tuple[str, str]:
    """(role, password) from the device keyring."""
    with open_session(data) as session:
        login = session.hub_credential()
    assert login is not None
    return login["role"], login["password"]


def device_connect(city: City, data: Path) -> psycopg.Connection:
    """A raw connection as the device's own role over TCP, with its keyring password."""
    role, password = device_login(data)
    return psycopg.connect(host="127.0.0.1", port=city.server.port, user=role,
                           password=password, dbname=city.database)


def keyring_text(data: Path) -> str:
    """The device keyring file as text."""
    return (data / "keyring.json").read_text("utf-8")
