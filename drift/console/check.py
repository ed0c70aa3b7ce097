"""`drift check`'s body, and the way into it that a pre-commit hook takes without click.

A hook runs `drift check` on every commit that touches an env file, from a fresh process,
so its start-up is the whole of its cost; click alone is a fifth of it. `run_hook` reads the
common forms of the command's arguments itself and hands anything else (help, a usage error,
an abbreviation, an option before the command) to click, unread: it never answers what
click would answer differently. tests/test_hook_path.py holds the two ways to the same
output and exit code over generated argument lists.
"""

import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from drift.console import (
    deliver,
    failures_handled,
    finish,
    load_if_present,
    push_metrics,
    reports_dir,
    say,
    say_skipped,
    use_color,
    with_options,
)
from drift.console.progress import showing

if TYPE_CHECKING:
    from drift.history import HistoryStore
    from drift.model import ScanResult


class CheckOptions(NamedTuple):
    """`drift check`'s options, by the names click gives its parameters."""

    config: Path | None = None
    schema_path: Path | None = None
    dialect: str | None = None
    envs: Sequence[str] = ()
    fail_on: str | None = None
    fmt: str = "terminal"
    outputs: Sequence[str] = ()
    new_only: bool = False
    changed_since: str | None = None
    strict: bool = False
    quiet: bool = False
    if_present: bool = False
    sarif_suppressed: bool = False


def run_check(options: CheckOptions) -> None:
    """Check the environments against the schema, print the report, exit with the code."""
    from drift import api
    from drift.errors import HistoryError
    from drift.report.document import to_document
    from drift.report.emit import emit, needs_matrix
    from drift.report.formats import Format
    from drift.report.output import parse_output

    config, schema_path, dialect = options.config, options.schema_path, options.dialect
    project = load_if_present(lambda: api.load_project(config, Path.cwd(), schema_path, dialect), options.if_present)
    project = with_options(project, options.fail_on, options.strict)
    targets = [parse_output(spec, reports_dir(project)) for spec in options.outputs]
    chosen = Format(options.fmt)
    # the last saved scan gives statuses; a remote history is read only when --new-only needs it
    remote = project.history.startswith("s3://")
    new_only = options.new_only
    history = api.history_for(project, must_exist=not new_only) if new_only or not remote else None

    def run(store: "HistoryStore | None") -> "ScanResult":
        with showing(options.quiet) as progress:
            return api.scan(
                project,
                options.envs,
                with_matrix=needs_matrix(chosen, targets),
                history=store,
                new_only=new_only,
                progress=progress,
                changed_since=options.changed_since,
            )

    try:
        result = run(history)
    except HistoryError as exc:
        if new_only:  # --new-only cannot be answered without the history
            raise
        say(f"drift: warning: {exc}; checking without history")
        result = run(None)
    say_skipped(result, options.quiet)
    document = to_document(result)
    color = use_color()
    text = emit(document, chosen, targets, color, options.sarif_suppressed)
    if options.quiet and chosen is Format.TERMINAL:
        from drift.report.terminal import summary

        text = summary(document, color)
    push_metrics(project, document)
    deliver(text, color=color)
    finish(result.exit_code)


#: Flags the hook path reads, by option, with the parameter each sets.
_FLAGS = {
    "--new-only": "new_only",
    "--strict": "strict",
    "--quiet": "quiet",
    "-q": "quiet",
    "--if-present": "if_present",
    "--sarif-include-suppressed": "sarif_suppressed",
    "--allow-commands": "allow_commands",
}
#: Options with a value, with the parameter each sets; `envs` and `outputs` repeat.
_VALUED = {
    "--config": "config",
    "--schema": "schema_path",
    "--dialect": "dialect",
    "--env": "envs",
    "--fail-on": "fail_on",
    "--format": "fmt",
    "--output": "outputs",
    "--changed-since": "changed_since",
}
_REPEATED = ("envs", "outputs")


def hook_options(argv: Sequence[str]) -> tuple[CheckOptions, bool] | None:
    """`drift check`'s options and whether `--allow-commands` was given, read from the
    arguments after `check`; None for anything but the plain forms (`--opt VALUE`,
    `--opt=VALUE`, flags), or a value click would refuse or read otherwise: click then reads
    the arguments and gives its own answer."""
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None  # click's shell completion
    flags: set[str] = set()
    values: dict[str, str] = {}
    repeated: dict[str, list[str]] = {"envs": [], "outputs": []}
    arguments = iter(argv)
    for token in arguments:
        option, equals, value = token.partition("=")
        if option in _FLAGS and not equals:
            flags.add(_FLAGS[option])
            continue
        if option not in _VALUED:
            return None
        if not equals:
            value = next(arguments, "")
        name = _VALUED[option]
        if not value or value.startswith("-"):
            return None  # click's answer (a missing value, or an option taken as one)
        if name in _REPEATED:
            repeated[name].append(value)
        elif name in values:
            return None  # click keeps the last; rare enough to leave to it
        else:
            values[name] = value
    if not _acceptable(values):
        return None
    options = CheckOptions(
        config=Path(values["config"]) if "config" in values else None,
        schema_path=Path(values["schema_path"]) if "schema_path" in values else None,
        dialect=values.get("dialect"),
        envs=tuple(repeated["envs"]),
        fail_on=values.get("fail_on"),
        fmt=values.get("fmt", "terminal"),
        outputs=tuple(repeated["outputs"]),
        changed_since=values.get("changed_since"),
        **{name: True for name in flags if name != "allow_commands"},
    )
    return options, "allow_commands" in flags


def _acceptable(values: dict[str, str]) -> bool:
    """Whether click would take these values as they are: a choice among its choices, and a
    path that is not a folder and, where it exists, readable (click.Path(dir_okay=False))."""
    from drift.dialects import DIALECTS
    from drift.model import FAIL_ON_LEVELS
    from drift.report.formats import Format

    choices = {"dialect": DIALECTS, "fail_on": FAIL_ON_LEVELS, "fmt": tuple(f.value for f in Format)}
    if any(name in values and values[name] not in allowed for name, allowed in choices.items()):
        return False
    for name in ("config", "schema_path"):
        if name in values:
            try:
                mode = Path(values[name]).stat().st_mode
            except OSError:
                continue  # click.Path(exists=False) takes a path that is not there
            except ValueError:
                return False  # a NUL byte: click's own error
            if stat.S_ISDIR(mode) or not os.access(values[name], os.R_OK):
                return False
    return True


def run_hook(argv: Sequence[str]) -> None:
    """Run `drift check` with these arguments (those after `check`) without click, and exit;
    return without doing anything when click must read them (`hook_options`)."""
    parsed = hook_options(argv)
    if parsed is None:
        return
    options, allow_commands = parsed
    if allow_commands:
        from drift.platform.programs import ALLOW_ENV

        os.environ[ALLOW_ENV] = "1"
    try:
        with failures_handled():
            run_check(options)
    except KeyboardInterrupt:  # as click's main answers it: a blank line, then Aborted!
        say("")
        say("Aborted!")
        sys.exit(1)
