"""The pre-commit hooks through the real `pre-commit`, in a scratch repository: `try-repo` as a
user first tries them, then `pre-commit run` with a `.pre-commit-config.yaml` naming this
repository at a commit, as a user adopts them. pre-commit builds the hooks' environment with
pip from this repository and the core's dependencies only (from the venv's wheelhouse folder,
which `make test` fills from the registry, instead of the network); the hooks then pass on a clean
checkout, pass with one line where there is nothing to check, fail on a `.env` that drifts
(naming the key, never the value) and on a broken schema."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE = Path(sys.prefix) / "wheelhouse"  # beside the venv's Python, whose wheels they are


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    assert (WHEELHOUSE / ".complete").exists(), "`make test` fills the venv's wheelhouse folder"
    work = tmp_path_factory.mktemp("pre-commit")
    repo = work / "app"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".env.example").write_text("# @required\nDATABASE_URL=\nLOG_LEVEL=info\nPORT=3000\n")
    (repo / ".gitignore").write_text(".env\n")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(work / "cache"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "NO_COLOR": "1",
    }
    hooks = work / "drift"  # this repository's files as git knows them, at one commit
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (hooks / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, hooks / name)
    git(hooks, "init", "-q")
    git(hooks, "add", ".")
    git(hooks, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "drift")
    rev = subprocess.run(["git", "-C", str(hooks), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev.stdout.strip()}\n"
        "    hooks: [{id: drift-schema-lint}, {id: drift-check-local}]\n"
    )
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "hooks")
    return repo, env


def pre_commit(repo: Path, env: dict[str, str], *hooks: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit run` with the scratch repository's configuration (one environment, reused)."""
    return _pre_commit(repo, env, "run", *hooks)


def try_repo(repo: Path, env: dict[str, str], *hooks: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` of this repository (a new environment each time)."""
    return _pre_commit(repo, env, "try-repo", str(ROOT), *hooks)


def _pre_commit(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_hooks_install_from_the_core_and_pass_on_a_clean_checkout(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    done = try_repo(repo, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "drift schema lint" in done.stdout and "Passed" in done.stdout
    assert "local: .env does not exist; skipped" in done.stdout and "exit 0" in done.stdout
    # pip built the environment with no index from the core's wheels alone: no AWS, YAML,
    # database, tree-sitter or notification package was there to install
    available = {p.name.split("-")[0].lower() for p in WHEELHOUSE.glob("*.whl")}
    assert {"python_dotenv", "click", "rich"} <= available
    assert not available & {"boto3", "botocore", "pyyaml", "psycopg", "tree_sitter", "apprise", "cel_expr_python"}


def test_a_repository_without_a_schema_passes_with_one_line_a_hook(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    """A Python project that does not use drift: its pyproject.toml wakes the lint hook."""
    original = (repo / ".env.example").read_text()
    (repo / "pyproject.toml").write_text('[project]\nname = "app"\n')
    git(repo, "add", "pyproject.toml")
    git(repo, "rm", "-q", ".env.example")
    try:
        done = pre_commit(repo, env, "drift-schema-lint")
    finally:
        git(repo, "rm", "-q", "-f", "pyproject.toml")
        (repo / ".env.example").write_text(original)
        git(repo, "add", ".env.example")
    assert done.returncode == 0, done.stdout + done.stderr
    said = [line for line in done.stdout.split("- duration:", 1)[1].splitlines()[1:] if line.strip()]
    assert len(said) == 1 and "nothing to check" in said[0], done.stdout


def test_the_local_check_fails_on_drift_without_showing_the_value(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    (repo / ".env").write_text("LOG_LEVEL=debug\nPORT=3000\nSTRIPE_KEY=sk_live_CANARYprecommit0000\n")
    try:
        done = pre_commit(repo, env, "drift-check-local")
    finally:
        (repo / ".env").unlink()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "DATABASE_URL" in done.stdout and "CANARYprecommit" not in done.stdout + done.stderr


def test_schema_lint_fails_on_a_broken_schema(scratch: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch
    original = (repo / ".env.example").read_text()
    (repo / ".env.example").write_text(original + "# @type prot\nAPI_PORT=8080\n")
    try:
        done = pre_commit(repo, env, "drift-schema-lint")
    finally:
        (repo / ".env.example").write_text(original)
    assert done.returncode == 1, done.stdout + done.stderr
    assert ".env.example:5: bad annotation (`type` must be one of" in done.stdout
