"""`drift init`: a first drift.toml for the project in front of it.

Environments come from the env files found (`.env.production`, `.env.staging`, `envs/*.env`,
...), the dialect from the project's files, and every fact drift would otherwise guess
(a type from an example value, a requirement from an empty secret-looking key, secrecy from
a name) is written out as an explicit, commented declaration. A reviewer accepts or changes
each line once, and the inferred warnings become declared checks. No value is ever copied
into the file: example values may be secrets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from drift import dialects, schema_url
from drift.config import EXAMPLE_NAMES, find_example
from drift.config.environments import NOT_DEPLOYED_BY_DEFAULT
from drift.errors import ConfigError
from drift.platform.files import CONFIG_MAX_BYTES, UnreadableFile, read_text
from drift.schema import Schema, load_schema
from drift.secrets import STRONG, is_browser_exposed, name_verdict

#: Env files that are schemas or templates, never environments.
_NOT_ENVIRONMENTS = re.compile(r"\.env(\..+)?\.(example|sample|template|dist|defaults)")
_ENV_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


#: The drift.toml JSON Schema as editors read it (Taplo, Even Better TOML: the `#:schema` line).
SCHEMA_URL = schema_url("drift.toml.schema.json")


def find_environments(root: Path) -> dict[str, str]:
    """Environment name -> env file (relative to root): `.env` is `local`, `.env.NAME` and
    `envs/NAME.env` (also `env/`, `environments/`, `config/`) are NAME."""
    found: dict[str, str] = {}
    candidates = sorted(p for p in root.glob(".env*") if p.is_file())
    for folder in ("envs", "env", "environments", "config"):
        candidates += sorted(p for p in (root / folder).glob("*.env") if p.is_file())
    for path in candidates:
        name = _environment_name(path)
        if name is not None and name not in found:
            found[name] = path.relative_to(root).as_posix()
    return found


def _environment_name(path: Path) -> str | None:
    if _NOT_ENVIRONMENTS.fullmatch(path.name) or path.name in EXAMPLE_NAMES:
        return None
    if path.name == ".env":
        return "local"
    name = path.name.removeprefix(".env.") if path.name.startswith(".env.") else path.stem
    return name if _ENV_NAME.fullmatch(name) else None


def propose(root: Path, schema_path: Path | None = None, dialect: str | None = None) -> str:
    """The text of a drift.toml for the project at `root` (`dialect`: `--dialect`, else detected)."""
    example = schema_path or find_example(root)
    if example is None:
        tried = ", ".join((*EXAMPLE_NAMES, ".env.*.sample"))
        raise ConfigError(f"{root.name or root}: no example file ({tried}); pass --schema PATH")
    detected = dialects.Detected(dialect, "set by --dialect") if dialect else dialects.detect(example.parent, root)
    environments = find_environments(root)
    schema = load_schema(example, example.name, {}, list(environments), "(drift init)", "", detected.name)
    lines = [
        f"#:schema {SCHEMA_URL}",
        "# drift configuration written by `drift init`. Review every line. What drift inferred",
        "# from the example file is written below as commented suggestions: adopting this file",
        "# changes no finding's severity until you uncomment one, and then the check it drives is",
        "# an error, not a guess.",
        "",
        "[drift]",
        f'schema = "{_toml(_relative(example, root))}"',
        f'dialect = "{detected.name}"  # {detected.reason}',
        'fail_on = "error"',
        "",
    ]
    if not environments:
        lines += ["# No env files were found: add one [environments.NAME] table per deployment.", ""]
    ignored = git_ignored(root, list(environments.values()))
    for name, path in environments.items():
        deployed = name not in NOT_DEPLOYED_BY_DEFAULT and path not in ignored
        why = "  # git ignores its file: a developer's own, absent in CI" if path in ignored else ""
        lines += [
            f"[environments.{name}]",
            f"deployed = {str(deployed).lower()}{why}",
            f'sources = [{{ type = "dotenv", path = "{_toml(path)}" }}]',
            "",
        ]
    lines += _keys(schema, list(environments))
    return "\n".join(lines).rstrip() + "\n"


def _keys(schema: Schema, environments: Iterable[str]) -> list[str]:
    lines: list[str] = []
    envs = list(environments)
    for name, spec in schema.specs.items():
        body: list[str] = []
        if spec.inferred:
            body.append(f'type = "{spec.type}"  # inferred: from the example value')
            if spec.schemes:
                body.append(f"schemes = [{', '.join(_quoted(s) for s in spec.schemes)}]  # inferred: same")
        required, guessed = spec.requirement(envs[0] if envs else "")
        if guessed:
            body.append(f"required = {str(required).lower()}  # inferred: empty example value, secret-like name")
        verdict = name_verdict(name)
        if spec.secret is None and verdict and not spec.is_setting:
            if is_browser_exposed(name) and verdict != STRONG:
                body.append("secret = false  # inferred: under a browser prefix, public by design? (else rename it)")
            else:
                body.append(f"secret = true  # inferred: from the name ({verdict} match)")
        if body:  # suggestions only: nothing drift guessed becomes a declaration by itself
            lines += [f"# [keys.{_key(name)}]", *(f"# {line}" for line in body), ""]
    return lines


def git_ignored(root: Path, paths: Sequence[str]) -> set[str]:
    """The paths (relative to `root`) that git ignores: git's own answer in a repository
    (`git check-ignore`, which reads every `.gitignore` and the excludes), else the root
    `.gitignore`'s plain patterns."""
    if not paths:
        return set()
    import subprocess

    try:
        done = subprocess.run(
            ["git", "check-ignore", "--stdin", "-z"],
            cwd=root, input="\0".join(paths).encode(), capture_output=True, timeout=30, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        done = None
    if done is not None and done.returncode in (0, 1):  # 1: none of them is ignored
        return {p for p in done.stdout.decode("utf-8", "surrogateescape").split("\0") if p}
    return {p for p in paths if _ignored_by_file(root / ".gitignore", p)}


def _ignored_by_file(gitignore: Path, path: str) -> bool:
    from fnmatch import fnmatchcase

    try:
        patterns = read_text(gitignore, CONFIG_MAX_BYTES).splitlines()
    except UnreadableFile:
        return False
    ignored = False
    for raw in patterns:
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        pattern = pattern.removeprefix("!").removeprefix("/")
        if fnmatchcase(path, pattern) or fnmatchcase(path.rsplit("/", 1)[-1], pattern):
            ignored = not negated
    return ignored


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _quoted(name)


def _quoted(text: str) -> str:
    return f'"{_toml(text)}"'


def _toml(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
