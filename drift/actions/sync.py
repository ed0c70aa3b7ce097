"""`drift sync`: add to an environment's dotenv file the keys the schema requires there and the
file lacks, as the example has them, without touching anything already in it.

What it guarantees, for a file in any dialect:

- the file's bytes are kept: keys are only ever appended (after a newline if the file lacked
  a final one), in its own line ending, so a byte-order mark, comments, blank lines, CRLF,
  quoting and order stay exactly as they were; a `--rename` of a near-miss key changes that
  key's name on its line and nothing else;
- each appended key comes with the example's comment block and the example's value (empty
  for a secret; never a value from another environment);
- before anything is shown or written, the new text is read back with the file's own dialect:
  every key already there must keep its value and every added key must read as intended, or
  the file is left alone and the reason given;
- the diff shows only what is added or renamed, values masked as every output masks them.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from drift import dialects
from drift.config import Project
from drift.errors import ConfigError
from drift.platform.files import DEFAULT_MAX_BYTES, UnreadableFile, read_bytes, write_atomic
from drift.platform.suggest import NearMisses
from drift.report.inert import terminal
from drift.schema import KeySpec, Schema
from drift.schema.hosts import local_host
from drift.schema.showable import shown
from drift.secrets import MASK, is_high_entropy_token
from drift.secrets.scrub import scrub
from drift.settings import EnvironmentConfig
from drift.stores.dotenv import lines_of, read_back


@dataclass
class FileSync:
    """What `drift sync` would do to one file."""

    path: Path
    shown: str
    environment: str
    dialect: str
    original: bytes
    updated: bytes
    added: list[str] = field(default_factory=list)
    #: (old, new) renames applied to the text (only with --rename).
    renamed: list[tuple[str, str]] = field(default_factory=list)
    #: (old, new) renames drift proposes but was not asked to apply.
    proposed: list[tuple[str, str]] = field(default_factory=list)
    #: Why the file is left alone, if it is.
    refused: str | None = None
    #: How each added or renamed line is shown (values masked as every output masks them).
    shown_lines: list[str] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return self.refused is None and self.updated != self.original


def plan(
    project: Project, schema: Schema, environments: Sequence[EnvironmentConfig], everything: bool, rename: bool
) -> list[FileSync]:
    """What syncing each environment's last dotenv source (the one that wins) would do."""
    example_lines = _example_lines(project.schema_path)
    found = []
    for env in environments:
        sources = [s for s in env.sources if s.type == "dotenv"]
        if not sources:
            raise ConfigError(f"environment {env.name} has no dotenv source for `drift sync` to write to")
        present: set[str] = set()
        for source in sources:
            present |= set(_read(project, source.options, project.dialect.name).values)
        target = sources[-1]
        found.append(_sync_file(project, schema, env.name, target.options, present, example_lines, everything, rename))
    return found


def _read(project: Project, options: Mapping[str, object], default_dialect: str) -> dialects.EnvText:
    path = project.root / str(options["path"])
    try:
        text = project.confined.read_bytes(path, DEFAULT_MAX_BYTES).decode("utf-8")
    except UnreadableFile:
        return dialects.EnvText()  # a file that is not there yet has no keys: sync creates it
    except UnicodeDecodeError:
        raise ConfigError(f"{project.display(path)}: not UTF-8 text; drift sync does not touch it") from None
    return dialects.read(text, str(options.get("dialect", default_dialect)), False, project.display(path))


def _example_lines(example: Path | None) -> list[str]:
    """The example file's lines as written (for comment blocks and values)."""
    if example is None:
        return []
    try:
        # lines as the dialects number them: `\n` ends a line (str.splitlines() also splits at a
        # form feed or U+2028, where no loader does, and would shift every line after it)
        return [line.removesuffix("\r") for line in read_bytes(example, DEFAULT_MAX_BYTES).decode("utf-8").split("\n")]
    except (UnreadableFile, UnicodeDecodeError):
        return []


def _sync_file(
    project: Project,
    schema: Schema,
    env: str,
    options: Mapping[str, object],
    present: set[str],
    example_lines: list[str],
    everything: bool,
    rename: bool,
) -> FileSync:
    shown = project.display(project.root / str(options["path"]))
    try:  # a file (or a link) that leaves the project is never read, replaced or backed up
        path = project.confined.path(str(options["path"])).resolve()
    except UnreadableFile as exc:
        raise ConfigError(f"{shown}: drift sync does not touch it: {exc}") from None
    dialect = str(options.get("dialect", project.dialect.name))
    try:
        original = read_bytes(path, DEFAULT_MAX_BYTES) if path.exists() else b""
        text = original.decode("utf-8")
    except (UnreadableFile, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: cannot be synced: {exc}") from None
    sync = FileSync(path, shown, env, dialect, original, original)
    deployed = project.environments[env].deployed if env in project.environments else False
    before = dialects.read(text, dialect, False, shown).values
    specs = schema.for_env(env)
    wanted = [spec for name, spec in specs.items() if name not in present and _wanted(spec, env, everything)]
    newline = "\r\n" if text.count("\r\n") > text.count("\n") / 2 and "\r\n" in text else "\n"
    updated = text
    missing = {spec.name for spec in wanted}
    near = NearMisses(list(missing)) if missing else None
    for old, assignment in before.items():
        suggestion = near.closest(old) if near is not None and old not in specs else None
        if suggestion is None:
            continue
        if not rename:
            sync.proposed.append((old, suggestion))
            continue
        updated = _renamed(updated, assignment.line, old, suggestion)
        sync.renamed.append((old, suggestion))
        sync.shown_lines += [f"-{old}={MASK}", f"+{suggestion}={MASK}"]
        missing.discard(suggestion)
    block: list[str] = []
    for spec in wanted:
        if spec.name not in missing:
            continue
        lines, value = _lines_for(spec, example_lines, deployed)
        block += lines
        sync.added.append(spec.name)
        sync.shown_lines += [f"+{terminal(scrub(line))}" for line in lines[:-1]]  # the example's comments
        sync.shown_lines.append(f"+{spec.name}={_shown_value(spec, value)}")
    if block:
        if updated and not updated.endswith(("\n", "\r")):
            updated += newline
        if updated.strip():
            block.insert(0, "")
        updated += newline.join(block) + newline
    renamed = dict(sync.renamed)
    expected = {renamed.get(key, key): assignment.value for key, assignment in before.items()}
    expected.update({name: _intended(specs[name], deployed) for name in sync.added})
    why = read_back(updated, dialect, shown, expected)
    if why is not None:
        sync.refused = why
        return sync
    sync.updated = updated.encode("utf-8")
    return sync


def _wanted(spec: KeySpec, env: str, everything: bool) -> bool:
    """A key of the example the schema requires in `env` (`--all`: any key of the example),
    never a deprecated one. Keys only drift.toml declares have no example line to copy."""
    if spec.deprecated is not None or spec.origin != "example":
        return False
    required, _ = spec.requirement(env)
    return required or everything


def _lines_for(spec: KeySpec, example_lines: list[str], deployed: bool) -> tuple[list[str], str]:
    """The example's comment block above the key and the key's line (the value empty for a
    secret, or for a developer's address in a deployed environment, with a comment saying what
    to set); the value written."""
    comments: list[str] = []
    line_number = _example_line(spec)
    if line_number is not None:
        index = line_number - 2
        while index >= 0 and example_lines[index].lstrip().startswith("#"):
            comments.insert(0, example_lines[index])
            index -= 1
    value = _intended(spec, deployed)
    if value == "":
        kind = local_host(spec.name, spec.example or "") if deployed else None
        if kind is not None:
            comments.append(f"# drift sync: the example's value points at {kind}; set this environment's own address")
        return [*comments, f"{spec.name}="], ""
    raw = example_lines[line_number - 1].strip() if line_number is not None else f"{spec.name}={value}"
    return [*comments, raw], value


def _example_line(spec: KeySpec) -> int | None:
    if spec.origin != "example" or not spec.location:
        return None
    _, _, line = spec.location.rpartition(":")
    return int(line) if line.isdigit() else None


def _intended(spec: KeySpec, deployed: bool) -> str:
    """The value an added key gets: the example's, or empty for a secret (or for a value that
    looks like one, in case the example holds a real credential), and empty in a deployed
    environment for a value that points at a developer's machine (`http://localhost:4000`)."""
    value = spec.example or ""
    if spec.schema_secret or is_high_entropy_token(value) or _example_line(spec) is None:
        return ""
    if deployed and local_host(spec.name, value) is not None:
        return ""
    return value


def _shown_value(spec: KeySpec, value: str) -> str:
    if value == "":
        return ""
    text = shown(spec, value)
    return terminal(text) if text is not None else MASK


def _renamed(text: str, line: int, old: str, new: str) -> str:
    """`text` with the key `old` on `line` (1-based) renamed to `new`; nothing else changes."""
    lines = lines_of(text)
    target = lines[line - 1]
    position = target.find(old)
    lines[line - 1] = target[:position] + new + target[position + len(old) :]
    return "".join(lines)


def render(syncs: Sequence[FileSync]) -> str:
    """What would change, file by file, as a unified diff with masked values."""
    out: list[str] = []
    for sync in syncs:
        if sync.refused is not None:
            out.append(f"{sync.shown}: left alone: {sync.refused}")
            continue
        for old, new in sync.proposed:
            out.append(f"{sync.shown}: {old} looks like {new}, which the schema declares (`--rename` renames it)")
        if not sync.changes:
            out.append(f"{sync.shown}: nothing to add ({sync.environment})")
            continue
        out.append(f"--- {sync.shown}")
        out.append(f"+++ {sync.shown} (drift sync: {len(sync.added)} added, {len(sync.renamed)} renamed)")
        out.extend(terminal(line) for line in sync.shown_lines)
    return "\n".join(out) + "\n"


def write(syncs: Sequence[FileSync]) -> list[Path]:
    """Apply every change atomically, each file's mode kept, after a backup of the file as it
    was (`<file>.bak-<UTC time>`); the backups."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backups = []
    for sync in syncs:
        if not sync.changes:
            continue
        mode = 0o600
        if sync.path.exists():
            backup = sync.path.with_name(f"{sync.path.name}.bak-{stamp}")
            shutil.copy2(sync.path, backup)  # the mode and times of the original
            backups.append(backup)
            mode = sync.path.stat().st_mode & 0o7777
        write_atomic(sync.path, sync.updated, mode)
    return backups
