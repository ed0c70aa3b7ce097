"""`drift sync`: keys appended as the example has them, nothing existing touched (byte for byte,
in every dialect, with CRLF, a BOM, no final newline), renames only when asked, a dry run
that exits 1, backups with the file's mode, and a file that cannot be written back exactly
left alone."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drift import api, dialects
from drift.actions.sync import plan
from tests.conftest import Project, run

EXAMPLE = """\
# Runtime
NODE_ENV=development
PORT=3001

# Database
# the main database
DATABASE_URL=postgresql://app:change-me@127.0.0.1:5432/app

# Sessions & security
SESSION_SECRET=replace-with-32-byte-secret
NEXTAUTH_SECRET=

# Email
MAIL_FROM="My App" <no-reply@example.com>
# @optional
SENTRY_DSN=
"""

#: A developer's file from before the last release, as each dialect's users write one.
DEVELOPER = {
    "node": 'NODE_ENV=development\nPORT=3000 # my port\nNEXTAUTH_SECERT="CANARY-sync-9f8e7d"\nMULTI="a\nb"\n',
    "python": "# local\nexport NODE_ENV=development\nPORT='3000'\nNEXTAUTH_SECERT=CANARY-sync-9f8e7d\n",
    "compose": "NODE_ENV=development\nPORT: 3000\nNEXTAUTH_SECERT=${PORT}-CANARY\n",
    "shell": "export NODE_ENV=development\nPORT=\"3000\"\nNEXTAUTH_SECERT='CANARY-sync-9f8e7d'\n",
    "systemd": '; local\nNODE_ENV=development\nPORT = 3000\nNEXTAUTH_SECERT="CANARY-sync-9f8e7d"\n',
}


def setup(project: Project, dialect: str, text: str | bytes) -> Path:
    project.write(".env.example", EXAMPLE)
    project.write(
        "drift.toml",
        f'[drift]\ndialect = "{dialect}"\n[environments.local]\nsources = [{{ type = "dotenv", path = ".env" }}]\n',
    )
    path = project.root / ".env"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def values(text: bytes, dialect: str) -> dict[str, str]:
    return {k: a.value for k, a in dialects.read(text.decode("utf-8"), dialect, False, "f").values.items()}


@pytest.mark.parametrize("dialect", sorted(DEVELOPER))
def test_keys_are_appended_and_nothing_else_changes(project: Project, dialect: str) -> None:
    path = setup(project, dialect, DEVELOPER[dialect])
    before = path.read_bytes()
    diff = run(["sync"], expect=1).stdout
    assert path.read_bytes() == before  # a dry run writes nothing
    assert "+DATABASE_URL=postgresql://••••••@127.0.0.1:5432/app" in diff
    assert "NEXTAUTH_SECERT looks like NEXTAUTH_SECRET" in diff and "CANARY" not in diff
    run(["sync", "--write"], expect=0)
    after = path.read_bytes()
    assert after.startswith(before)  # every byte that was there is still there, in place
    added = after[len(before) :].decode()
    assert added.startswith(
        "\n# Database\n# the main database\nDATABASE_URL=postgresql://app:change-me@127.0.0.1:5432/app\n"
        "# Sessions & security\nSESSION_SECRET=\nNEXTAUTH_SECRET=\n"
    )  # the example's comment blocks and lines, in its order; secrets empty
    read = values(after, dialect)
    assert {k: v for k, v in read.items() if k in values(before, dialect)} == values(before, dialect)
    assert read["SESSION_SECRET"] == "" and read["NEXTAUTH_SECRET"] == ""  # never a secret's value
    assert read["DATABASE_URL"] == "postgresql://app:change-me@127.0.0.1:5432/app"
    assert "SENTRY_DSN" not in read  # optional: only with --all
    assert run(["sync"], expect=0).stdout.endswith("nothing to add (local)\n")  # applying twice changes nothing


def test_crlf_bom_and_no_final_newline(project: Project) -> None:
    original = b"\xef\xbb\xbfNODE_ENV=development\r\nPORT=3000\r\n# mine\r\nNEXTAUTH_SECRET=x"
    path = setup(project, "python", original)
    path.chmod(0o600)
    out = run(["sync", "--write", "--all"], expect=0).stdout
    after = path.read_bytes()
    assert after.startswith(original + b"\r\n\r\n# Database\r\n")  # its line ending, a newline before
    assert b"\n" not in after.replace(b"\r\n", b"")  # no bare LF was introduced
    assert after.endswith(b"SENTRY_DSN=\r\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the file's mode is kept
    (backup,) = [p for p in project.root.iterdir() if p.name.startswith(".env.bak-")]
    assert backup.read_bytes() == original and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert f"kept the previous file as {backup.name}" in out


def test_renames_only_when_asked(project: Project) -> None:
    path = setup(project, "node", DEVELOPER["node"])
    run(["sync", "--write"], expect=0)
    assert b"NEXTAUTH_SECERT=" in path.read_bytes() and b"\nNEXTAUTH_SECRET=\n" in path.read_bytes()
    path = setup(project, "node", DEVELOPER["node"])
    diff = run(["sync", "--rename"], expect=1).stdout
    assert "-NEXTAUTH_SECERT=••••••\n+NEXTAUTH_SECRET=••••••" in diff
    run(["sync", "--rename", "--write"], expect=0)
    lines = path.read_text().splitlines()
    assert lines[2] == 'NEXTAUTH_SECRET="CANARY-sync-9f8e7d"'  # the key renamed, its value and quoting kept
    assert lines.count('NEXTAUTH_SECRET="CANARY-sync-9f8e7d"') == 1 and "NEXTAUTH_SECRET=" not in lines


def test_a_file_that_cannot_be_written_back_exactly_is_left_alone(project: Project) -> None:
    """systemd reads an open quote to the end of the file: appended keys would become part of
    PORT's value."""
    path = setup(project, "systemd", "NODE_ENV=development\nPORT='3000\n")
    before = path.read_bytes()
    result = run(["sync", "--write"], expect=2)
    assert ".env: left alone: in the systemd dialect" in result.stdout
    assert path.read_bytes() == before
    assert not [p for p in project.root.iterdir() if ".bak-" in p.name]


def test_a_missing_file_is_created_from_the_example(project: Project) -> None:
    path = setup(project, "python", "")
    path.unlink()
    run(["sync", "--write"], expect=0)
    assert values(path.read_bytes(), "python")["NODE_ENV"] == "development"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a new env file is private


def test_environments_are_chosen(project: Project) -> None:
    setup(project, "python", "NODE_ENV=x\n")
    project.write("drift.toml", '[environments.dev]\nsources = [{ type = "dotenv", path = ".env" }]\n')
    assert "name the environments to sync with --env" in run(["sync"], expect=2).stderr
    assert "+SESSION_SECRET=" in run(["sync", "--env", "dev"], expect=1).stdout
    project.write("drift.toml", '[environments.dev]\nsources = [{ type = "process" }]\n')
    assert "has no dotenv source" in run(["sync", "--env", "dev"], expect=2).stderr


PIECES = st.sampled_from(
    ["A=1", "B='x y'", 'C="a\\nb"', "D=#no", "E=x #c", "# comment", "", "export F=2", "G", "H=\"open", "I='x",
     "J: y", "K=${A}", "  L = 3 ", "M=`cmd`", "N=é", "\t", "O=a\\", "P=\"q\"r", "; c"]
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(DEVELOPER)), st.lists(PIECES, max_size=8), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_any_file_keeps_its_bytes_or_is_left_alone(
    tmp_path_factory: pytest.TempPathFactory, dialect: str, lines: list[str], newline: str, final: bool
) -> None:
    root = tmp_path_factory.mktemp("sync")
    original = newline.join(lines) + (newline if final and lines else "")
    (root / ".env.example").write_text(EXAMPLE)
    (root / ".env").write_bytes(original.encode())
    (root / "drift.toml").write_text(
        f'[drift]\ndialect = "{dialect}"\n[environments.local]\nsources = [{{ type = "dotenv", path = ".env" }}]\n'
    )
    project = api.load_project(root / "drift.toml", root)
    (result,) = plan(project, api.load_project_schema(project), [project.environments["local"]], True, False)
    if result.refused is not None:
        assert result.updated == result.original
        return
    assert result.updated.startswith(original.encode())
    before, after = values(original.encode(), dialect), values(result.updated, dialect)
    assert {k: after[k] for k in before} == before
