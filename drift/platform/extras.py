"""What an install lacks. The core (dotenv files, the schema, the rules, every report
format) needs no AWS, YAML, tree-sitter, PostgreSQL or CEL package; each of those comes with
an extra (`pip install 'drift-env[aws]'`). A configuration that uses one the install lacks is
refused when it is loaded, with one line naming the extra, instead of failing mid-scan."""

from __future__ import annotations

from collections.abc import Sequence

#: Each extra and the modules it brings (pyproject.toml's optional dependencies).
EXTRAS = {
    "aws": ("boto3",),
    "yaml": ("yaml",),
    "code": ("tree_sitter", "yaml"),
    "postgres": ("psycopg",),
    "cel": ("cel_expr_python",),
    "notify": ("apprise",),
}


def lacking(extra: str, modules: Sequence[str] | None = None) -> str | None:
    """Why `extra` is needed and not installed, as the end of a sentence ("needs ..."), or
    None when its modules are there."""
    from importlib.util import find_spec  # only a project with an extra's sources asks

    for module in modules or EXTRAS[extra]:
        try:
            found = find_spec(module) is not None
        except (ImportError, ValueError):  # a parent package missing, or a module set to None
            found = False
        if not found:
            return f"needs the Python package {module!r}, which this install lacks: pip install 'drift-env[{extra}]'"
    return None
