"""The `migrations` source and rules against a real PostgreSQL (a throwaway cluster from
devtools/postgres.py; .ci/run installs the server): three environments as three databases
holding Prisma's `_prisma_migrations` table as Prisma creates it: up to date, behind by two,
and one with an edited, a failed and an unknown migration; each failure cause named; the
database password in no output."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.postgres import Postgres, available
from tests.conftest import Project, run
from tests.helpers import every_output

pytestmark = pytest.mark.skipif(not available(), reason="PostgreSQL is not installed (.ci/run installs it)")

MIGRATIONS = {
    "20250101000000_init": "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n",
    "20250201000000_sessions": "CREATE TABLE sessions (id text PRIMARY KEY, user_id int REFERENCES users(id));\n",
    "20250301000000_laps": "CREATE TABLE laps (id serial PRIMARY KEY, ms int NOT NULL);\n",
    "20250401000000_ingest": "ALTER TABLE laps ADD COLUMN source text;\n",
}
#: Prisma's own table, as `prisma migrate deploy` creates it.
TABLE = """
CREATE TABLE "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
);
"""


def checksum(name: str) -> str:
    return hashlib.sha256(MIGRATIONS[name].encode()).hexdigest()


def row(index: int, name: str, digest: str, finished: bool = True) -> str:
    done = f"'2025-06-0{index} 10:00:01+00'" if finished else "NULL"
    return (
        "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) "
        f"VALUES ('{index:036d}', '{digest}', {done}, '{name}', '2025-06-0{index} 10:00:00+00', 1);"
    )


@pytest.fixture(scope="module")
def server() -> Iterator[Postgres]:
    folder = Path(tempfile.mkdtemp(prefix="drift-pg-", dir="/tmp"))  # the postgres user must reach it
    try:
        with Postgres(folder) as postgres:
            names = list(MIGRATIONS)
            for database, rows in {
                "production": [row(i + 1, n, checksum(n)) for i, n in enumerate(names)],
                "staging": [row(i + 1, n, checksum(n)) for i, n in enumerate(names[:2])],
                "review": [
                    row(1, names[0], "0" * 64),  # edited after it ran
                    row(2, names[1], checksum(names[1])),
                    row(3, names[2], checksum(names[2]), finished=False),  # failed
                    row(4, "20240101000000_hotfix", "f" * 64),  # not in the repository
                ],
                "empty": [],
            }.items():
                postgres.create_database(database)
                if database != "empty":
                    postgres.execute(database, TABLE + "".join(rows))
            yield postgres
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def app(project: Project, server: Postgres) -> Project:
    for name, sql in MIGRATIONS.items():
        project.write(f"prisma/migrations/{name}/migration.sql", sql)
    project.write(".env.example", "# @type url\nDATABASE_URL=postgresql://app:change-me@localhost:5432/app\n")
    lines = []
    for env in ("production", "staging", "review"):
        project.write(f"{env}.env", f"DATABASE_URL={server.url(env)}\n")
        lines.append(
            f"[environments.{env}]\nsources = [\n"
            f'  {{ type = "dotenv", path = "{env}.env" }},\n'
            '  { type = "migrations", tool = "prisma", url_key = "DATABASE_URL", dir = "prisma/migrations" },\n]\n'
        )
    lines.append(
        '[[ignore]]\nrule = "local-value"\nkey = "DATABASE_URL"\nreason = "the test\'s PostgreSQL is on 127.0.0.1"\n'
    )
    project.write("drift.toml", "".join(lines))
    return project


def findings(expect: int) -> set[tuple[str, str | None, str | None]]:
    document = json.loads(run(["check", "--format", "json"], expect=expect).stdout)
    return {(f["rule"], f["env"], f["key"]) for f in document["findings"] if f["rule"].startswith("migration-")}


def test_applied_migrations_against_the_repository(app: Project, server: Postgres) -> None:
    names = list(MIGRATIONS)
    assert findings(1) == {
        ("migration-pending", "staging", names[2]),
        ("migration-pending", "staging", names[3]),
        ("migration-modified", "review", names[0]),
        ("migration-failed", "review", names[2]),
        ("migration-pending", "review", names[3]),
        ("migration-unknown", "review", "20240101000000_hotfix"),
        ("migration-parity", None, None),  # several pairs: told apart by their ids
    }
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    parity = sorted(f["message"] for f in document["findings"] if f["rule"] == "migration-parity")
    assert f"production is 2 migration(s) ahead of staging: {names[2]}, {names[3]}" in parity
    assert server.password not in every_output(run, 0)


@pytest.mark.parametrize(
    ("url", "cause"),
    [
        ("postgresql://drift:wrong-CANARY-pw@127.0.0.1:{port}/production", "the login was refused (user or password)"),
        ("postgresql://drift:{password}@127.0.0.1:{port}/empty", "the database has no _prisma_migrations table"),
        (
            "postgresql://drift:{password}@127.0.0.1:{port}/nowhere",
            "the database or user named in the URL does not exist",
        ),
        ("postgresql://drift:{password}@127.0.0.1:1/production", "the connection was refused"),
        ("mysql://drift:{password}@127.0.0.1:{port}/production", "not a PostgreSQL URL"),
    ],
)
def test_each_cause_is_named_and_the_password_never_shown(app: Project, server: Postgres, url: str, cause: str) -> None:
    app.write("production.env", "DATABASE_URL=" + url.format(port=server.port, password=server.password) + "\n")
    document = json.loads(run(["check", "--format", "json", "--env", "production"], expect=3).stdout)
    (finding,) = [f for f in document["findings"] if f["rule"] == "source-unavailable"]
    assert cause in finding["message"]
    text = json.dumps(document)
    assert server.password not in text and "CANARY" not in text


def test_a_migration_applied_since_the_last_scan_is_changed(app: Project, server: Postgres) -> None:
    app.write("drift.toml", (app.root / "drift.toml").read_text() + '[drift]\nhistory = ".drift/history.sqlite"\n')
    run(["scan", "--fail-on", "none"], expect=0)
    names = list(MIGRATIONS)
    server.execute("staging", row(3, names[2], checksum(names[2])))  # deployed overnight
    try:
        run(["scan", "--fail-on", "none"], expect=0)
        document = json.loads((app.root / "reports" / "drift-report.json").read_text())
        (changed,) = [f for f in document["findings"] if f["rule"] == "changed"]
        assert (changed["env"], changed["key"]) == ("staging", "migrations:prisma")
        assert (
            changed["expected"] == f"2 applied, the last {names[1]}"
            and changed["actual"] == f"3 applied, the last {names[2]}"
        )
    finally:
        server.execute("staging", f"DELETE FROM _prisma_migrations WHERE migration_name = '{names[2]}'")


def test_alembic_and_plain_sql_migrations(project: Project, server: Postgres) -> None:
    """Alembic's `alembic_version` against the revision chain of `alembic/versions`; a
    configured query against `migrations/*.sql`."""
    for revision, down in (("a1b2c3", None), ("d4e5f6", "a1b2c3"), ("0719ab", "d4e5f6")):
        project.write(
            f"alembic/versions/{revision}_step.py",
            f'"""step"""\nrevision = "{revision}"\ndown_revision = {down!r}\n\ndef upgrade():\n    pass\n',
        )
    for name in ("001_init", "002_users"):
        project.write(f"migrations/{name}.sql", f"-- {name}\nSELECT 1;\n")
    for database in ("alembic_env", "sql_env"):
        server.create_database(database)
    server.execute("alembic_env", "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY); "
                   "INSERT INTO alembic_version VALUES ('d4e5f6');")  # fmt: skip
    digest = hashlib.sha256(b"-- 001_init\nSELECT 1;\n").hexdigest()
    server.execute("sql_env", f"CREATE TABLE schema_log (name text, checksum text); "
                   f"INSERT INTO schema_log VALUES ('001_init', '{digest}'), ('000_legacy', NULL);")  # fmt: skip
    project.write(".env.example", "DATABASE_URL=postgresql://localhost/app\n")
    project.write("a.env", f"DATABASE_URL={server.url('alembic_env')}\n")
    project.write("s.env", f"DATABASE_URL={server.url('sql_env')}\n")
    project.write(
        "drift.toml",
        '[environments.alembic]\nsources = [{ type = "dotenv", path = "a.env" }, '
        '{ type = "migrations", tool = "alembic" }]\n'
        '[environments.sql]\nsources = [{ type = "dotenv", path = "s.env" }, '
        '{ type = "migrations", tool = "sql", query = "SELECT name, checksum FROM schema_log" }]\n',
    )
    assert findings(1) == {
        ("migration-pending", "alembic", "0719ab"),  # the head is one revision behind
        ("migration-pending", "sql", "002_users"),
        ("migration-unknown", "sql", "000_legacy"),
    }
