"""`drift check` without click (drift.console.check.run_hook) against `drift check` through
click: for every argument list the hook path reads, the same exit code, the same stdout and
stderr and the same report files; for every other, it reads nothing and leaves it to click.
The argument lists are generated from the command's options, their valid values and the
values click refuses or reads in its own way."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import chdir, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from drift.cli import main
from drift.console.check import hook_options, run_hook
from drift.dialects import DIALECTS
from drift.platform.programs import ALLOW_ENV
from drift.report.formats import Format

ROOT = Path(__file__).resolve().parent.parent
CANARY = "hk-9f3c2a7e5d1b"  # a value no word list names: it must appear in no output

EXAMPLE = """\
# @required
DATABASE_URL=postgres://app:change-me@localhost:5432/app
# @type int
PORT=3000
LOG_LEVEL=info
# @type bool
FEATURE_SEARCH=false
STRIPE_SECRET_KEY=
"""
FILES = {
    "configured/drift.toml": """\
[drift]
schema = ".env.example"

[env.local]
sources = [{ type = "dotenv", path = ".env" }]

[env.production]
sources = [{ type = "dotenv", path = "prod.env" }]
""",
    "configured/.env.example": EXAMPLE,
    "configured/.env": "DATABASE_URL=postgres://app:pw@localhost:5432/app\nPORT=3000\nLOG_LEVEL=debug\n",
    "configured/prod.env": f"PORT=eighty\nLOG_LEVEL=warn\nSTRIPE_SECRET_KEY={CANARY}\nUNDECLARED_THING={CANARY}\n",
    "bare/.env.example": EXAMPLE,
    "bare/.env": f"PORT=3000\nFEATURE_SEARCH=maybe\nDATABASE_URL=postgres://u:{CANARY}@db/app\n",
    "empty/README": "nothing to check here\n",
}


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hook-path")
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for folder in ("configured", "bare", "empty"):
        (root / folder / "a-folder").mkdir()
    return root


# The values each option is given: ones click takes (an environment or a file that may not
# be there among them), and ones click refuses or reads its own way.
TAKEN = {
    "--env": ["local", "production", "staging"],
    "--format": [f.value for f in Format],
    "--fail-on": ["error", "warning", "info", "none"],
    "--dialect": list(DIALECTS),
    "--config": ["drift.toml", "missing.toml", "../bare/.env.example"],
    "--schema": [".env.example", "nope.example", ".env"],
    "--output": ["json:out/report.json", "sarif:out/drift.sarif", "markdown:out/r.md", "junit", "bogus:x"],
    "--changed-since": ["HEAD"],
}
REFUSED = {
    "--env": ["", "-q", "--strict"],
    "--format": ["JSON", "xml", ""],
    "--fail-on": ["fatal", "Error"],
    "--dialect": ["perl", ""],
    "--config": ["a-folder", ""],
    "--schema": ["a-folder"],
    "--output": [""],
    "--changed-since": ["-x"],
}
FLAGS = ["--new-only", "--strict", "--quiet", "-q", "--if-present", "--sarif-include-suppressed", "--allow-commands"]
ODD = ["--help", "-h", "--bogus", "positional", "--", "-qq", "--for", "--quiet=1", "--env=", "--format=json"]


@st.composite
def argument(draw: st.DrawFn) -> list[str]:
    """One option as a user would type it: a flag, `--opt VALUE`, `--opt=VALUE`, a dangling
    `--opt`, or a token click reads its own way."""
    kind = draw(st.sampled_from(["flag"] * 3 + ["valued"] * 4 + ["attached"] * 2 + ["dangling", "odd"]))
    if kind == "flag":
        return [draw(st.sampled_from(FLAGS))]
    if kind == "odd":
        return [draw(st.sampled_from(ODD))]
    option = draw(st.sampled_from(sorted(TAKEN)))
    if kind == "dangling":
        return [option]
    refused = draw(st.integers(0, 5)) == 0  # one value in six is one click refuses
    value = draw(st.sampled_from(REFUSED[option] if refused else TAKEN[option]))
    return [f"{option}={value}"] if kind == "attached" else [option, value]


arguments = st.lists(argument(), max_size=5).map(lambda parts: [token for part in parts for token in part])


def outcome(folder: Path, call: Callable[[], None]) -> tuple[object, str, str, dict[str, str]]:
    """What one run did: its exit (or `returned`), stdout, stderr and the files it wrote."""
    os.environ.pop(ALLOW_ENV, None)
    out, err = io.StringIO(), io.StringIO()
    with chdir(folder), redirect_stdout(out), redirect_stderr(err):
        try:
            call()
            code: object = "returned"
        except SystemExit as exit_:
            code = exit_.code
    written = {}
    for place in ("out", "reports"):
        for path in sorted((folder / place).rglob("*")) if (folder / place).exists() else ():
            written[str(path.relative_to(folder))] = _steady(path.read_text(encoding="utf-8"))
        shutil.rmtree(folder / place, ignore_errors=True)
    return code, _steady(out.getvalue()), err.getvalue(), written


def _steady(text: str) -> str:
    """A report without the moments it was written, how long that took and its scan id."""
    text = re.sub(r"\d{8}T\d{6}\.\d+Z-[0-9a-f]+", "<scan id>", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", "<time>", text)
    text = re.sub(r"(_seconds\{[^}]*\}) \S+", r"\1 <n>", text)  # OpenMetrics' durations and moments
    return re.sub(r'("?(duration|seconds|time)"?[=:] ?"?)[0-9.]+', r"\1<n>", text)


@pytest.fixture
def allow_env_restored() -> Iterator[None]:
    saved = os.environ.get(ALLOW_ENV)
    yield
    os.environ.pop(ALLOW_ENV, None)
    if saved is not None:
        os.environ[ALLOW_ENV] = saved


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(folder=st.sampled_from(["configured", "bare", "empty"]), argv=arguments)
def test_the_hook_path_answers_as_click_or_leaves_it_to_click(
    projects: Path, allow_env_restored: None, folder: str, argv: list[str]
) -> None:
    where = projects / folder
    hook = outcome(where, lambda: run_hook(argv))
    clicked = outcome(where, lambda: main(["check", *argv]))
    if hook[0] == "returned":
        event("left to click")
        assert hook[1:] == ("", "", {}), "the hook path wrote something before leaving the arguments to click"
        return
    event(f"read by the hook path, exit {hook[0]}")
    assert hook == clicked, argv
    assert CANARY not in "".join([*hook[1:3], *hook[3].values()])


@pytest.mark.parametrize(
    "argv",
    [
        ["--env", "local", "--if-present"],  # .pre-commit-hooks.yaml's drift-check-local
        [],
        ["--env=production", "--format", "json", "--fail-on", "warning"],
        ["--quiet", "--output", "sarif:out/drift.sarif", "--strict"],
        ["-q", "--env", "local", "--env", "production", "--dialect", "node", "--config", "drift.toml"],
    ],
)
def test_the_plain_forms_are_read_by_the_hook_path_with_clicks_outcome(
    projects: Path, allow_env_restored: None, argv: list[str]
) -> None:
    assert hook_options(argv) is not None
    hook = outcome(projects / "configured", lambda: run_hook(argv))
    assert hook[0] != "returned"
    assert hook == outcome(projects / "configured", lambda: main(["check", *argv]))


def test_the_pre_commit_hook_runs_drift_check_without_loading_click(projects: Path) -> None:
    """The hook's own command line, from a fresh interpreter through the `drift` entry point:
    the check runs and exits as it should, and click was never imported."""
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = re.search(r"entry: (drift check .*)", hooks)
    assert entry is not None
    probe = (  # an exit handler reports whether click was loaded
        "import atexit, sys\nsys.argv = sys.argv[1:]\nfrom drift.__main__ import run\n"
        "atexit.register(lambda: print('click loaded:', 'click' in sys.modules, file=sys.stderr))\nrun()\n"
    )
    for folder, code in (("bare", 1), ("empty", 0)):
        done = subprocess.run(
            [sys.executable, "-c", probe, *entry.group(1).split()],
            cwd=projects / folder,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )
        assert done.stderr.splitlines()[-1] == "click loaded: False", done.stderr
        assert done.returncode == code
        assert CANARY not in done.stdout + done.stderr
        assert ("FEATURE_SEARCH" in done.stdout) == (code == 1)


def test_arguments_the_hook_path_does_not_read_go_to_click(projects: Path, allow_env_restored: None) -> None:
    """`--help` and a usage error are click's: the hook path leaves them, and `drift check
    --help` prints click's help through the entry point."""
    with chdir(projects / "bare"):
        for argv in (["--help"], ["--format", "xml"], ["--env"], ["--config", "a-folder"], ["--bogus"]):
            assert hook_options(argv) is None, argv
    done = subprocess.run(
        [sys.executable, "-m", "drift", "check", "--format", "xml"],
        cwd=projects / "bare",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "Invalid value for '--format'" in done.stderr
