"""Least privilege enforced by PostgreSQL: what a device role, the supervisor and the
coordinator can and cannot do (docs/sync.md, threat model), and two-way sync with no folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import errors

from fieldapp.storage.hub_access import PermissionDenied
from fieldapp.supervisor import SupervisorSession
from tests.support.devices import open_session
from tests.support.pg_city import City, close_city, device_connect, enrol, keyring_text, open_city
from tests.support.pgserver import PgServer
from tests.support.sync import World, build_world, record

pytestmark = pytest.mark.postgres


def push(data: Path, url: str, batch: int = 200) -> None:
    with open_session(data) as session:
        result = session.push(url, batch=batch)
    assert result.queued


def test_online_device_syncs_both_ways_without_a_folder(city: City, world: World,
                                                        tmp_path: Path) -> None:
    data = world.devices["a"]
    device_id = enrol(city, world, "a", tmp_path / "usb")
    role, password = _login(data)
    assert role == city.roles.device_role(device_id)
    assert password not in keyring_text(data)  # encrypted under the data key
    assert not any(password.encode() in p.read_bytes() for p in data.rglob("*") if p.is_file())
    push(data, city.device_url)
    with city.supervisor() as hub:
        report = hub.process_intake()
        assert [r.new for r in report.applied] == [3] and report.rejected == []
        hub.use_key(world.project.private_key)
        hub.decide(world.ids["a"][0], "approve")
        hub.decide(world.ids["a"][1], "send_back", "Dong is missing")
        written = hub.write_return_rows()
        assert [(w.decisions, w.acks) for w in written] == [(2, 3)]
    with open_session(data) as session:
        applied, errors_ = session.pull(city.device_url)
        assert errors_ == []
        assert [(a.approved, len(a.reopened), a.acked) for a in applied] == [(1, 1, 3)]
        assert session.store.sealed_index(only_unacked=True) == []
        again, _ = session.pull(city.device_url)  # nothing new: rows are applied once
        assert again == []


def test_wrong_or_missing_password_cannot_log_in(city: City, world: World,
                                                 tmp_path: Path) -> None:
    enrol(city, world, "a", tmp_path / "usb")
    role, _password = _login(world.devices["a"])
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(host="127.0.0.1", port=city.server.port, user=role,
                        password="guessed", dbname=city.database).close()
    # a device never enrolled has no credential: a clear error, nothing sent
    with open_session(world.devices["b"]) as session, pytest.raises(Exception,
                                                                    match="no credential"):
        session.pull(city.device_url)


def _login(data: Path) -> tuple[str, str]:
    with open_session(data) as session:
        login = session.hub_credential()
    assert login is not None
    return login["role"], login["password"]


#: Every statement a device role must be refused, with what it would do.
FORBIDDEN = [
    ("read the intake (other devices' bundles)", "SELECT count(*) FROM hub_intake"),
    ("read sealed records", "SELECT count(*) FROM hub_records"),
    ("read trusted devices", "SELECT count(*) FROM hub_devices"),
    ("read interviews", "SELECT count(*) FROM hub_interviews"),
    ("read decisions", "SELECT count(*) FROM hub_decisions"),
    ("read settings", "SELECT count(*) FROM meta"),
    ("read questionnaires", "SELECT count(*) FROM forms"),
    ("read role bindings", "SELECT count(*) FROM hub_device_roles"),
    ("read the schema version", "SELECT count(*) FROM alembic_version"),
    ("mark its bundle applied", "UPDATE hub_intake SET status = 'applied'"),
    ("delete the intake", "DELETE FROM hub_intake"),
    ("rewrite return rows", "UPDATE hub_return_rows SET bundle = ''"),
    ("delete return rows", "DELETE FROM hub_return_rows"),
    ("rewrite records", "UPDATE hub_records SET sealed_blob = ''"),
    ("delete records", "DELETE FROM hub_records"),
    ("truncate records", "TRUNCATE hub_records"),
    ("insert as another role", "INSERT INTO hub_intake (device_role, bundle) "
                               "VALUES ('someone_else', '\\x00')"),
    ("insert pre-approved", "INSERT INTO hub_intake (status, bundle) VALUES ('applied', "
                            "'\\x00')"),
    ("mark itself trusted", "INSERT INTO hub_devices VALUES ('00000000-0000-4000-8000-"
                            "000000000000', '\\x00', 'x', 'E99', 'seoul', 'k', '\\x00', 'x', "
                            "'2024-01-01T00:00:00.000000+00:00')"),
    ("approve its own interview", "INSERT INTO hub_decisions (interview_id, revision, "
                                  "record_id, device_id, decision, decided_utc) VALUES "
                                  "('x', 1, 1, 'x', 'approve', 'x')"),
    ("write a return row", "INSERT INTO hub_return_rows (device_role, device_id, bundle_id, "
                           "created_utc, bundle) VALUES (current_user, 'x', 'x', 'x', '')"),
    ("bind itself to another device", "INSERT INTO hub_device_roles VALUES ('x', "
                                      "current_user, 'x')"),
    ("create a table (DDL)", "CREATE TABLE evil (x int)"),
    ("drop a hub table", "DROP TABLE hub_records"),
    ("switch off row-level security", "ALTER TABLE hub_return_rows DISABLE ROW LEVEL "
                                      "SECURITY"),
    ("change a column (migration DDL)", "ALTER TABLE hub_intake ADD COLUMN x int"),
    ("issue itself a new role", "SELECT fieldapp_issue_device_role("
                                "'0123456789abcdef0123456789abcdef', 'SCRAM-SHA-256$x')"),
    ("create a role", "CREATE ROLE evil LOGIN"),
    ("create a temporary table", "CREATE TEMP TABLE scratch (x int)"),
    ("revoke another device", "SELECT fieldapp_revoke_device_role("
                              "'0123456789abcdef0123456789abcdef')"),
]


@pytest.mark.parametrize("what, sql", FORBIDDEN, ids=[f[0] for f in FORBIDDEN])
def test_device_role_statement_is_refused(shared_city: tuple[City, World], what: str,
                                          sql: str) -> None:
    city, world = shared_city
    with device_connect(city, world.devices["a"]) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def shared_city(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[City, World]]:
    """One enrolled city for the read-only permission checks (two devices, data applied,
    return rows written for both)."""
    made = open_city(pg_server)
    root = tmp_path_factory.mktemp("shared")
    world = build_world(root / "w", per_device=2)
    try:
        for name in ("a", "b"):
            enrol(made, world, name, root / f"usb_{name}")
            push(world.devices[name], made.device_url)
        with made.supervisor() as hub:
            hub.process_intake()
            hub.use_key(world.project.private_key)
            hub.write_return_rows()
        yield made, world
    finally:
        close_city(made)


def test_device_reads_only_its_own_return_rows(shared_city: tuple[City, World]) -> None:
    city, world = shared_city
    with city.supervisor() as hub:
        roles = {w: hub.hub.role_of_device(_device(world, w)) for w in ("a", "b")}
    with psycopg.connect(city.owner_url.replace("postgresql+psycopg", "postgresql")) as owner:
        by_role = dict(owner.execute("SELECT device_role, count(*) FROM hub_return_rows "
                                     "GROUP BY device_role").fetchall())
    assert by_role.get(roles["a"], 0) >= 1 and by_role.get(roles["b"], 0) >= 1
    with device_connect(city, world.devices["a"]) as conn:
        seen = conn.execute("SELECT DISTINCT device_role FROM hub_return_rows").fetchall()
        assert seen == [(roles["a"],)]
        other = conn.execute("SELECT count(*) FROM hub_return_rows WHERE device_role = %s",
                             (roles["b"],)).fetchone()
        assert other == (0,)


def _device(world: World, name: str) -> str:
    with open_session(world.devices[name]) as session:
        return session.keyring.device_id


def test_device_may_insert_a_bundle_row_and_nothing_is_trusted_from_it(
        shared_city: tuple[City, World]) -> None:
    city, world = shared_city
    with device_connect(city, world.devices["a"]) as conn:
        conn.execute("INSERT INTO hub_intake (bundle) VALUES ('not a bundle')")
    with city.supervisor() as hub:
        report = hub.process_intake()
        assert report.applied == [] and len(report.rejected) == 1
        (row,) = hub.intake("rejected")
        assert row.device_role == city.roles.device_role(_device(world, "a"))
        assert "not a readable bundle" in (row.reason or "")


def test_device_role_cannot_run_migrations(shared_city: tuple[City, World]) -> None:
    city, world = shared_city
    role, password = _login(world.devices["a"])
    url = city.device_url.replace("://", f"://{role}:{password}@")
    with pytest.raises(PermissionDenied, match="the database owner runs 'fieldapp hub setup"):
        SupervisorSession.open(url)


SUPERVISOR_FORBIDDEN = [
    "DELETE FROM hub_records", "DELETE FROM hub_intake", "TRUNCATE hub_receipts",
    "DROP TABLE hub_records", "CREATE TABLE evil (x int)",
    "ALTER TABLE hub_intake DISABLE ROW LEVEL SECURITY",
    "UPDATE hub_intake SET bundle = ''", "CREATE ROLE evil LOGIN",
    "UPDATE alembic_version SET version_num = 'x'",
]
COORDINATOR_FORBIDDEN = [
    "SELECT count(*) FROM hub_intake", "SELECT count(*) FROM hub_return_rows",
    "INSERT INTO meta VALUES ('x', 'y')", "UPDATE hub_interviews SET status = 'approved'",
    "DELETE FROM hub_records", "CREATE TABLE evil (x int)",
    "SELECT fieldapp_issue_device_role('0123456789abcdef0123456789abcdef', "
    "'SCRAM-SHA-256$x')",
]


def test_supervisor_and_coordinator_have_only_their_grants(
        shared_city: tuple[City, World]) -> None:
    city, _world = shared_city
    for url, refused in ((city.supervisor_url, SUPERVISOR_FORBIDDEN),
                         (city.coordinator_url, COORDINATOR_FORBIDDEN)):
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"),
                             autocommit=True) as conn:
            for sql in refused:
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute(sql)  # type: ignore[arg-type]
    with psycopg.connect(city.coordinator_url.replace("postgresql+psycopg", "postgresql")
                         ) as conn:  # read-only is enough to export and merge
        assert conn.execute("SELECT count(*) FROM hub_records").fetchone() == (4,)


def test_revoked_device_can_no_longer_log_in(city: City, world: World,
                                             tmp_path: Path) -> None:
    device_id = enrol(city, world, "a", tmp_path / "usb")
    with city.supervisor() as hub:
        hub.revoke_device(device_id)
    with pytest.raises(psycopg.OperationalError):
        device_connect(city, world.devices["a"]).close()


def test_renewed_password_replaces_the_old_one(city: City, world: World,
                                              tmp_path: Path) -> None:
    device_id = enrol(city, world, "a", tmp_path / "usb")
    _role, first = _login(world.devices["a"])
    (tmp_path / "usb2").mkdir()
    with city.supervisor() as hub:
        hub.use_key(world.project.private_key)
        hub.add_device(device_id, tmp_path / "usb2")
    with pytest.raises(psycopg.OperationalError):  # the old password is dead at once
        device_connect(city, world.devices["a"]).close()
    with open_session(world.devices["a"]) as session:
        applied, errors_ = session.pull(tmp_path / "usb2")
        assert errors_ == [] and applied[0].credential is not None
    _role, second = _login(world.devices["a"])
    assert second != first
    device_connect(city, world.devices["a"]).close()  # the new one works
    with open_session(world.devices["a"]) as session:  # an old bundle does not roll it back
        session.pull(tmp_path / "usb")
    assert _login(world.devices["a"])[1] == second
    record_and_push(world, city)


def record_and_push(world: World, city: City) -> None:
    """One more interview reaches the hub through the intake."""
    with open_session(world.devices["a"]) as session:
        record(session, world.form)
    push(world.devices["a"], city.device_url)
    with city.supervisor() as hub:
        assert sum(r.new for r in hub.process_intake().applied) == 4



def test_coordinator_role_is_enough_to_export(shared_city: tuple[City, World],
                                              tmp_path: Path) -> None:
    """Read-only is all a coordinator needs: a real CSV export of the hub, opened with the
    project key on the coordinator's machine."""
    from fieldapp.supervisor import ExportOptions

    city, world = shared_city
    with SupervisorSession.open(city.coordinator_url) as hub:
        hub.use_key(world.project.private_key)
        result = hub.export(ExportOptions(out=tmp_path / "seoul.csv", fmt="csv", workers=0))
    assert result.interviews == 4
    text = "\n".join(p.read_text("utf-8-sig") for p in result.paths)
    assert all(iid in text for name in ("a", "b") for iid in world.ids[name])
