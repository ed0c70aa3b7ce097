"""One confinement (issue #20): no module of drift opens a path except through `files.py`
(whose `Confined` resolves, confines and caps), save the few listed here with the reason each
may. A new `open(...)`, `Path.read_text()` or a direct `files.read_bytes()` elsewhere fails
this test until it goes through the confinement or is listed with its reason."""

from __future__ import annotations

import ast
from pathlib import Path

DRIFT = Path(__file__).resolve().parent.parent / "drift"

#: Calls that open a path.
OPENERS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "fdopen", "urlopen"}
#: Module -> the openers it may call, and why.
ALLOWED = {
    "platform/files.py": "the confinement itself, and write_atomic (--output paths, reports_dir, confined targets)",
    "report/html.py": "the package's own templates (importlib.resources), never a user path",
    "report/github.py": "GITHUB_STEP_SUMMARY: the file the CI runner names, outside the repository's reach",
    "secrets/fingerprint.py": "the fingerprint key file in the project's .drift/",
    "code/__init__.py": "the code-read cache in the project's .drift/ (its files are read through Confined)",
    "report/notify.py": "the webhook request (urlopen), not a path",
    "dialects/__init__.py": "read_text for detection markers beside the example (files.py's capped reader)",
    "schema/build.py": "the example file, confined when the configuration is loaded",
    "actions/diff.py": "`drift diff FILE...`: paths given on the command line",
    "actions/init.py": ".gitignore at the project's root (files.py's capped reader)",
    "actions/plan.py": "plan files on the command line and dotenv targets validated against the configuration",
    "actions/sync.py": "dotenv files resolved through Confined first",
    "cli/render.py": "`drift render --input`: a path on the command line",
    "collectors/dotenv.py": "a configured path, confined when the configuration is loaded (file_options)",
    "console/__init__.py": "os.devnull, where a closed standard output is pointed",
    "report/metrics.py": "the textfile of --output openmetrics:PATH (a command-line argument), capped",
    "engine/bounded.py": "/proc/self/statm and os.devnull in the forked child, never a user path",
    "platform/ssh.py": "an ssh_config named by the configuration, read only to look for executing keywords",
    "actions/fleet.py": "`drift fleet LOCATION`: a command-line folder's files, 16 bytes read to tell a SQLite history",
}


def _openers(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            receiver = func.value if isinstance(func, ast.Attribute) else None
            through = (isinstance(receiver, ast.Name) and receiver.id in ("confined", "self")) or (
                isinstance(receiver, ast.Attribute) and receiver.attr == "confined"
            )
            if name in OPENERS and not through:
                found.add(name)
    return found


def test_every_path_goes_through_the_confinement() -> None:
    offenders = {}
    for path in sorted(DRIFT.rglob("*.py")):
        relative = path.relative_to(DRIFT).as_posix()
        calls = _openers(ast.parse(path.read_text(encoding="utf-8")))
        if calls and relative not in ALLOWED:
            offenders[relative] = sorted(calls)
    assert not offenders, f"open paths through files.Confined (or list the module with its reason): {offenders}"


def test_the_list_holds_only_modules_that_still_open_paths() -> None:
    stale = [m for m in ALLOWED if not _openers(ast.parse((DRIFT / m).read_text(encoding="utf-8")))]
    assert not stale, f"no longer open paths: remove them from ALLOWED: {stale}"
