"""The `migrations` source: which database migrations an environment has applied, against the
repository's, read from the database whose URL is the environment's own value of `url_key`.

It reads after the environment's other sources (it needs their `url_key`), connects with
psycopg (PostgreSQL) with a connect timeout, in a read-only transaction with a statement
timeout, and reads:

- `tool = "prisma"`: `_prisma_migrations` (name, checksum, finished, rolled back) against
  `dir`'s `<name>/migration.sql` (Prisma's checksum is the SHA-256 of that file);
- `tool = "alembic"`: `alembic_version` against the revisions in `dir` (`revision = "..."`
  of each `*.py`, in `down_revision` order);
- `tool = "sql"`: `query`, whose rows are (name[, checksum]), against `dir`'s `*.sql` files.

A database that cannot be reached, a refused login, a missing table or database is the
source's failure in drift's own words; the URL and its password never appear.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, ClassVar

from drift.collectors.base import Collector, CollectorError, Option, SourceData
from drift.model import Migration, MigrationFacts
from drift.platform.files import UnreadableFile

TOOLS = ("prisma", "alembic", "sql")
DEFAULT_DIRS = {"prisma": "prisma/migrations", "alembic": "alembic/versions", "sql": "migrations"}
_REVISION = re.compile(r"^(down_)?revision\s*(?::\s*[^=]+)?=\s*['\"]([^'\"]*)['\"]", re.M)


class MigrationsCollector(Collector):
    """Reads the applied migrations of the environment's database."""

    kind: ClassVar[str] = "migrations"
    waits_on_network = True
    after_entries = True
    file_options: ClassVar[tuple[str, ...]] = ("dir",)
    options: ClassVar[dict[str, Option]] = {
        "tool": Option((str,), required=True, help="prisma, alembic or sql"),
        "url_key": Option((str,), help="the key whose value is the database URL (default DATABASE_URL)"),
        "dir": Option((str,), help="the repository's migrations (default: the tool's usual folder)"),
        "query": Option((str,), help="for tool sql: a query returning (name[, checksum]) rows"),
        "timeout": Option((int, float), help="seconds to connect and for the query (default 10)"),
    }

    @classmethod
    def check_options(cls, options: Any) -> list[str]:
        tool = options.get("tool")
        problems = []
        if tool not in TOOLS:
            problems.append(f"`tool` must be one of {', '.join(TOOLS)}")
        if tool == "sql" and not isinstance(options.get("query"), str):
            problems.append("tool sql needs a `query`")
        elif tool == "sql" and not _one_select(str(options["query"])):
            problems.append(
                "`query` must be one SELECT of (name[, checksum]) from the migrations table: no `;`, "
                "no statement that writes, no function call"
            )
        return problems

    def _tool(self) -> str:
        return str(self.source.options["tool"])

    def _dir(self) -> Path:
        return self.context.root / str(self.source.options.get("dir", DEFAULT_DIRS.get(self._tool(), "migrations")))

    def name(self) -> str:
        return f"{self._tool()} migrations ({self.source.options.get('url_key', 'DATABASE_URL')})"

    def collect(self) -> SourceData:
        key = str(self.source.options.get("url_key", "DATABASE_URL"))
        entry = self.context.entries.get(key)
        if entry is None or not entry.value:
            raise CollectorError(f"{self.context.env} has no value of {key} to connect with")
        repository = self._repository()
        rows = _query(entry.value, self._sql(), float(self.source.options.get("timeout", 10)), self._tool())
        applied = tuple(self._applied(rows))
        facts = MigrationFacts(self._tool(), repository, applied, self.context.display(self._dir()))
        return SourceData([], facts={"migrations": facts})

    def _sql(self) -> str:
        tool = self._tool()
        if tool == "prisma":
            return (
                "SELECT migration_name, checksum, finished_at IS NOT NULL, rolled_back_at IS NOT NULL "
                "FROM _prisma_migrations ORDER BY started_at, migration_name"
            )
        if tool == "alembic":
            return "SELECT version_num FROM alembic_version"
        return str(self.source.options["query"])

    def _applied(self, rows: list[tuple[Any, ...]]) -> list[Migration]:
        tool = self._tool()
        if tool == "prisma":
            return [Migration(str(r[0]), r[1], bool(r[2]), bool(r[3])) for r in rows]
        if tool == "alembic":
            heads = {str(r[0]) for r in rows}
            chain = [name for name, _ in self._repository()]
            reached = max((chain.index(h) for h in heads if h in chain), default=-1)
            applied = [Migration(name, None, True, False) for name in chain[: reached + 1]]
            applied += [Migration(h, None, True, False) for h in sorted(heads - set(chain))]
            return applied
        return [Migration(str(r[0]), str(r[1]) if len(r) > 1 and r[1] is not None else None, True, False) for r in rows]

    def _repository(self) -> tuple[tuple[str, str | None], ...]:
        folder = self._dir()
        if not folder.is_dir():
            raise CollectorError(f"{self.context.display(folder)}: no migrations folder")
        tool = self._tool()
        confined = self.context.confined
        try:  # through the confinement: capped, no FIFOs, nothing that links out of the project
            if tool == "prisma":
                files = [p for p in confined.files(folder) if p.name == "migration.sql" and p.parent.parent == folder]
                return tuple((p.parent.name, _digest(confined.read_bytes(p, MIGRATION_MAX_BYTES))) for p in files)
            if tool == "alembic":
                files = [p for p in confined.files(folder, (".py",)) if p.parent == folder]
                return tuple((name, None) for name in _alembic_chain([confined.read_bytes(p) for p in files]))
            files = [p for p in confined.files(folder, (".sql",)) if p.parent == folder]
            return tuple((p.stem, _digest(confined.read_bytes(p, MIGRATION_MAX_BYTES))) for p in files)
        except UnreadableFile as exc:
            raise CollectorError(f"{self.context.display(folder)}: {exc}") from None


#: A migration file larger than this is not one drift reads.
MIGRATION_MAX_BYTES = 16 * 1024 * 1024


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _alembic_chain(sources: list[bytes]) -> list[str]:
    """Revisions in order, following `down_revision` from the base."""
    parents: dict[str, str | None] = {}
    for source in sources:
        text = source.decode("utf-8", "replace")
        found = {bool(m.group(1)): m.group(2) for m in _REVISION.finditer(text)}
        if False in found:
            parents[found[False]] = found.get(True) or None
    children = {parent: child for child, parent in parents.items()}
    chain, current = [], children.get(None)
    while current is not None and current not in chain:
        chain.append(current)
        current = children.get(current)
    return chain


_SELECT = re.compile(r"\s*select\s", re.IGNORECASE)
#: Words a query that only reads the migration names never needs.
_WRITES = re.compile(
    r"\b(insert|update|delete|merge|create|drop|alter|truncate|grant|revoke|commit|rollback|begin|start|end|set|"
    r"reset|copy|call|do|lock|listen|notify|vacuum|analyze|cluster|refresh|prepare|execute|into|savepoint|release|"
    r"discard|load|import|comment|security|declare|fetch|move|close|checkpoint|reindex)\b|\(",
    re.IGNORECASE,
)
#: What a migration's name looks like (`20240101120000_add_users`, `001_init`, a revision id).
MIGRATION_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,200}")


def _one_select(sql: str) -> bool:
    """Whether a custom `query` is one plain SELECT: nothing that writes, ends the read-only
    transaction or calls a function, and no second statement."""
    body = sql.strip().removesuffix(";")
    return bool(_SELECT.match(body)) and ";" not in body and _WRITES.search(body) is None and "--" not in body


def _query(url: str, sql: str, timeout: float, tool: str) -> list[tuple[Any, ...]]:
    """The rows of `sql`, read-only, within a client-side deadline as well as the server's
    statement timeout (a server that accepts the login and never answers cannot hold the run);
    CollectorError in drift's words."""
    import threading

    done: list[list[tuple[Any, ...]]] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            done.append(_rows(url, sql, timeout, tool))
        except BaseException as exc:  # handed to the waiting thread, which raises it there
            failed.append(exc)

    worker = threading.Thread(target=work, name="drift-migrations", daemon=True)
    worker.start()
    worker.join(2 * timeout + 5)  # connect, then the query: each bounded by `timeout`
    if worker.is_alive():
        raise CollectorError(f"the database did not answer within {2 * timeout + 5:g} s")
    if failed:
        raise failed[0]
    rows = done[0]
    if tool == "sql" and not all(row and isinstance(row[0], str) and MIGRATION_NAME.fullmatch(row[0]) for row in rows):
        raise CollectorError("the query returned values that are not migration names; its rows are not shown")
    return rows


def _rows(url: str, sql: str, timeout: float, tool: str) -> list[tuple[Any, ...]]:
    import psycopg
    from psycopg import errors

    if not url.startswith(("postgres://", "postgresql://")):
        raise CollectorError("the database URL is not a PostgreSQL URL (postgres:// or postgresql://)")
    try:
        with psycopg.connect(url, connect_timeout=max(1, int(timeout)), autocommit=False) as connection:
            connection.execute("SET TRANSACTION READ ONLY")
            connection.execute("SELECT set_config('statement_timeout', %s, true)", (f"{int(timeout * 1000)}",))
            return [tuple(row) for row in connection.execute(sql).fetchall()]
    except errors.UndefinedTable:
        table = {"prisma": "_prisma_migrations", "alembic": "alembic_version"}.get(tool, "the query's table")
        raise CollectorError(f"the database has no {table} table (no migration ever ran there?)") from None
    except errors.InvalidCatalogName:
        raise CollectorError("the database named in the URL does not exist") from None
    except errors.QueryCanceled:
        raise CollectorError("the query did not finish within the timeout") from None
    except psycopg.OperationalError as exc:
        raise CollectorError(_cause(str(exc))) from None
    except psycopg.Error as exc:
        raise CollectorError(f"the database refused the query ({type(exc).__name__})") from None


def _cause(message: str) -> str:
    """A connection failure in drift's words (psycopg's own may quote the connection)."""
    for marker, cause in (
        ("password authentication failed", "the login was refused (user or password)"),
        ("no password supplied", "the login was refused (no password in the URL)"),
        ("Connection refused", "the connection was refused (no server on that port?)"),
        ("timeout expired", "the server did not answer in time"),
        ("could not translate host name", "the host name does not resolve"),
        ("does not exist", "the database or user named in the URL does not exist"),
    ):
        if marker in message:
            return cause
    return "the database cannot be reached"
