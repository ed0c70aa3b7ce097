"""The schema: `.env.example` declarations merged with drift.toml `[keys]` tables.

Precedence, lowest first: annotations, then every `[keys."GLOB"]` table that matches (in file
order), then the exact `[keys.NAME]` table. Environment overrides merge the same way.
"""

import fnmatch
import re
from collections.abc import Collection, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from drift import dialects
from drift.errors import ConfigError, SchemaError
from drift.model import MAX_KEYS
from drift.platform.globs import is_glob, is_valid_glob
from drift.platform.suggest import did_you_mean
from drift.schema import envspec, keyspec
from drift.schema.annotations import Declaration, parse_example
from drift.schema.infer import infer
from drift.schema.keyspec import KeySpec


class _Parts(NamedTuple):
    """Schema's fields (a named tuple, not a dataclass: see keyspec._Fields)."""

    specs: dict[str, KeySpec]
    #: Display path of the example file (relative to the project), or None.
    example_path: str | None = None
    #: `(key, first line, repeated line)` for keys assigned twice in the example.
    duplicates: tuple[tuple[str, int, int], ...] = ()
    #: Glob tables in drift.toml that match no declared key.
    unused_globs: tuple[str, ...] = ()
    #: `(line, reason)` for lines of the example its dialect's loader rejects or skips.
    malformed: tuple[tuple[int, str], ...] = ()


class Schema(_Parts):
    """Every declared key's spec, in declaration order."""

    def for_env(self, env: str) -> dict[str, KeySpec]:
        """Every spec with `env`'s overrides applied (computed once per environment)."""
        resolved = self._per_env.get(env)
        if resolved is None:
            changed = {name: self.specs[name].for_env(env) for name in self._overridden.get(env, ())}
            resolved = self._per_env[env] = {**self.specs, **changed} if changed else self.specs
        return resolved

    @cached_property
    def _per_env(self) -> dict[str, dict[str, KeySpec]]:
        """Environment -> its resolved specs, filled by `for_env`."""
        return {}

    @cached_property
    def _overridden(self) -> dict[str, list[str]]:
        """Environment -> the keys with overrides there."""
        found: dict[str, list[str]] = {}
        for name, spec in self.specs.items():
            for env in spec.overrides:
                found.setdefault(env, []).append(name)
        return found

    @cached_property
    def declared(self) -> frozenset[str]:
        """The declared key names."""
        return frozenset(self.specs)


def load_schema(
    example: Path | None,
    example_display: str,
    keys: Mapping[str, Any],
    environments: Collection[str],
    config_display: str,
    config_text: str = "",
    dialect: str = dialects.DEFAULT_DIALECT,
) -> Schema:
    """Build the schema; raises SchemaError / ConfigError listing every problem found.

    Lines of the example that `dialect` rejects do not raise: they are kept in
    `Schema.malformed` (the engine reports them) and the rest of the file still counts.
    """
    declarations: dict[str, Declaration] = {}
    duplicates: tuple[tuple[str, int, int], ...] = ()
    malformed: tuple[tuple[int, str], ...] = ()
    if example is not None:
        try:
            text = dialects.read_text(example)
        except dialects.UnreadableFile as exc:
            raise SchemaError(f"{example_display}: cannot read the schema: {exc}") from None
        read = dialects.parse(text, dialect)
        parsed = parse_example(envspec.lines(read) if envspec.is_envspec(example.name) else read)
        if len(parsed.declarations) > MAX_KEYS:
            raise SchemaError(f"{example_display}: declares more than {MAX_KEYS:,} keys, the most drift reads")
        if parsed.errors:
            lines = [f"{example_display}:{line}: {message}" for line, message in parsed.errors]
            raise SchemaError("the schema has errors:\n  " + "\n  ".join(lines))
        declarations = parsed.declarations
        duplicates = tuple(parsed.duplicates)
        malformed = tuple(parsed.malformed)
    tables = _TableReader(config_display, environments)
    exact: dict[str, tuple[dict[str, Any], dict[str, dict[str, Any]]]] = {}
    globs: list[tuple[str, dict[str, Any], dict[str, dict[str, Any]]]] = []
    for name, table in keys.items():
        table_fields, table_overrides = tables.read(name, table)
        if is_glob(name):
            globs.append((name, table_fields, table_overrides))
        else:
            exact[name] = (table_fields, table_overrides)
    tables.raise_errors()

    names = list(declarations) + [name for name in exact if name not in declarations]
    specs: dict[str, KeySpec] = {}
    used_globs: set[str] = set()
    errors: list[str] = []
    for name in names:
        fields: dict[str, Any] = {}
        overrides: dict[str, dict[str, Any]] = {}
        declaration = declarations.get(name)
        if declaration is not None:
            fields.update(declaration.fields)
        for pattern, glob_fields, glob_overrides in globs:
            if fnmatch.fnmatchcase(name, pattern):
                used_globs.add(pattern)
                fields.update(glob_fields)
                _merge_overrides(overrides, glob_overrides)
        if name in exact:
            fields.update(exact[name][0])
            _merge_overrides(overrides, exact[name][1])
        facts = _facts(name, declaration, example_display, config_display, config_text)
        if "description" in fields:  # a drift.toml description wins over the comment above the key
            facts.pop("description", None)
        if declaration is not None and "type" not in fields and "values" not in fields:
            guessed = infer(name, declaration.example)
            fields.update(guessed)
            facts["inferred"] = frozenset(guessed)
        try:
            specs[name] = keyspec.build(name, fields, overrides=overrides, **facts)
        except ValueError as exc:
            where = f"{example_display}:{declaration.line}" if declaration and name not in exact else config_display
            errors.append(f"{where}: key {name}: {exc}")
    for name, spec in specs.items():
        conditions = [spec.required_if] + [o.get("required_if") for o in spec.overrides.values()]
        for condition in conditions:
            if condition is not None and condition.key not in specs:
                errors.append(
                    f"{config_display}: key {name}: required_if names undeclared key "
                    f"{condition.key}{did_you_mean(condition.key, specs)}"
                )
    if errors:
        raise SchemaError("the schema has errors:\n  " + "\n  ".join(errors))
    unused = tuple(pattern for pattern, _, _ in globs if pattern not in used_globs)
    return Schema(specs, example_display if example else None, duplicates, unused, malformed)


def _merge_overrides(target: dict[str, dict[str, Any]], extra: Mapping[str, Mapping[str, Any]]) -> None:
    for env, fields in extra.items():
        target.setdefault(env, {}).update(fields)


def _facts(
    name: str, declaration: Declaration | None, example_display: str, config_display: str, config_text: str
) -> dict[str, Any]:
    if declaration is None:
        return {"origin": "config", "location": _table_location(name, config_display, config_text)}
    return {
        "origin": declaration.origin,
        "example": declaration.example,
        "location": f"{example_display}:{declaration.line}",
        "description": declaration.description,
        "notes": declaration.notes,
    }


def _table_location(name: str, config_display: str, config_text: str) -> str:
    """`drift.toml:LINE` of the `[keys.NAME]` header, for reports and SARIF."""
    header = re.compile(
        r'^\s*\[\s*(?:tool\.drift\.)?keys\.\s*(?:"' + re.escape(name) + r'"|' + re.escape(name) + r")\s*\]",
        re.MULTILINE,
    )
    match = header.search(config_text)
    if match is None:
        return config_display
    return f"{config_display}:{config_text.count(chr(10), 0, match.start()) + 1}"


class _TableReader:
    """Validates `[keys.NAME]` tables strictly, collecting every error before raising."""

    def __init__(self, config_display: str, environments: Collection[str]) -> None:
        self.config = config_display
        self.environments = environments
        self.errors: list[str] = []

    def read(self, name: str, table: object) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        where = f"{self.config}: [keys.{_quote(name)}]"
        if is_glob(name) and not is_valid_glob(name):
            self.errors.append(f"{where}: bad glob (unbalanced '[')")
        if not isinstance(table, dict):
            self.errors.append(f"{where}: must be a table")
            return {}, {}
        fields = self._fields(where, table, keyspec.FIELDS, allow_env=True)
        overrides: dict[str, dict[str, Any]] = {}
        env_tables = table.get("env", {})
        if not isinstance(env_tables, dict):
            self.errors.append(f"{where}: `env` must hold one table per environment")
            env_tables = {}
        for env, env_table in env_tables.items():
            if env not in self.environments:
                self.errors.append(
                    f"{where}: unknown environment '{env}' in env.{env}{did_you_mean(env, self.environments)}"
                )
                continue
            if not isinstance(env_table, dict):
                self.errors.append(f"{where}: env.{env} must be a table")
                continue
            overrides[env] = self._fields(f"{where}.env.{env}", env_table, keyspec.ENV_FIELDS, allow_env=False)
        return fields, overrides

    def _fields(
        self, where: str, table: Mapping[str, Any], allowed: Mapping[str, keyspec.Converter], allow_env: bool
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for field_name, value in table.items():
            if field_name == "env" and allow_env:
                continue
            if field_name not in allowed:
                choices = list(allowed) + (["env"] if allow_env else [])
                self.errors.append(f"{where}: unknown field '{field_name}'{did_you_mean(field_name, choices)}")
                continue
            try:
                fields[field_name] = keyspec.convert(allowed, field_name, value)
            except ValueError as exc:
                self.errors.append(f"{where}: {exc}")
                continue
            if field_name == "required" and isinstance(fields[field_name], tuple):
                for env in fields[field_name]:
                    if env not in self.environments:
                        self.errors.append(
                            f"{where}: unknown environment '{env}' in required{did_you_mean(env, self.environments)}"
                        )
        return fields

    def raise_errors(self) -> None:
        if self.errors:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(self.errors))


def _quote(name: str) -> str:
    return f'"{name}"' if is_glob(name) or "." in name else name
