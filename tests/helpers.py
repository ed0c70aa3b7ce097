"""Building a project from strings and scanning it through the library API."""

from __future__ import annotations

import os
import select
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from drift import api
from drift.model import ScanResult
from drift.secrets import Fingerprinter

Triple = tuple[str, str | None, str | None]


def make_project(
    root: Path, example: str, envs: Mapping[str, str], toml: str = "", deployed: Mapping[str, bool] | None = None
) -> Path:
    """Write .env.example, one dotenv file per environment and a drift.toml; returns the config."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ".env.example").write_text(textwrap.dedent(example).lstrip("\n"), encoding="utf-8")
    lines = ["[drift]", 'schema = ".env.example"', ""]
    for name, text in envs.items():
        (root / f"{name}.env").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        lines.append(f"[environments.{name}]")
        if deployed and name in deployed:
            lines.append(f"deployed = {str(deployed[name]).lower()}")
        lines.append(f'sources = [{{ type = "dotenv", path = "{name}.env" }}]')
        lines.append("")
    config = root / "drift.toml"
    config.write_text("\n".join(lines) + "\n" + textwrap.dedent(toml), encoding="utf-8")
    return config


def scan(root: Path, envs: tuple[str, ...] = ()) -> ScanResult:
    """Scan the project at root with a fixed fingerprint key."""
    project = api.load_project(root / "drift.toml", root)
    return api.scan(project, envs, fingerprinter=Fingerprinter(b"k"))


def triples(result: ScanResult) -> set[Triple]:
    """(rule, env, key) of every finding."""
    return {(f.rule, f.env, f.key) for f in result.findings}


def every_output(run: Callable[..., Any], expect: int, args: Sequence[str] = ()) -> str:
    """What `drift check` prints in every format (and its error stream), joined: what a
    canary test searches."""
    from drift.report.formats import Format

    texts = []
    for fmt in Format:
        result = run(["check", "--format", fmt.value, "--fail-on", "none", *args], expect=expect)
        texts.append(result.stdout + (result.stderr or ""))
    return "\n".join(texts)


def ended(pid: int, within: float = 10.0) -> bool:
    """Whether process `pid` has ended (gone, or a zombie awaiting its reaper). A process
    sent SIGKILL ends asynchronously, so this waits on a pidfd, which becomes readable at
    the moment it ends, for at most `within` seconds; a process that survives that is alive."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([fd], [], [], within)
        return bool(readable)
    finally:
        os.close(fd)
