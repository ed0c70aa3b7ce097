"""A throwaway PostgreSQL cluster on 127.0.0.1, for the tests and the demo.

`initdb` in a temporary folder (run as the `postgres` system user: PostgreSQL refuses root),
password authentication (SCRAM), a free port, a socket in the folder itself; stopped and
removed by the context manager.

    with Postgres(folder) as server:
        server.create_database("staging")
        url = server.url("staging")   # postgresql://drift:<password>@127.0.0.1:<port>/staging
"""

from __future__ import annotations

import pwd
import secrets
import shutil
import subprocess
from pathlib import Path
from types import TracebackType

from devtools.sshd import free_port

USER = "drift"


def binaries() -> Path | None:
    """The newest PostgreSQL server installed (Debian: /usr/lib/postgresql/<major>/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[4]))
    return found[-1].parent if found else None


def available() -> bool:
    """Whether a PostgreSQL server and its `postgres` system user are installed."""
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return binaries() is not None


class Postgres:
    """The cluster; a context manager that creates, starts, stops and removes it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.password = secrets.token_urlsafe(16)
        self.bin = binaries()

    def _as_postgres(self, *command: str) -> subprocess.CompletedProcess[bytes]:
        command_line = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command_line, capture_output=True, check=True, timeout=120)

    def __enter__(self) -> Postgres:
        assert self.bin is not None, "no PostgreSQL server installed"
        self.folder.mkdir(parents=True, exist_ok=True)
        data = self.folder / "data"
        secret = self.folder / "password"
        secret.write_text(self.password)
        self.folder.chmod(0o755)
        shutil.chown(self.folder, "postgres")
        shutil.chown(secret, "postgres")
        self._as_postgres(str(self.bin / "initdb"), "-D", str(data), "-U", USER, "--auth=scram-sha-256",
                          f"--pwfile={secret}", "--encoding=UTF8", "--no-sync")  # fmt: skip
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                          str(self.folder / "log"), "start")  # fmt: skip
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        assert self.bin is not None
        subprocess.run(["runuser", "-u", "postgres", "--", str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"),
                        "-m", "immediate", "-w", "stop"], capture_output=True, check=False, timeout=60)  # fmt: skip

    def url(self, database: str, password: str | None = None) -> str:
        return f"postgresql://{USER}:{password or self.password}@127.0.0.1:{self.port}/{database}"

    def execute(self, database: str, sql: str) -> None:
        """Run SQL as the superuser (seeding)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            connection.execute(sql)

    def create_database(self, name: str) -> None:
        self.execute("postgres", f'CREATE DATABASE "{name}"')
