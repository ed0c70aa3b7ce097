"""The `systemd` source: a service's environment as systemd gives it to the process, read
from the unit file and its drop-ins, locally or on a host over `ssh`.

systemd's rules, as `systemd --test` shows them:

- the unit file is the first found in the unit folders (system: /etc/systemd/system,
  /run/systemd/system, /usr/local/lib/systemd/system, /usr/lib/systemd/system,
  /lib/systemd/system; `user = true`: ~/.config/systemd/user, /etc/systemd/user,
  ~/.local/share/systemd/user, /usr/local/lib/systemd/user, /usr/lib/systemd/user), or the
  one in `root`; drop-ins are the `*.conf` files of `<unit>.d/` (and `<template>@.service.d/`
  and `service.d/`) in all of those folders, read in file-name order (a name in an earlier
  folder hides the same name in a later one) after the unit file;
- lines: `#` and `;` comments, a trailing `\\` joins the next line with a space, `Key=Value`
  with whitespace around both stripped, only the `[Service]` section counts;
- `Environment=` is a list of words, split on whitespace, quoted with '...' or "..." anywhere
  in a word, C escapes (`\\n`, `\\x41`, `\\s`) decoded, specifiers (`%%`, `%n`, `%N`, `%p`,
  `%i`; `%h` in user units) resolved; a word that is not NAME=VALUE is ignored; a line with
  unbalanced quotes or a bad escape keeps the words before it and ignores the rest; an empty
  `Environment=` clears the list;
- `EnvironmentFile=` names a file (absolute; `-` before it: optional) read with the `systemd`
  dialect when the service starts; its values override `Environment=`, later files override
  earlier ones; an empty `EnvironmentFile=` clears the list; a missing required file fails
  the service (here: the source);
- `UnsetEnvironment=` removes names (or exact NAME=VALUE assignments) last.

Every entry keeps where it came from: the unit or drop-in and line, or the environment file
and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from drift import dialects
from drift.collectors.base import Collector, CollectorError, Option, SourceData
from drift.model import Entry, Problem
from drift.platform import ssh

SYSTEM_DIRS = (
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
)
USER_DIRS = (
    "~/.config/systemd/user",
    "/etc/systemd/user",
    "~/.local/share/systemd/user",
    "/usr/local/lib/systemd/user",
    "/usr/lib/systemd/user",
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "s": " ",
            "\\": "\\", '"': '"', "'": "'"}  # fmt: skip


class Unreadable(Exception):
    """A word or path systemd would reject; the message never holds a value."""


@dataclass
class _Assignment:
    key: str
    value: str | None
    location: str


@dataclass
class _Unit:
    """What the unit's files say about the environment, in order."""

    environment: list[_Assignment] = field(default_factory=list)
    files: list[tuple[str, bool, str]] = field(default_factory=list)  # (path, required, where)
    unset: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class SystemdCollector(Collector):
    """Reads `unit`'s environment from its unit files, locally or over ssh."""

    kind: ClassVar[str] = "systemd"
    waits_on_network = True  # over ssh it does; locally it reads a handful of small files
    options: ClassVar[dict[str, Option]] = {
        "unit": Option((str,), required=True, help="the service, e.g. mre.service"),
        "user": Option((bool,), help="a --user unit (default false: a system unit)"),
        "root": Option(
            (str,),
            help="a folder with the unit file and its .d/ drop-ins instead of the unit folders "
            "(with `host`, on that host; a relative one is relative to the login's home)",
        ),
        "host": Option((str,), help="read on this host over ssh (its files, its unit folders)"),
        "ssh_user": Option((str,), help="the ssh login (default: ssh's)"),
        "port": Option((int,), help="the ssh port (default: ssh's)"),
        "ssh_config": Option((str,), help="an ssh_config file for ssh -F (default: ~/.ssh/config)"),
        "timeout": Option((int, float), help=f"seconds for each ssh session (default {ssh.DEFAULT_TIMEOUT:g})"),
    }

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        unit = str(options.get("unit", ""))
        if not re.fullmatch(r"[A-Za-z0-9:_.\\@-]+\.service", unit):
            return ["`unit` must be a service unit name such as mre.service"]
        return ssh.timeout_problems(options)

    def name(self) -> str:
        options = self.source.options
        where = f"{options['host']}:" if "host" in options else ""
        return f"{where}{options['unit']}" + (" (user)" if options.get("user") else "")

    def collect(self) -> SourceData:
        unit = str(self.source.options["unit"])
        reader = _Reader(self)
        files = reader.unit_files(unit)
        if not files:
            raise CollectorError(f"{self.name()}: no unit file found")
        parsed = _Unit()
        for path, text in files:
            _parse_unit(text, reader.shown(path), unit, bool(self.source.options.get("user")), parsed)
        return _environment(parsed, reader)


class _Reader:
    """Files on this machine, or on `host` over ssh (one session per batch)."""

    def __init__(self, collector: SystemdCollector) -> None:
        options = collector.source.options
        self.collector = collector
        self.user = bool(options.get("user"))
        self.root: str | None = str(options["root"]) if "root" in options else None
        self.host = None
        if "host" in options:
            config = collector.context.root / str(options["ssh_config"]) if "ssh_config" in options else None
            port = int(options["port"]) if "port" in options else None
            login = str(options["ssh_user"]) if "ssh_user" in options else None
            self.host = ssh.Host(str(options["host"]), login, port, config)
        self.timeout = float(options.get("timeout", ssh.DEFAULT_TIMEOUT))

    def shown(self, path: str) -> str:
        if self.host is not None:
            return f"{self.host.host}:{path}"
        return self.collector.context.display(Path(path).expanduser())

    def read(self, paths: list[str]) -> list[ssh.RemoteFile]:
        """Each path's text or why it could not be read."""
        if self.host is not None:
            try:
                return ssh.read_files(
                    ssh.connections(self.collector.context.resources),
                    self.host,
                    paths,
                    self.collector.context.root,
                    self.timeout,
                    dialects.DEFAULT_MAX_BYTES,
                )
            except ssh.RemoteFailed as exc:
                raise CollectorError(str(exc)) from None
        found = []
        confined = self.collector.context.confined
        for path in paths:
            try:  # what a unit names is configuration too: `%h`, `~` and absolute paths confined
                found.append(ssh.RemoteFile(path, confined.read_text(path)))
            except dialects.UnreadableFile as exc:
                found.append(ssh.RemoteFile(path, None, str(exc)))
        return found

    def _root(self) -> str:
        """`root` as a path to read: on a host, as given; here, inside the project folder."""
        assert self.root is not None
        if self.host is not None:
            return self.root.rstrip("/") or "/"
        try:
            return str(self.collector.context.confined.path(self.root))
        except dialects.UnreadableFile as exc:
            raise CollectorError(f"root: {exc}") from None

    def unit_files(self, unit: str) -> list[tuple[str, str]]:
        """The unit file and its drop-ins, in the order systemd applies them."""
        if self.root is None and self.host is None and not self.collector.context.allow_outside:
            raise CollectorError(
                "reading this machine's unit folders leaves the project: set `root` to a folder of the "
                "project, `host` to read a server, or [drift] allow_outside = true"
            )
        folders = [self._root()] if self.root is not None else list(USER_DIRS if self.user else SYSTEM_DIRS)
        base, _, _ = unit.rpartition(".")
        template = f"{base.partition('@')[0]}@.service" if "@" in base else None
        unit_names = [unit] + ([template] if template else [])
        candidates = [f"{folder}/{name}" for folder in folders for name in unit_names]
        dropin_dirs = [f"{folder}/{d}.d" for folder in folders for d in ("service", *reversed(unit_names))]
        listing = self._list(dropin_dirs)
        dropins: dict[str, str] = {}
        for folder, names in listing:
            for name in names:
                dropins.setdefault(name, f"{folder}/{name}")  # an earlier folder hides a later one
        ordered = [dropins[name] for name in sorted(dropins)]
        texts = self.read(candidates + ordered)
        main = next((f for f in texts[: len(candidates)] if f.text is not None), None)
        if main is None:
            return []
        found = [(main.path, main.text or "")]
        for item in texts[len(candidates) :]:
            if item.text is None:
                raise CollectorError(f"drop-in {self.shown(item.path)}: {item.error}")
            found.append((item.path, item.text))
        return found

    def _list(self, folders: list[str]) -> list[tuple[str, list[str]]]:
        """The `*.conf` names in each folder that exists."""
        if self.host is not None:
            try:
                names = ssh.list_files(
                    ssh.connections(self.collector.context.resources),
                    self.host,
                    folders,
                    ".conf",
                    self.collector.context.root,
                    self.timeout,
                )
            except ssh.RemoteFailed as exc:
                raise CollectorError(str(exc)) from None
            return list(zip(folders, names, strict=True))
        found: list[tuple[str, list[str]]] = []
        confined = self.collector.context.confined
        for folder in folders:
            path = Path(folder).expanduser()
            if not path.is_dir():
                found.append((folder, []))
                continue
            try:  # a drop-in folder that links out of the project fails the source
                files = confined.files(folder, (".conf",))
            except dialects.UnreadableFile as exc:
                raise CollectorError(f"drop-in folder {self.shown(folder)}: {exc}") from None
            found.append((folder, sorted(p.name for p in files if p.parent == path)))
        return found


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Logical lines of a unit file: (first line number, text), continuations joined."""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if pending and line[:1] in ("#", ";"):
            continue  # a comment inside a continuation is skipped
        if not pending:
            start = number
        if (len(line) - len(line.rstrip("\\"))) % 2 == 1:  # a trailing `\\` that is not itself escaped
            pending.append(line[:-1] + " ")
            continue
        pending.append(line)
        yield start, "".join(pending)
        pending = []
    if pending:
        yield start, "".join(pending)


def _parse_unit(text: str, shown: str, unit: str, user: bool, parsed: _Unit) -> None:
    section = None
    for number, line in _lines(text):
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        if section != "Service" or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key, value, where = key.strip(), value.strip(), f"{shown}:{number}"
        if key == "Environment":
            _environment_line(value, where, unit, user, parsed)
        elif key == "EnvironmentFile":
            if not value:
                parsed.files.clear()
                continue
            required = not value.startswith("-")
            try:
                path = _specifiers(value.removeprefix("-"), unit, user)
            except Unreadable as exc:
                parsed.problems.append(
                    Problem("unreadable-line", None, f"{where}: EnvironmentFile= {exc}", where, where)
                )
                continue
            parsed.files.append((path, required, where))
        elif key == "UnsetEnvironment":
            try:
                parsed.unset.extend(_words(value))
            except Unreadable:
                parsed.problems.append(
                    Problem("unreadable-line", None, f"{where}: UnsetEnvironment= ignored", where, where)
                )


def _environment_line(value: str, where: str, unit: str, user: bool, parsed: _Unit) -> None:
    if not value:
        parsed.environment.clear()
        return
    words: list[str] = []
    try:
        _words(value, words)
    except Unreadable as exc:  # systemd keeps the words before the bad one, drops the rest
        parsed.problems.append(
            Problem("unreadable-line", None, f"{where}: the rest of Environment= is ignored: {exc}", where, where)
        )
    for word in words:
        key, sep, text = word.partition("=")
        if not sep or not _NAME.fullmatch(key):
            parsed.problems.append(
                Problem(
                    "unreadable-line",
                    None,
                    f"{where}: a word of Environment= is not NAME=VALUE; systemd ignores it",
                    where,
                    where,
                )
            )
            continue
        try:
            resolved: str | None = _specifiers(text, unit, user)
        except Unreadable:
            resolved = None  # a specifier only the running manager knows (%h of a system unit, %U, %H)
        parsed.environment.append(_Assignment(key, resolved, where))


def _words(value: str, words: list[str] | None = None) -> list[str]:
    """systemd's extract_first_word with EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE, repeated; the
    words read before a bad one are in `words` when Unreadable is raised."""
    words = [] if words is None else words
    index, length = 0, len(value)
    while True:
        while index < length and value[index] in " \t\n\r":
            index += 1
        if index >= length:
            return words
        word: list[str] = []
        quote = ""
        while index < length:
            char = value[index]
            if char == "\\":
                decoded, index = _escape(value, index + 1)
                word.append(decoded)
                continue
            if quote:
                if char == quote:
                    quote = ""
                else:
                    word.append(char)
            elif char in "'\"":
                quote = char
            elif char in " \t\n\r":
                break
            else:
                word.append(char)
            index += 1
        if quote:
            raise Unreadable("unbalanced quoting")
        words.append("".join(word))


def _escape(value: str, index: int) -> tuple[str, int]:
    """One C escape after a backslash: (the character, the index after it)."""
    if index >= len(value):
        raise Unreadable("a trailing backslash")
    char = value[index]
    if char in _ESCAPES:
        return _ESCAPES[char], index + 1
    for prefix, digits, base in (("x", 2, 16), ("u", 4, 16), ("U", 8, 16)):
        if char == prefix:
            text = value[index + 1 : index + 1 + digits]
            if len(text) == digits and all(c in "0123456789abcdefABCDEF" for c in text) and int(text, base):
                return chr(int(text, base)), index + 1 + digits
            raise Unreadable("a bad escape")
    if char in "01234567":
        text = value[index : index + 3]
        if len(text) == 3 and all(c in "01234567" for c in text) and 0 < int(text, 8) < 256:
            return chr(int(text, 8)), index + 3
    raise Unreadable("an unknown escape")


def _specifiers(text: str, unit: str, user: bool) -> str:
    """`%` specifiers systemd resolves from the unit's name (`%h` in a user unit: `~`)."""
    prefix, _, instance = unit.removesuffix(".service").partition("@")
    known = {"%": "%", "n": unit, "N": unit.removesuffix(".service"), "p": prefix, "i": instance, "I": instance}
    if user:
        known["h"] = "~"
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "%":
            out.append(char)
            index += 1
            continue
        spec = text[index + 1 : index + 2]
        if spec not in known:
            raise Unreadable(f"uses the specifier %{spec[:1]}, known only to the running manager")
        out.append(known[spec])
        index += 2
    return "".join(out)


def _environment(parsed: _Unit, reader: _Reader) -> SourceData:
    entries: dict[str, Entry] = {}
    for assignment in parsed.environment:
        entries[assignment.key] = Entry(assignment.key, assignment.value, f"systemd:{assignment.location}",
                                        assignment.location)  # fmt: skip
    problems = list(parsed.problems)
    malformed = bool(problems)
    paths = [path for path, _, _ in parsed.files]
    texts = reader.read(paths) if paths else []
    for (path, required, where), item in zip(parsed.files, texts, strict=True):
        shown = reader.shown(path)
        if item.text is None:
            if required or item.error != "file not found":
                raise CollectorError(f"EnvironmentFile {shown} (from {where}): {item.error}")
            continue
        read = dialects.read(item.text, "systemd", False, shown)
        for key, line in read.values.items():
            entries[key] = Entry(key, line.value, f"systemd:{shown}", f"{shown}:{line.line}")
        problems.extend(read.problems)
        malformed = malformed or read.malformed
    for name in parsed.unset:
        key, sep, value = name.partition("=")
        if not sep or (key in entries and entries[key].value == value):
            entries.pop(key, None)
    return SourceData(list(entries.values()), problems, malformed)
