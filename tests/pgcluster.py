"""A throwaway PostgreSQL cluster for the tests: Debian's server binaries, a temp folder, loopback.

``Cluster.create()`` runs ``initdb`` into a fresh folder under the system temp dir and
starts the server on 127.0.0.1 at a free port, with its socket in that folder too:
nothing is created or changed anywhere else on the machine. ``initdb`` refuses to run as
root, so as root the server binaries run as the ``postgres`` system user (``runuser``);
the folder is handed to that user. ``stop()`` shuts the server down (``pg_ctl stop -m
fast``), ``start()`` brings it back on the same port and data, ``destroy()`` stops it and
removes the folder.

Clients connect over TCP with a password (scram-sha-256), as a team's dashboards would.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

#: Where Debian installs the server binaries, one folder per major version.
BIN_GLOB = "/usr/lib/postgresql/*/bin/initdb"
SUPERUSER = "frontline"
START_TIMEOUT_S = 120  # pg_ctl -t: generous, the machine may be busy


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's ``bin`` folder, or ``None``."""
    found = sorted(Path("/").glob(BIN_GLOB.lstrip("/")), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def why_not() -> str:
    """Why the PostgreSQL tests cannot run here ("" when they can)."""
    if find_bindir() is None:
        return f"no PostgreSQL server binaries ({BIN_GLOB}); PostgreSQL tests skipped"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run initdb as; skipped"
    return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int
    password: str

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log_path(self) -> Path:
        return self.folder / "server.log"

    # -- running the server binaries

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, cwd=self.folder, capture_output=True, text=True, check=False, timeout=300
        )

    def _check(self, tool: str, *args: str) -> None:
        done = self._run(tool, *args)
        if done.returncode != 0:
            log = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
            log = log[-2000:]
            msg = f"{tool} {' '.join(args[:2])} failed: {done.stderr.strip()}\n{log}"
            raise RuntimeError(msg)

    @classmethod
    def create(cls) -> Cluster:
        bindir = find_bindir()
        assert bindir is not None, why_not()
        folder = Path(tempfile.mkdtemp(prefix="frontline-pg-"))
        cluster = cls(bindir, folder, free_port(), secrets.token_urlsafe(12))
        try:
            pwfile = folder / "pw"
            pwfile.write_text(cluster.password + "\n", encoding="utf-8")
            if os.geteuid() == 0:
                shutil.chown(folder, "postgres", "postgres")
                shutil.chown(pwfile, "postgres", "postgres")
            cluster._check(
                "initdb",
                "-D",
                str(cluster.data),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            )
            pwfile.unlink()
            for attempt in range(3):  # the free port may be taken in between: try another
                try:
                    cluster.start()
                    break
                except RuntimeError:
                    if attempt == 2:
                        raise
                    cluster.port = free_port()
        except BaseException:
            cluster.destroy()
            raise
        return cluster

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._check(
            "pg_ctl", "start", "-D", str(self.data), "-l", str(self.log_path), "-w",
            "-t", str(START_TIMEOUT_S), "-o", options,
        )  # fmt: skip

    def stop(self) -> None:
        """Shut the server down, closing every client's connection (a no-op when stopped)."""
        if (self.data / "postmaster.pid").exists():
            self._check("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w")

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- clients

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str = "") -> str:
        return sa.URL.create(
            "postgresql+psycopg",
            username=user,
            password=password or self.password,
            host="127.0.0.1",
            port=self.port,
            database=database,
        ).render_as_string(hide_password=False)

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run statements as the superuser, outside a transaction (CREATE DATABASE needs it)."""
        engine = sa.create_engine(self.url(database), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                for statement in statements:
                    conn.exec_driver_sql(statement)
        finally:
            engine.dispose()

    def create_database(self) -> str:
        """A new, empty database; returns its URL."""
        name = f"t_{secrets.token_hex(6)}"
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = sa.make_url(url).database
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create_readonly_role(self, url: str) -> str:
        """A role that may only connect to the database at ``url`` and read its tables;
        returns the URL with that role's name and password."""
        name = sa.make_url(url).database or ""
        role, password = f"ro_{secrets.token_hex(4)}", secrets.token_urlsafe(12)
        self.execute(
            f"CREATE ROLE {role} LOGIN PASSWORD '{password}'",
            f'REVOKE ALL ON DATABASE "{name}" FROM PUBLIC',
            f'GRANT CONNECT ON DATABASE "{name}" TO {role}',
        )
        self.execute(
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
            database=name,
        )
        return self.url(name, user=role, password=password)
