"""Suite-wide set-up: fake AWS credentials (no test can reach a real account), a fixed
fingerprint key, and helpers that build projects on disk and run the real CLI."""

from __future__ import annotations

import os
import textwrap
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from drift.cli import main

FINGERPRINT_KEY = "test-fingerprint-key"


@pytest.fixture(autouse=True, scope="session")
def _hermetic_environment() -> Iterator[None]:
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith(("AWS_", "DRIFT_")) or name in {
            "GITHUB_ACTIONS",
            "GITHUB_STEP_SUMMARY",
            "NO_COLOR",
            "FORCE_COLOR",
            "CLICOLOR_FORCE",
            "CI",
            "GITHUB_WORKSPACE",
        }:
            del os.environ[name]
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "DRIFT_FINGERPRINT_KEY": FINGERPRINT_KEY,
        }
    )
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(autouse=True)
def _no_leave_to_run_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without `--allow-commands` (which a run sets in the process's
    environment): a test that needs it says so."""
    monkeypatch.delenv("DRIFT_ALLOW_COMMANDS", raising=False)


@dataclass
class Project:
    """A project folder written by a test."""

    root: Path

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """An empty project folder that is also the working directory."""
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)


def run(args: list[str], expect: int, env: Mapping[str, str] | None = None) -> Result:
    """Run the CLI in-process, assert its exit code, and re-raise any real exception
    (CliRunner would otherwise hide it behind an exit code)."""
    result = CliRunner().invoke(main, args, env=dict(env or {}), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("".join(traceback.format_exception(result.exception)) + f"\noutput:\n{result.output}")
    assert result.exit_code == expect, f"exit {result.exit_code} != {expect}\n{result.output}"
    assert "Traceback" not in result.output
    return result


def write_files(root: Path, files: Mapping[str, str]) -> None:
    """Write several files under root (dedented)."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
