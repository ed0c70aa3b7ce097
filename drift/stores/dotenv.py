"""A dotenv file (a `dotenv` source's `path`): one key's line set or removed, the rest of
the file kept byte for byte, and the result read back in the project's dialect before it
replaces the file. A secret goes here only where the file is already its store."""

from __future__ import annotations

import re
from collections.abc import Mapping

from drift import dialects
from drift.errors import CollectorError
from drift.platform.files import DEFAULT_MAX_BYTES, UnreadableFile, write_atomic
from drift.settings import EnvironmentConfig, SourceConfig
from drift.stores import Fix, Store, Target, plan_command

#: A value written without quotes: nothing any dialect reads differently.
_PLAIN = re.compile(r"[A-Za-z0-9_./:@,+=%-]*")


class DotenvStore(Store):
    kind = "dotenv"

    @classmethod
    def held(cls, name: str, key: str, secret: bool) -> Target | None:
        return None if secret else Target(cls.kind, name, False)

    @classmethod
    def new(cls, source: SourceConfig, key: str, secret: bool) -> Target | None:
        return None if secret else Target(cls.kind, str(source.options["path"]), False)

    @classmethod
    def owns(cls, source: SourceConfig, name: str, key: str) -> bool:
        return name == str(source.options.get("path"))

    def _text(self, name: str) -> str:
        """The file's text ("" when it does not exist yet), through the confinement."""
        path = self.place.confined.path(name)
        return self.place.confined.read_bytes(path, DEFAULT_MAX_BYTES).decode("utf-8") if path.exists() else ""

    def read(self, name: str, key: str) -> tuple[str | None, str | None]:
        try:
            text = self._text(name)
        except (UnreadableFile, UnicodeDecodeError):
            return None, None
        assignment = dialects.read(text, self.place.dialect, False, name).values.get(key)
        return (assignment.value if assignment is not None else None), None

    def write(self, name: str, key: str, value: str | None, secure: bool) -> None:
        try:
            original = self._text(name)
        except (UnreadableFile, UnicodeDecodeError) as exc:
            raise CollectorError(f"{name}: cannot be changed: {exc}") from None
        updated = rewritten(original, name, key, value, self.place.dialect)
        path = self.place.confined.path(name)
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o600
        write_atomic(path, updated.encode("utf-8"), mode)

    @classmethod
    def set_command(cls, env: EnvironmentConfig, target: Target, key: str, fix: Fix, syncable: bool) -> str | None:
        if fix.declared:
            return plan_command(env)  # the plan sets the declared `equals` or `default`
        if syncable:
            return f"drift sync --env {env.name} --write"
        return plan_command(env, key)


def rewritten(original: str, name: str, key: str, value: str | None, dialect: str) -> str:
    """`original` with `key` set to `value` (its line replaced, or a line appended) or removed
    (None); refused unless every other key reads back as before and `key` as asked."""
    before = dialects.read(original, dialect, False, name).values
    lines = lines_of(original)
    newline = "\r\n" if "\r\n" in original else "\n"
    line = f"{key}={value if value is not None and _PLAIN.fullmatch(value) else _quoted(value or '')}"
    current = before.get(key)
    if current is not None and "\n" in current.value:
        raise CollectorError(f"{name}: {key} spans several lines; drift does not rewrite it")
    if current is not None:
        ending = newline if lines[current.line - 1].endswith(("\n", "\r")) else ""
        lines[current.line - 1] = "" if value is None else line + ending
    elif value is not None:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        lines.append(line + newline)
    updated = "".join(lines)
    expected = {k: a.value for k, a in before.items() if k != key}
    if value is not None:
        expected[key] = value
    why = read_back(updated, dialect, name, expected)
    if why is not None:
        raise CollectorError(f"{name}: {why}")
    return updated


def lines_of(text: str) -> list[str]:
    """A dotenv text's lines as every loader counts them, each with its ending: they end at
    `\n` only (a form feed or U+2028 inside a line stays in it, where `str.splitlines` would
    cut), so line N of a loader's reading is `lines_of(text)[N - 1]`."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def read_back(updated: str, dialect: str, shown: str, expected: Mapping[str, str]) -> str | None:
    """Why `updated` does not read, in `dialect`, as exactly `expected` (every key to its
    value, nothing more), or None: what `apply` and `sync` check before a file is replaced."""
    after = {k: a.value for k, a in dialects.read(updated, dialect, False, shown).values.items()}
    for key, value in expected.items():
        if after.get(key) != value:
            return f"in the {dialect} dialect, {key} would not read back as intended"
    extra = sorted(set(after) - set(expected))
    if extra:
        return f"in the {dialect} dialect, {extra[0]} would appear"
    return None


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
