"""The surfaces added last, as hostile input attacks them (issue #20): each test is named
after a case of the second adversarial review. A drift.toml, a unit file, a Compose file, a
manifest folder, a code tree, a migrations folder or a plan that a pull request can edit must
not make drift read or write outside the project, run a program, run without bound, print a
secret, or end with an internal error (exit 4)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from drift import dialects
from drift.platform.yamlfile import YamlError, load_all
from tests.conftest import Project, run
from tests.helpers import ended

CANARY = "CANARY-outside-7f3a"
CODE_CONFIG = '[code]\npaths = ["src"]\n[environments.e]\nsources = [{ type = "dotenv", path = ".env.example" }]\n'


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the project holding a file a hostile path wants read."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.env").write_text(f"STOLEN={CANARY}\n")
    (folder / "compose.yaml").write_text(f"services:\n  base:\n    environment:\n      STOLEN: {CANARY}\n")
    (folder / "cm.yaml").write_text(
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata: {{STOLEN: {CANARY}}}\n"
    )
    return folder


def check(expect: int) -> str:
    result = run(["check", "--format", "json", "--fail-on", "none"], expect=expect)
    assert CANARY not in result.output
    return result.stdout


def _unit(project: Project, line: str, user: bool = False) -> None:
    project.write(".env.example", "STOLEN=\n")
    project.write("deploy/app.service", f"[Service]\nExecStart=/bin/true\n{line}\n")
    flag = ", user = true" if user else ""
    project.write(
        "drift.toml",
        f'[environments.vm]\nsources = [{{ type = "systemd", unit = "app.service", root = "deploy"{flag} }}]\n',
    )


@pytest.mark.parametrize("target", ["absolute", "home", "git"])
def test_systemd_environment_file_outside_the_project(project: Project, outside: Path, target: str) -> None:
    project.write(".git/config", f"[remote]\nurl = https://x:{CANARY}@h/\n")
    path = {"absolute": outside / "secret.env", "home": "%h/secret.env", "git": project.root / ".git/config"}[target]
    _unit(project, f"EnvironmentFile={path}", user=target == "home")  # %h is the user's home
    assert "source-unavailable" in check(3)


def test_systemd_drop_in_folder_linked_out_of_the_project(project: Project, outside: Path) -> None:
    _unit(project, "Environment=A=1")
    (outside / "app.service.d").mkdir()
    (outside / "app.service.d" / "x.conf").write_text(f"[Service]\nEnvironment=STOLEN={CANARY}\n")
    (project.root / "deploy" / "app.service.d").symlink_to(outside / "app.service.d")
    assert "leaves the project folder" in check(3)


def test_systemd_without_root_needs_leave_to_read_this_machine(project: Project) -> None:
    project.write(".env.example", "A=\n")
    project.write("drift.toml", '[environments.vm]\nsources = [{ type = "systemd", unit = "cron.service" }]\n')
    assert "allow_outside" in check(3)


@pytest.mark.parametrize("where", ["../outside/compose.yaml", "absolute", ".git/compose.yaml"])
def test_compose_extends_file_is_confined(project: Project, outside: Path, where: str) -> None:
    file = str(outside / "compose.yaml") if where == "absolute" else where
    if where.startswith("../"):
        (project.root.parent / "outside").symlink_to(outside, target_is_directory=True)
    project.write(".git/compose.yaml", f"services:\n  base:\n    environment:\n      STOLEN: {CANARY}\n")
    project.write(".env.example", "STOLEN=\n")
    project.write(
        "compose.yaml", f"services:\n  web:\n    image: x\n    extends:\n      file: {file}\n      service: base\n"
    )
    project.write(
        "drift.toml", '[environments.c]\nsources = [{ type = "compose", files = ["compose.yaml"], service = "web" }]\n'
    )
    try:
        assert "source-unavailable" in check(3)
    finally:
        if where.startswith("../"):
            (project.root.parent / "outside").unlink()


def test_manifest_folder_linked_out_of_the_project(project: Project, outside: Path) -> None:
    project.write(".env.example", "STOLEN=\n")
    project.write("k8s/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\ndata: {A: '1'}\n")
    (project.root / "k8s" / "more").symlink_to(outside, target_is_directory=True)
    project.write(
        "drift.toml",
        '[environments.k]\nsources = [{ type = "kubernetes", manifests = "k8s", workload = "deployment/web" }]\n',
    )
    assert "source-unavailable" in check(3)


def test_committed_symlink_in_the_code_tree_is_not_read(project: Project, outside: Path) -> None:
    (outside / "leak.js").write_text("const x = process.env.OUTSIDE_ONLY_KEY;\n")
    project.write("src/app.js", "const y = process.env.INSIDE_KEY;\n")
    (project.root / "src" / "linked.js").symlink_to(outside / "leak.js")
    project.write(".env.example", "INSIDE_KEY=1\n")
    project.write(
        "drift.toml",
        '[code]\npaths = ["src"]\n[environments.e]\nsources = [{ type = "dotenv", path = ".env.example" }]\n',
    )
    reads = json.loads(run(["code", "--format", "json"], expect=0).stdout)["reads"]
    keys = {r["key"] for r in reads}
    assert "INSIDE_KEY" in keys and "OUTSIDE_ONLY_KEY" not in keys


def test_sync_never_replaces_a_dotenv_link_that_leaves_the_project(project: Project, outside: Path) -> None:
    project.write(".env.example", "A=1\n")
    (project.root / ".env").symlink_to(outside / "secret.env")
    result = run(["sync", "--write"], expect=2)
    assert "leaves the project folder" in result.stderr and CANARY not in result.output
    assert (project.root / ".env").is_symlink() and (outside / "secret.env").read_text() == f"STOLEN={CANARY}\n"
    assert not list(project.root.glob(".env.bak-*"))


def test_a_fifo_and_a_link_out_in_a_migrations_folder(project: Project, outside: Path) -> None:
    project.write(".env.example", "DATABASE_URL=\n")
    project.write("prod.env", "DATABASE_URL=postgresql://u@db.internal/app\n")
    project.write(
        "drift.toml",
        '[environments.p]\nsources = [{ type = "dotenv", path = "prod.env" }, '
        '{ type = "migrations", tool = "sql", dir = "migrations", query = "SELECT name FROM log" }]\n',
    )
    (project.root / "migrations").mkdir()
    os.mkfifo(project.root / "migrations" / "001_init.sql")
    assert "not a regular file" in check(3)  # refused at once, never a hang
    (project.root / "migrations" / "001_init.sql").unlink()
    (project.root / "migrations" / "001_init.sql").symlink_to(outside / "secret.env")
    assert "leaves the project folder" in check(3)


@pytest.mark.parametrize(
    "query", ["SELECT password FROM users; COMMIT", "COMMIT; CREATE TABLE t (a int)", "SELECT pg_read_file('x')"]
)
def test_a_custom_migrations_query_is_one_select(project: Project, query: str) -> None:
    project.write(".env.example", "A=\n")
    project.write(
        "drift.toml",
        f'[environments.p]\nsources = [{{ type = "migrations", tool = "sql", query = "{query}" }}]\n',
    )
    assert "`query` must be one SELECT" in run(["check"], expect=2).stderr


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ('{ type = "command", argv = ["sh", "-c", "echo A=1"] }', "the command source"),
        ('{ type = "kubernetes", command = ["sh", "-c", "true"], workload = "deployment/web" }', "kubernetes"),
    ],
)
def test_programs_run_only_with_leave_from_outside_the_configuration(project: Project, source: str, what: str) -> None:
    project.write(".env.example", "A=\n")
    project.write("drift.toml", f"[environments.p]\nsources = [{source}]\n")
    marker = project.root / "ran"
    project.write("drift.toml", (project.root / "drift.toml").read_text().replace("true", f"touch {marker}"))
    out = check(3)
    assert what in out and "--allow-commands" in out and not marker.exists()
    allowed = run(
        ["check", "--allow-commands", "--format", "json", "--fail-on", "none"], expect=3 if "kubernetes" in what else 0
    )
    assert "--allow-commands" not in allowed.stdout


@pytest.mark.parametrize("directive", ["ProxyCommand sh -c 'touch {m}'", 'Match exec "touch {m}"', "Include other"])
def test_an_executing_ssh_config_is_refused(project: Project, directive: str) -> None:
    marker = project.root / "ran"
    project.write("ssh_config", "Host vm\n  HostName 127.0.0.1\n  " + directive.format(m=marker) + "\n")
    project.write(".env.example", "A=\n")
    project.write(
        "drift.toml",
        '[environments.vm]\nsources = [{ type = "ssh", host = "vm", path = "/srv/app/.env", '
        'ssh_config = "ssh_config" }]\n',
    )
    out = check(3)
    assert "ssh_config" in out and "--allow-commands" in out and not marker.exists()


def test_yaml_merge_key_bomb_is_bounded() -> None:
    text = "a0: &a0 {k: 1, j: 2}\n" + "".join(
        f"a{i}: &a{i}\n  <<: [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n  n{i}: v\n" for i in range(1, 40)
    )
    try:
        load_all(text, "bomb.yaml")
    except YamlError as exc:
        assert "expanded" in str(exc)


def test_nested_compose_interpolation_is_malformed_not_a_crash(project: Project) -> None:
    project.write(".env.example", "A=" + "${Y:-" * 400 + "x" + "}" * 400 + "\n")
    project.write(".env", "A=x\n")
    result = run(["check", "--dialect", "compose", "--format", "json", "--fail-on", "none"], expect=0)
    assert '"rule": "malformed"' in result.stdout


@pytest.mark.parametrize("cache", ["{damaged", '{"version": "x", "files": []}', "[1]"])
def test_a_damaged_code_cache_is_rebuilt(project: Project, cache: str) -> None:
    project.write("src/a.py", "import os\nos.environ['KEY_A']\n")
    project.write(".env.example", "KEY_A=1\n")
    project.write(
        "drift.toml",
        '[code]\npaths = ["src"]\n[environments.e]\nsources = [{ type = "dotenv", path = ".env.example" }]\n',
    )
    run(["check"], expect=0)
    cache_file = project.root / ".drift" / "code-cache.json"
    data = json.loads(cache_file.read_text())
    data["files"] = {digest: [[1, "x", None]] for digest in data["files"]}
    for text in (cache, json.dumps(data)):
        cache_file.write_text(text)
        reads = json.loads(run(["code", "--format", "json"], expect=0).stdout)["reads"]
        assert {"key": "KEY_A", "path": "src/a.py", "line": 2, "kind": "direct"} in reads


def test_a_failed_commands_stderr_is_scrubbed(project: Project) -> None:
    project.write(".env.example", "A=\n")
    script = 'echo "DB_PASSWORD=hunter2CANARY Authorization: Bearer tokCANARY export X_TOKEN=zzCANARY" >&2; exit 3'
    project.write(
        "drift.toml",
        f'[environments.p]\nsources = [{{ type = "command", argv = ["sh", "-c", {json.dumps(script)}] }}]\n',
    )
    result = run(["check", "--allow-commands"], expect=3)
    assert "CANARY" not in result.output and "exited with status 3" in result.output


def test_an_injected_key_name_cannot_start_a_workflow_command(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write(
        "drift.toml",
        '[environments.p]\nsources = [{ type = "command", argv = ["cat", "keys.json"], format = "json" }]\n',
    )
    project.write("keys.json", json.dumps({"A": "1", "B\n::error::pwned": "x", "C\x1b]0;t\x07": "y"}))
    for fmt in ("terminal", "junit", "html", "markdown"):
        out = run(["check", "--allow-commands", "--format", fmt], expect=0, env={"GITHUB_ACTIONS": "true"}).stdout
        assert not any(line.startswith("::error::pwned") for line in out.splitlines()), fmt
        assert "\x1b]" not in out, fmt


def test_a_commands_background_child_is_killed_with_it(project: Project) -> None:
    pid_file = project.root / "child.pid"
    script = f"sleep 300 & echo $! > {pid_file}; exit 0"
    project.write(".env.example", "A=\n")
    project.write(
        "drift.toml", f'[environments.p]\nsources = [{{ type = "command", argv = ["sh", "-c", "{script}"] }}]\n'
    )
    run(["check", "--allow-commands"], expect=0)
    assert ended(int(pid_file.read_text()))


@pytest.mark.parametrize("timeout", [0, -1, 1e300])
def test_an_ssh_timeout_out_of_range_is_a_configuration_error(project: Project, timeout: float) -> None:
    project.write(".env.example", "A=\n")
    project.write(
        "drift.toml",
        f'[environments.v]\nsources = [{{ type = "ssh", host = "vm", path = "/a/.env", timeout = {timeout} }}]\n',
    )
    assert "`timeout` must be a number of seconds" in run(["check"], expect=2).stderr


def test_a_gzip_bomb_in_the_history_is_damage_not_a_crash(project: Project) -> None:
    import gzip
    import sqlite3

    project.write(".env.example", "A=1\n")
    project.write(".env.p", "A=1\n")
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "dotenv", path = ".env.p" }]\n')
    run(["scan"], expect=0)
    with sqlite3.connect(project.root / ".drift" / "history.sqlite") as db:
        db.execute("UPDATE scans SET data = ?", (gzip.compress(b" " * (80 * 1024 * 1024)),))
    result = run(["check"], expect=0)
    assert "checking without history" in result.stderr


def test_the_javascript_reader_is_linear_in_its_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """6,000 `process.env.X` in one file took 27 s: each read looked at the whole program for
    a `process` of its own. Counted, not timed: each scope is looked at once per file."""
    from drift.code import javascript

    calls: list[object] = []
    real = javascript._declares_process

    def counted(scope: object) -> bool:
        calls.append(scope)
        return real(scope)

    monkeypatch.setattr(javascript, "_declares_process", counted)
    for count in (100, 2000):
        calls.clear()
        text = "".join(f"const v{i} = process.env.KEY_{i};\n" for i in range(count))
        assert len(javascript.reads(text, "a.js")) == count
        assert len(calls) == 1  # the program, once


@pytest.mark.parametrize(
    ("name", "before", "read"),
    [
        ("deep.js", "const a = ", "process.env.DEEP"),
        ("deep.py", "import os\na = ", "os.environ['DEEP']"),
        ("deep.rb", "a = ", "ENV['DEEP']"),
        ("deep.go", 'package main\nimport "os"\nvar a = ', 'os.Getenv("DEEP")'),
    ],
)
def test_deeply_nested_code_makes_the_file_unreadable_not_the_run(
    project: Project, name: str, before: str, read: str
) -> None:
    project.write(f"src/{name}", before + "(" * 25000 + read + ")" * 25000 + "\n")
    project.write("src/ok.js", "const b = process.env.FINE;\n")
    project.write(".env.example", "FINE=1\n")
    project.write(
        "drift.toml",
        '[code]\npaths = ["src"]\n[environments.e]\nsources = [{ type = "dotenv", path = ".env.example" }]\n',
    )
    keys = {r["key"] for r in json.loads(run(["code", "--format", "json"], expect=0).stdout)["reads"]}
    assert keys == {"FINE"}


def test_a_cel_assertion_over_a_huge_value_is_not_evaluated(project: Project) -> None:
    project.write(".env.example", "BIG=x\n")
    project.write(".env.p", "BIG=" + "x" * (2 * 1024 * 1024) + "\n")
    project.write(
        "drift.toml",
        '[environments.p]\nsources = [{ type = "dotenv", path = ".env.p" }]\n'
        '[[assert]]\nname = "grow"\ncheck = "size(BIG + BIG + BIG + BIG + BIG + BIG + BIG + BIG) > 0"\n',
    )
    out = run(["check", "--format", "json", "--fail-on", "none"], expect=0).stdout
    assert "over 65,536 characters" in out


@pytest.mark.parametrize("index", ["\u00b2", "9" * 5000, "\u0661", "-1"])
def test_a_forged_frame_index_from_the_remote_is_refused(index: str) -> None:
    from drift.platform import ssh

    with pytest.raises(ssh.RemoteFailed, match="did not ask for"):
        ssh._frames(f"\n==b ok {index}\nA=1\n".encode(), "==b", ["/srv/.env"], ssh.Host("vm"))


@pytest.mark.parametrize(
    ("dialect", "text"),
    [
        ("php", 'A=1\nB="' + "${A}" * 250_000 + '"\n'),
        ("php", "A=" + "$" * 1_000_000 + "\n"),
        ("ruby", "A=" + "$(" * 500_000 + "\n"),
        ("ruby", "A=" + "$(" * 250_000 + ")" * 250_000 + "\n"),
        ("go", "A=" + "x #" * 330_000 + "\n"),
        ("go", 'A="' + '\\"' * 500_000 + "\n"),
    ],
)
def test_a_one_megabyte_hostile_line_in_the_new_dialects(dialect: str, text: str) -> None:
    """Each was quadratic or worse once (replacement by replacement, scan by scan): now one
    pass, or a bounded number of them. The answer is a value or a `malformed` line."""
    read = dialects.read(text, dialect, False, "f")
    assert read.values or read.malformed


def test_the_scrubber_on_a_megabyte_of_assignments() -> None:
    from drift.secrets.scrub import scrub

    assert scrub("PASSWORD=x " * 90_000).count("••••••") == 90_000
