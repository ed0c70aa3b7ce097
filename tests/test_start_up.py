"""What keeps the pre-commit check's start-up low stays true as the code changes: the check
loads neither click nor `dataclasses` (which loads `inspect`, `ast`, `dis`, `tokenize`), nor
the JSON and base64 modules a dotenv file does not need; and the modules that evaluate their
annotations at run time (no `from __future__ import annotations`, so that their named tuples
and typed dicts are built without compiling a string per field) never name in a nested
function's annotations what they import only for the type checker, which would fail only
when that function is defined, at run time (benchmarks/README.md has the figures)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "drift"

#: Modules the check must not load (and why, in the module docstring).
NOT_LOADED = ("click", "dataclasses", "inspect", "ast", "json", "base64", "pkgutil")


def test_the_pre_commit_check_loads_no_module_it_does_not_need(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text("# @type int\nPORT=3000\nDATABASE_URL=\nLOG_LEVEL=info\n")
    (tmp_path / ".env").write_text("PORT=3000\nDATABASE_URL=postgres://db/app\nLOG_LEVEL=debug\n")
    probe = (  # an exit handler reports what was loaded (and makes the process exit normally)
        "import atexit, sys\nsys.argv = ['drift', 'check', '--env', 'local', '--if-present']\n"
        f"atexit.register(lambda: print('loaded', [m for m in {NOT_LOADED!r} if m in sys.modules], file=sys.stderr))\n"
        "from drift.__main__ import run\nrun()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False, env=os.environ
    )
    assert done.stderr.splitlines()[-1] == "loaded []", done.stderr
    assert done.returncode == 0
    assert "No drift found." in done.stdout


def _leaving(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=os.environ)


def test_drift_leaves_without_the_teardown_once_its_output_is_flushed() -> None:
    """`leave`: the buffered output is all written, the exit code kept, and nothing after
    it runs (no teardown: a large scan's objects are not freed one by one)."""
    done = _leaving(
        "import sys\nfrom drift.__main__ import leave\nsys.stdout.write('x' * 200_000)\n"
        "sys.stderr.write('y' * 100)\nclass Late:\n    def __del__(self): print('torn down')\n"
        "late = Late()\nleave(SystemExit(3))\nprint('not reached')\n"
    )
    assert (done.returncode, done.stdout, done.stderr) == (3, "x" * 200_000, "y" * 100)


def test_drift_exits_as_usual_where_something_waits_for_the_end() -> None:
    """An exit handler, another thread, or an exit that is a message: the interpreter exits
    as it would have, handlers run and the message is printed."""
    handler = _leaving(
        "import atexit\nfrom drift.__main__ import leave\natexit.register(lambda: print('handler ran'))\n"
        "leave(SystemExit(2))\n"
    )
    assert (handler.returncode, handler.stdout) == (2, "handler ran\n")
    thread = _leaving(  # the thread waits until leave has chosen; it finishes only on a normal exit
        "import threading\nfrom drift.__main__ import leave\ngate = threading.Event()\n"
        "threading.Thread(target=lambda: (gate.wait(), print('thread finished'))).start()\n"
        "try:\n    leave(SystemExit(5))\nfinally:\n    gate.set()\n"
    )
    assert (thread.returncode, thread.stdout) == (5, "thread finished\n")
    message = _leaving("from drift.__main__ import leave\nleave(SystemExit('drift: gone'))\n")
    assert (message.returncode, message.stderr) == (1, "drift: gone\n")


def _hidden_names(tree: ast.Module) -> set[str]:
    """Names a module imports under `if TYPE_CHECKING:` only."""
    hidden: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Import | ast.ImportFrom):
                    hidden |= {alias.asname or alias.name.split(".")[0] for alias in sub.names}
    return hidden


def _nested_annotations(tree: ast.Module) -> list[tuple[int, ast.expr]]:
    """Every annotation of a function defined inside another function (evaluated each time
    the outer one runs), with its line."""
    found: list[tuple[int, ast.expr]] = []

    def visit(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if inside and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = child.args
                every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
                every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
                found.extend((child.lineno, a.annotation) for a in every if a.annotation is not None)
                found.extend([(child.lineno, child.returns)] if child.returns is not None else [])
            if inside and isinstance(child, ast.AnnAssign) and isinstance(node, ast.ClassDef):
                found.append((child.lineno, child.annotation))
            visit(child, inside or is_function)

    visit(tree, False)
    return found


EAGER = sorted(
    path
    for path in PACKAGE.rglob("*.py")
    if "from __future__ import annotations" not in path.read_text(encoding="utf-8")
    and "TYPE_CHECKING" in path.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("path", EAGER, ids=lambda path: str(path.relative_to(PACKAGE.parent)))
def test_a_nested_annotation_never_names_what_only_the_type_checker_imports(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = _hidden_names(tree)
    for line, annotation in _nested_annotations(tree):
        named = {node.id for node in ast.walk(annotation) if isinstance(node, ast.Name)} & hidden
        assert not named, f"{path.name}:{line}: {sorted(named)} exist only for the type checker: quote the annotation"


def test_the_eager_modules_are_the_ones_this_test_reads() -> None:
    """The check above has modules to read (it would pass vacuously with none)."""
    assert any(path.name == "check.py" and path.parent.name == "console" for path in EAGER)
