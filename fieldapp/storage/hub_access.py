"""Who may do what in a central PostgreSQL hub: roles, grants and row-level security.

Run once by the database's **owner** (:func:`set_up_access`, ``fieldapp hub setup``); it is
idempotent, so it is also how an upgrade re-applies grants after a migration. Afterwards no
superuser is needed: the owner role needs only ``CREATEROLE`` (for device roles) and
ownership of the database. Three group roles, named after the database (``PREFIX``):

* ``PREFIX_device``: member of every device role. INSERT of the ``bundle`` column of
  ``hub_intake`` (row-level security: the row's ``device_role`` is ``current_user``, which is
  also its default) and SELECT of its own ``hub_return_rows``. Nothing else.
* ``PREFIX_supervisor``: reads and writes the hub tables (no DELETE, no DDL), processes the
  intake, writes return rows and issues device roles through one SECURITY DEFINER function.
* ``PREFIX_coordinator``: read-only on the hub tables (exports and merges); no intake, no
  return rows.

Device roles are ``PREFIX_d_<device id hex>``. Their passwords are set from a SCRAM verifier
computed by libpq on the supervisor's machine, so the password itself never reaches the
server (nor its logs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select, text

from fieldapp.clock import now_text
from fieldapp.i18n import N_
from fieldapp.storage import db
from fieldapp.storage.errors import StorageError
from fieldapp.storage.hub_sql import insert_ignore
from fieldapp.storage.migrate import migrate
from fieldapp.storage.tables import hub_device_roles, meta

PREFIX_META = "hub_access_prefix"
ISSUE_FUNCTION = "fieldapp_issue_device_role"
REVOKE_FUNCTION = "fieldapp_revoke_device_role"
#: Hub tables the supervisor reads and writes and the coordinator reads.
HUB_TABLES = ("forms", "meta", "hub_devices", "hub_receipts", "hub_records", "hub_interviews",
              "hub_history", "hub_conflicts", "hub_decisions", "hub_returns",
              "hub_device_roles")
INTAKE_UPDATABLE = ("status", "reason", "bundle_id", "processed_utc")
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL SQLSTATE


class PermissionDenied(StorageError):
    """The database refused a statement to the connected role (its grants do not allow it)."""

    code = "storage.permission-denied"


def refused(exc: BaseException) -> bool:
    """True if a (translated) database error was PostgreSQL refusing a privilege."""
    cause = exc.__cause__ if isinstance(exc, StorageError) else exc
    return getattr(cause, "sqlstate", None) == INSUFFICIENT_PRIVILEGE


@dataclass(frozen=True)
class AccessRoles:
    """The group roles of one hub database."""

    prefix: str

    @property
    def device(self) -> str:
        """Group of every device role."""
        return f"{self.prefix}_device"

    @property
    def supervisor(self) -> str:
        """Group of the supervisors' login roles."""
        return f"{self.prefix}_supervisor"

    @property
    def coordinator(self) -> str:
        """Group of read-only (coordinator) login roles."""
        return f"{self.prefix}_coordinator"

    def device_role(self, device_id: str) -> str:
        """The login role of one device."""
        return f"{self.prefix}_d_{device_hex(device_id)}"


def device_hex(device_id: str) -> str:
    """A device id (uuid) as 32 lowercase hex digits."""
    value = device_id.replace("-", "").lower()
    if not re.fullmatch(r"[0-9a-f]{32}", value):
        raise StorageError(N_("{device}: not a device id"), code="storage.hub-device-id",
                           device=device_id)
    return value


def default_prefix(url: str) -> str:
    """The database name, made a safe role-name prefix (at most 20 characters)."""
    name = re.sub(r"[^a-z0-9_]+", "_", (db.parse_url(url).database or "fieldapp").lower())
    name = name.strip("_")[:20] or "fieldapp"
    return name if name[0].isalpha() else f"f{name[:19]}"


def _statements(r: AccessRoles, database: str) -> list[str]:
    q = _quote
    tables = ", ".join(HUB_TABLES)
    updatable = ", ".join(INTAKE_UPDATABLE)
    out = [
        f"REVOKE ALL ON DATABASE {q(database)} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {q(database)} TO {r.device}, {r.supervisor}, "
        f"{r.coordinator}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {r.device}, {r.supervisor}, "
        f"{r.coordinator}",
        f"GRANT SELECT ON alembic_version TO {r.supervisor}, {r.coordinator}",
        f"GRANT SELECT, INSERT, UPDATE ON {tables} TO {r.supervisor}",
        f"GRANT SELECT ON {tables} TO {r.coordinator}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {r.supervisor}",
        # the device: its bundle into the intake, its own return rows; nothing else
        f"GRANT INSERT (bundle) ON hub_intake TO {r.device}",
        f"GRANT SELECT ON hub_return_rows TO {r.device}",
        f"GRANT SELECT, UPDATE ({updatable}) ON hub_intake TO {r.supervisor}",
        f"GRANT SELECT, INSERT ON hub_return_rows TO {r.supervisor}",
        "ALTER TABLE hub_intake ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE hub_return_rows ENABLE ROW LEVEL SECURITY",
    ]
    for table, policy, body in (
            ("hub_intake", "device_insert_own",
             f"FOR INSERT TO {r.device} WITH CHECK (device_role = current_user)"),
            ("hub_intake", "supervisor_all", f"FOR ALL TO {r.supervisor} USING (true) "
                                             "WITH CHECK (true)"),
            ("hub_return_rows", "device_read_own",
             f"FOR SELECT TO {r.device} USING (device_role = current_user)"),
            ("hub_return_rows", "supervisor_all", f"FOR ALL TO {r.supervisor} USING (true) "
                                                  "WITH CHECK (true)")):
        out.append(f"DROP POLICY IF EXISTS {policy} ON {table}")
        out.append(f"CREATE POLICY {policy} ON {table} {body}")
    out += [_issue_function(r), _revoke_function(r)]
    for function in (f"{ISSUE_FUNCTION}(text, text)", f"{REVOKE_FUNCTION}(text)"):
        out.append(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        out.append(f"GRANT EXECUTE ON FUNCTION {function} TO {r.supervisor}")
    return out


def _issue_function(r: AccessRoles) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {ISSUE_FUNCTION}(device_hex text, verifier text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  name text := '{r.prefix}_d_' || device_hex;
BEGIN
  IF device_hex !~ '^[0-9a-f]{{32}}$' THEN
    RAISE EXCEPTION 'not a device id';
  END IF;
  IF verifier !~ '^SCRAM-SHA-256[$]' THEN
    RAISE EXCEPTION 'the password must arrive as a SCRAM verifier';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
    IF NOT pg_has_role(name, '{r.device}', 'MEMBER') THEN
      RAISE EXCEPTION 'not a device role';
    END IF;
    EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', name, verifier);
  ELSE
    EXECUTE format('CREATE ROLE %I WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE '
                   'CONNECTION LIMIT 4 PASSWORD %L IN ROLE %I', name, verifier, '{r.device}');
  END IF;
  RETURN name;
END
$fn$"""


def _revoke_function(r: AccessRoles) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {REVOKE_FUNCTION}(device_hex text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  name text := '{r.prefix}_d_' || device_hex;
BEGIN
  IF device_hex !~ '^[0-9a-f]{{32}}$' OR NOT EXISTS (SELECT 1 FROM pg_roles
      WHERE rolname = name) OR NOT pg_has_role(name, '{r.device}', 'MEMBER') THEN
    RAISE EXCEPTION 'not a device role';
  END IF;
  EXECUTE format('ALTER ROLE %I WITH NOLOGIN PASSWORD NULL', name);
  RETURN name;
END
$fn$"""


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def set_up_access(url: str, *, prefix: str | None = None) -> AccessRoles:
    """As the database owner: migrate, create the group roles, grants and policies.

    Idempotent (re-run it after an upgrade). Returns the group roles.
    """
    chosen = prefix or default_prefix(url)
    if not _PREFIX.match(chosen):
        raise StorageError(N_("{prefix}: a role prefix is 1-20 lowercase letters, digits or "
                              "'_', starting with a letter"), code="storage.hub-role-prefix",
                           prefix=chosen)
    roles = AccessRoles(chosen)
    engine = db.open_url(url)
    try:
        with _owner_only(url), db.translated_errors():
            migrate(engine)
            with engine.begin() as conn:
                database = str(conn.execute(text("SELECT current_database()")).scalar_one())
                held = conn.execute(select(meta.c.value).where(
                    meta.c.key == PREFIX_META)).scalar_one_or_none()
                if held is not None and held != chosen:
                    raise StorageError(N_("this hub's roles already use the prefix {held}"),
                                       code="storage.hub-role-prefix-taken", held=held)
                for group in (roles.device, roles.supervisor, roles.coordinator):
                    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"),
                                          {"n": group}).first()
                    if exists is None:
                        conn.execute(text(f"CREATE ROLE {_quote(group)} NOLOGIN"))
                for statement in _statements(roles, database):
                    conn.execute(text(statement))
                _check_schema_closed(conn, roles)
                insert_ignore(conn, meta, ["key"], {"key": PREFIX_META, "value": chosen})
    finally:
        engine.dispose()
    return roles


def _check_schema_closed(conn: Connection, roles: AccessRoles) -> None:
    """Refuse to finish while any role may create objects in schema ``public``: on PostgreSQL
    14 and older the database's owner does not own that schema, so its REVOKE is only a
    warning, and a device could add tables or functions there."""
    row = conn.execute(text("SELECT has_schema_privilege(:r, 'public', 'CREATE'), "
                            "current_user"), {"r": roles.device}).one()
    if row[0]:
        raise StorageError(N_("schema public still lets every role create objects in it (on "
                              "PostgreSQL 14 or older the database's owner does not own it): "
                              "an administrator runs 'ALTER SCHEMA public OWNER TO {owner}', "
                              "then run 'fieldapp hub setup' again"),
                           code="storage.hub-schema-public-open", owner=str(row[1]))


@contextmanager
def _owner_only(url: str) -> Iterator[None]:
    """A refused privilege during set-up means: not the database's owner."""
    try:
        yield
    except StorageError as exc:
        if not refused(exc):
            raise
        shown = db.parse_url(url).render_as_string(hide_password=True)
        raise PermissionDenied(N_("{hub}: only the database's owner (a role with CREATEROLE "
                                  "that owns the database) can run 'fieldapp hub setup'"),
                               code="storage.hub-setup-not-owner", hub=shown) from None


def access_roles(engine: Engine) -> AccessRoles | None:
    """The hub's group roles, or None if ``set_up_access`` never ran on it."""
    with db.translated_errors(), engine.connect() as conn:
        value = conn.execute(select(meta.c.value).where(
            meta.c.key == PREFIX_META)).scalar_one_or_none()
    return None if value is None else AccessRoles(str(value))


def scram_verifier(conn: Connection, role: str, password: str) -> str:
    """libpq's SCRAM-SHA-256 verifier of ``password`` (computed here, not on the server)."""
    raw = conn.connection.driver_connection
    pgconn = raw.pgconn  # type: ignore[union-attr]
    return bytes(pgconn.encrypt_password(password.encode(), role.encode(),
                                         b"scram-sha-256")).decode()


def issue_device_role(engine: Engine, device_id: str, password: str) -> str:
    """Create (or give a new password to) a device's login role; returns its name."""
    roles = access_roles(engine)
    if roles is None:
        raise StorageError(N_("this database has no device roles yet: its owner runs "
                              "'fieldapp hub setup' first"), code="storage.hub-roles-not-set-up")
    name = roles.device_role(device_id)
    with db.translated_errors(), engine.begin() as conn:
        verifier = scram_verifier(conn, name, password)
        conn.execute(text(f"SELECT {ISSUE_FUNCTION}(:d, :v)"),
                     {"d": device_hex(device_id), "v": verifier})
        values = {"device_id": device_id, "role_name": name, "issued_utc": now_text()}
        if insert_ignore(conn, hub_device_roles, ["device_id"], values).rowcount == 0:
            conn.execute(hub_device_roles.update().where(
                hub_device_roles.c.device_id == device_id).values(issued_utc=now_text()))
    return name


def revoke_device_role(engine: Engine, device_id: str) -> str:
    """Stop a device's role from logging in (a stolen laptop); returns its name."""
    with db.translated_errors(), engine.begin() as conn:
        return str(conn.execute(text(f"SELECT {REVOKE_FUNCTION}(:d)"),
                                {"d": device_hex(device_id)}).scalar_one())
