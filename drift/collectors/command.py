"""The `command` source: a program's standard output, parsed as `dotenv`, `json` or `names`.

This is how drift reaches a platform through its own CLI (`heroku config --json`, `vercel env
pull`, `fly secrets list --json`, `gh secret list --json name,updatedAt`, `doppler secrets
download --format env`, `kubectl get configmap -o json`). The program is an argv list run
without a shell, with a timeout and an output cap (`drift.platform.programs`); a non-zero exit or a
timeout is `source-unavailable` with the exit status and the last line of standard error,
masked.

`json` takes an object of strings (Heroku, Doppler's JSON), a list of objects with a name
and maybe a value (`{"name": ..., "value": ...}`; Fly and GitHub list names only), or a
Kubernetes ConfigMap or Secret (`data`, base64 for a Secret, and `stringData`). An item
without a value, and every line of `names`, is a names-only entry: the key is set, its
value cannot be read (`Entry.value` is None).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from drift.collectors.base import Collector, CollectorError, Option, SourceData
from drift.collectors.parsers import json_text, object_values, read_env_text
from drift.model import Entry, Problem
from drift.platform import jsontext, programs
from drift.secrets.scrub import scrub

FORMATS = ("dotenv", "json", "names")
#: A key as platforms name them (letters, digits, `_`, `.`, `-`; not starting with a digit).
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
#: Field names platforms use for an item's name and value in a JSON list.
_NAME_FIELDS = ("name", "Name", "key", "Key")
_VALUE_FIELDS = ("value", "Value")
#: Facts worth keeping about a names-only item (Fly's digest changes with the value).
_FACT_FIELDS = {"digest": "digest", "Digest": "digest", "updatedAt": "last_changed", "updated_at": "last_changed"}


class CommandCollector(Collector):
    """Runs `argv` in the project folder and parses what it prints."""

    kind: ClassVar[str] = "command"
    waits_on_network = True  # it waits on a process (most often one that waits on a platform's API)
    options: ClassVar[dict[str, Option]] = {
        "argv": Option((list,), required=True, help="the program and its arguments, a list (never a shell line)"),
        "format": Option((str,), help="what it prints: dotenv (default), json or names"),
        "timeout": Option((int, float), help=f"seconds before it is killed (default {programs.DEFAULT_TIMEOUT:g})"),
        "max_bytes": Option((int,), help=f"output cap (default {programs.DEFAULT_MAX_BYTES:,})"),
        "dialect": Option((str,), help="for format dotenv: the loader's rules (default: [drift])"),
        "expand": Option((bool,), help="for format dotenv: expand ${VAR} from the output's own keys"),
    }

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        argv = options.get("argv")
        problems = []
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) and a for a in argv):
            problems.append("`argv` must be a non-empty list of non-empty strings")
        if options.get("format", "dotenv") not in FORMATS:
            problems.append(f"`format` must be one of {', '.join(FORMATS)}")
        timeout = options.get("timeout", 1)
        if isinstance(timeout, bool) or not 0 < timeout <= 3600:
            problems.append("`timeout` must be a number of seconds between 0 and 3600")
        return problems

    def name(self) -> str:
        """The command line as reports name the source: scrubbed (an argument may be a token)."""
        return scrub(" ".join(str(a) for a in self.source.options["argv"]))[:120]

    def collect(self) -> SourceData:
        options = self.source.options
        argv = [str(a) for a in options["argv"]]
        if not programs.allowed():
            raise CollectorError(programs.refusal(f"the command source ({Path(argv[0]).name})"))
        try:
            output = programs.run(
                argv,
                self.context.root,
                float(options.get("timeout", programs.DEFAULT_TIMEOUT)),
                int(options.get("max_bytes", programs.DEFAULT_MAX_BYTES)),
            )
        except programs.CommandFailed as exc:
            raise CollectorError(str(exc)) from None
        try:
            if b"\x00" in output.stdout:
                raise UnicodeDecodeError("utf-8", output.stdout, 0, 1, "NUL")
            text = output.stdout.decode("utf-8")
        except UnicodeDecodeError:
            raise CollectorError(f"{argv[0]} printed something that is not UTF-8 text") from None
        label = f"command:{argv[0]}"
        fmt = str(options.get("format", "dotenv"))
        if fmt == "dotenv":
            dialect = str(options.get("dialect", self.context.dialect))
            expand = bool(options.get("expand", self.context.expand))
            return read_env_text(text, dialect, expand, label, source=label)
        if fmt == "names":
            return names(text, label)
        return from_json(text, label)


def names(text: str, label: str) -> SourceData:
    """One key per line; blank lines and `#` comments skipped."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        key = line.strip()
        if not key or key.startswith("#"):
            continue
        if not _KEY.fullmatch(key):
            problems.append(
                Problem("unreadable-line", None, f"{label} line {number} is not a key name", None, str(number))
            )
            continue
        entries.append(names_only(key, label, f"{label}:{number}", {}))
    return SourceData(entries, problems, malformed=bool(problems))


def names_only(key: str, label: str, location: str, facts: dict[str, Any]) -> Entry:
    """An entry whose key is set but whose value the source does not give (`value` None)."""
    return Entry(key, None, label, location, metadata=facts)


def from_json(text: str, label: str) -> SourceData:
    """Entries of a JSON object of strings, a list of named items, or a ConfigMap / Secret."""
    try:
        data = jsontext.loads(text)
    except jsontext.TooDeep:
        raise CollectorError(f"{label} printed JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise CollectorError(f"{label} did not print JSON (line {exc.lineno}, column {exc.colno})") from None
    if isinstance(data, dict) and data.get("kind") in ("ConfigMap", "Secret") and data.get("apiVersion") == "v1":
        return _kubernetes_object(data, label)
    if isinstance(data, dict):
        return _object(data, label)
    if isinstance(data, list):
        return _items(data, label)
    raise CollectorError(f"{label} printed JSON that is neither an object nor a list")


def _object(data: dict[str, Any], label: str, store_secret: bool = False) -> SourceData:
    entries: list[Entry] = []
    problems: list[Problem] = []
    for key, value in data.items():
        text = json_text(value)
        if text is None:
            problems.append(Problem("unreadable-line", key, f"{label}: the value of {key} is null", None, key))
            continue
        entries.append(Entry(key, text, label, f"{label}:{key}", store_secret=store_secret))
    return SourceData(entries, problems, malformed=bool(problems))


def _items(data: list[Any], label: str) -> SourceData:
    entries: list[Entry] = []
    problems: list[Problem] = []
    for index, item in enumerate(data):
        name = next((item[f] for f in _NAME_FIELDS if isinstance(item, dict) and f in item), None)
        if not isinstance(name, str) or not name:
            problems.append(Problem("unreadable-line", None, f"{label}: item {index} has no name", None, str(index)))
            continue
        location = f"{label}:{name}"
        field = next((f for f in _VALUE_FIELDS if f in item), None)
        if field is None:
            facts = {_FACT_FIELDS[f]: str(item[f]) for f in _FACT_FIELDS if isinstance(item.get(f), str)}
            entries.append(names_only(name, label, location, facts))
            continue
        text = json_text(item[field])
        if text is None:
            problems.append(Problem("unreadable-line", name, f"{label}: the value of {name} is null", None, name))
            continue
        entries.append(Entry(name, text, label, location))
    return SourceData(entries, problems, malformed=bool(problems))


def _kubernetes_object(data: dict[str, Any], label: str) -> SourceData:
    secret = data["kind"] == "Secret"
    values, undecodable = object_values(data, secret)
    entries = [Entry(key, value, label, f"{label}:{key}", store_secret=secret) for key, (value, _) in values.items()]
    problems = [
        Problem("unreadable-line", key, f"{label}: the Secret's {key} is not base64 of UTF-8 text", None, key)
        for key in undecodable
    ]
    return SourceData(entries, problems, malformed=bool(problems))
