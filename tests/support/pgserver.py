"""A throwaway PostgreSQL cluster from Debian's binaries (for tests/postgres and bench/).

``initdb``/``pg_ctl`` refuse to run as root, so as root they run as the ``postgres`` user via
``runuser``. The cluster lives in a temp dir (socket there too), ``fsync=off``. The socket
trusts every role (the suite's set-up); TCP on 127.0.0.1 checks passwords (SCRAM), so device
credentials are really verified.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "fieldapp"


def find_bindir() -> Path | None:
    """Directory holding initdb and pg_ctl (pg_config --bindir, else /usr/lib/postgresql)."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            candidates.append(Path(out.stdout.strip()))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """``start()`` a cluster, ``url(db)`` for SQLAlchemy, ``create_database``, ``stop()``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="fieldapp-pg-"))
        self.port = _free_port()

    def _run(self, *cmd: str) -> None:
        result = subprocess.run(_as_server_user(list(cmd)), capture_output=True, text=True,
                                timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{Path(cmd[0]).name} failed: {result.stderr.strip()[-2000:]}")

    def start(self) -> PgServer:
        """initdb + pg_ctl start (-w): returns when the server accepts connections."""
        if os.geteuid() == 0:
            pg = pwd.getpwnam("postgres")
            os.chown(self.root, pg.pw_uid, pg.pw_gid)
        os.chmod(self.root, 0o700)
        data = self.root / "data"
        self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", USER, "--auth-local=trust",
                  "--auth-host=scram-sha-256",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l",
                  str(self.root / "server.log"), "-w", "-o", options, "start")
        return self

    def stop(self) -> None:
        """pg_ctl stop -m fast, then remove the cluster."""
        with contextlib.suppress(Exception):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast",
                      "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """``postgresql+psycopg://`` URL over the unix socket."""
        return f"postgresql+psycopg://{USER}@/{database}?host={self.root}&port={self.port}"

    def tcp_url(self, database: str, user: str) -> str:
        """URL over TCP, where the server checks passwords (SCRAM); none is given here."""
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def socket_url(self, database: str, user: str) -> str:
        """URL over the unix socket as ``user`` (trusted: no password)."""
        return f"postgresql+psycopg://{user}@/{database}?host={self.root}&port={self.port}"

    def admin(self, sql: str) -> None:
        """Run one statement on the maintenance database (autocommit)."""
        import psycopg

        with psycopg.connect(host=str(self.root), port=self.port, user=USER,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]
