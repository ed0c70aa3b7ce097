"""The `drift` command line: a thin click layer over `drift.api`.

It parses options, chooses colour, maps errors to exit codes, and decides the little that is
about running in a terminal (a damaged history warns and `check` goes on without it); the
work is in `drift.api` and the stages. Heavy modules (boto3, jinja2, the CEL runtime, regex)
are imported only by the paths that need them.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from drift import __version__
from drift.errors import EXIT_INTERNAL, DriftError
from drift.report.formats import Format

if TYPE_CHECKING:
    from drift.collectors.snapshot import Progress
    from drift.config import Project
    from drift.history import HistoryStore
    from drift.model import ScanResult

F = TypeVar("F", bound=Callable[..., Any])

config_option = click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="drift.toml or pyproject.toml to use (default: found in the current folder).",
)
schema_option = click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The example file to use as the schema (default: [drift] schema, else .env.example, "
    ".env.sample, .env.template, .env.dist or .env.*.sample).",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Findings that rest on an inference are errors, not warnings."
)


def use_color() -> bool:
    """Colour when stdout is a terminal and NO_COLOR is not set."""
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def handle_errors(func: F) -> F:
    """Print DriftErrors as one clear message (never a traceback) and exit with their code;
    anything unanticipated is one line naming the exception type (never its message, which
    may hold a value) and exit 4. `DRIFT_DEBUG=1` / `--debug` adds the traceback's frames."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DriftError as exc:
            click.echo(f"drift: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (SystemExit, KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except BaseException as exc:  # the contract: no traceback, never 0 or 1
            click.echo(f"drift: internal error ({type(exc).__name__}); this is a bug in drift", err=True)
            if os.environ.get("DRIFT_DEBUG"):
                click.echo(masked_traceback(exc), err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def masked_traceback(exc: BaseException) -> str:
    """The traceback's frames (file, line, function, source line) without the exception's
    message or any local variable, either of which may hold a secret value."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f"  {f.filename}:{f.lineno} in {f.name}: {f.line or ''}" for f in frames]
    return "drift internal error, frames (values masked):\n" + "\n".join(lines) + f"\n{type(exc).__name__}"


def finish(code: int) -> NoReturn:
    """Exit with a scan's exit code."""
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drift")
@click.option("--debug", is_flag=True, help="On an internal error, print the traceback (values masked).")
def main(debug: bool) -> None:
    """Detect configuration drift between environments and the .env.example schema."""
    if debug:
        os.environ["DRIFT_DEBUG"] = "1"


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in Format]),
    default="terminal",
    show_default=True,
    help="What to print on stdout.",
)
output_option = click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FORMAT:PATH",
    help="Also write FORMAT to PATH (repeatable), e.g. html:reports/drift-report.html.",
)


@main.command()
@config_option
@schema_option
@click.option("--env", "envs", multiple=True, metavar="NAME", help="Environment to check (repeatable; default all).")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "none"]),
    help="Lowest severity that fails the check (default: [drift] fail_on, else error).",
)
@format_option
@output_option
@click.option("--new-only", is_flag=True, help="Fail only on findings new since the last saved scan.")
@strict_option
@handle_errors
def check(
    config: Path | None,
    schema_path: Path | None,
    envs: Sequence[str],
    fail_on: str | None,
    fmt: str,
    outputs: Sequence[str],
    new_only: bool,
    strict: bool,
) -> None:
    """Check environments against the schema; exit 0 clean, 1 drift, 2 usage, 3 unreadable."""
    from drift import api
    from drift.errors import HistoryError
    from drift.report.document import to_document
    from drift.report.emit import emit, needs_matrix
    from drift.report.formats import Format
    from drift.report.output import parse_output

    project = with_options(api.load_project(config, Path.cwd(), schema_path), fail_on, strict)
    targets = [parse_output(spec, reports_dir(project)) for spec in outputs]
    chosen = Format(fmt)
    # the last saved scan gives statuses; a remote history is read only when --new-only needs it
    remote = project.history.startswith("s3://")
    history = api.history_for(project, must_exist=not new_only) if new_only or not remote else None

    def run(store: HistoryStore | None) -> ScanResult:
        return api.scan(
            project,
            envs,
            with_matrix=needs_matrix(chosen, targets),
            history=store,
            new_only=new_only,
            progress=progress_printer(),
        )

    try:
        result = run(history)
    except HistoryError as exc:
        if new_only:  # --new-only cannot be answered without the history
            raise
        click.echo(f"drift: warning: {exc}; checking without history", err=True)
        result = run(None)
    click.echo(emit(to_document(result), chosen, targets, use_color()), nl=False, color=use_color())
    finish(result.exit_code)


def reports_dir(project: Project) -> Path:
    """Where bare `--output FORMAT` files go: `[drift] reports_dir`, else ./reports."""
    return project.reports_dir or Path("reports")


def with_options(project: Project, fail_on: str | None, strict: bool) -> Project:
    """The project with `--fail-on` and `--strict` applied."""
    from drift.config import parse_fail_on
    from drift.model import Severity

    if fail_on is not None:
        project = dataclasses.replace(project, fail_on=parse_fail_on(fail_on, "--fail-on"))
    if strict:
        project = dataclasses.replace(project, inferred=Severity.ERROR)
    return project


def progress_printer() -> Progress | None:
    """Per-source progress on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(env: str, source: str, status: str | None) -> None:
        click.echo(f"drift: {env}: {source} {'…' if status is None else status}", err=True)

    return show


@main.command("scan")
@config_option
@schema_option
@click.option("--no-save", is_flag=True, help="Do not save this scan to history.")
@output_option
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "none"]),
    help="Lowest severity that fails the scan (default: [drift] fail_on, else error).",
)
@strict_option
@handle_errors
def scan_command(
    config: Path | None,
    schema_path: Path | None,
    no_save: bool,
    outputs: Sequence[str],
    fail_on: str | None,
    strict: bool,
) -> None:
    """Scan every environment: reports in reports_dir, history, notification of new drift."""
    from drift import api, notify
    from drift.report.document import to_document
    from drift.report.emit import emit
    from drift.report.formats import Format
    from drift.report.output import parse_output

    project = with_options(api.load_project(config, Path.cwd(), schema_path), fail_on, strict)
    reports = reports_dir(project)
    html_path = reports / "drift-report.html"
    targets = [
        (Format.JSON, reports / "drift-report.json"),
        (Format.HTML, html_path),
        *(parse_output(spec, reports) for spec in outputs),
    ]
    store = api.history_for(project)
    fingerprint = api.fingerprinter_for(project, persistent=not no_save)
    result = api.scan(project, history=store, fingerprinter=fingerprint, progress=progress_printer())
    document = to_document(result)
    # the same delivery as `check`: files, stdout, GitHub annotations and step summary
    text = emit(document, Format.TERMINAL, targets, use_color())
    if not no_save and store is not None:
        api.save_scan(result, store, fingerprint)  # committed last: a killed scan loses nothing
    click.echo(text, nl=False, color=use_color())
    click.echo(
        f"reports: {project.display(reports / 'drift-report.json')}, {project.display(html_path)}"
        + ("" if no_save else f"; saved as scan {result.scan_id}"),
        err=True,
    )
    if project.notify is not None and not no_save:
        for problem in notify.send(project.notify, document, project.display(html_path)):
            click.echo(f"drift: notification failed: {problem}", err=True)
    finish(result.exit_code)


@main.command("history")
@config_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many scans.")
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
@handle_errors
def history_command(config: Path | None, limit: int, fmt: str) -> None:
    """List past scans with their counts, newest first."""
    import json

    from drift import api

    project = api.load_project(config, Path.cwd())
    store = api.history_for(project, must_exist=True)
    rows = store.summaries(limit) if store is not None else []
    if fmt == "json":
        click.echo(json.dumps([row.__dict__ for row in rows], indent=2))
        return
    if not rows:
        click.echo("No saved scans yet: `drift scan` saves one.")
    for row in rows:
        click.echo(
            f"{row.id}  {row.scanned_at}  exit {row.exit_code}  "
            f"{row.error} errors, {row.warning} warnings, {row.info} info"
        )


@main.command("report")
@config_option
@click.option("--scan", "scan_id", default="latest", show_default=True, help="A scan id from `drift history`.")
@format_option
@output_option
@handle_errors
def report_command(config: Path | None, scan_id: str, fmt: str, outputs: Sequence[str]) -> None:
    """Render any format from a saved scan."""
    from drift import api
    from drift.errors import ConfigError
    from drift.report.document import load_document
    from drift.report.emit import emit
    from drift.report.formats import Format
    from drift.report.output import parse_output

    project = api.load_project(config, Path.cwd())
    targets = [parse_output(spec, reports_dir(project)) for spec in outputs]
    store = api.history_for(project, must_exist=True)
    saved = None if store is None else (store.latest() if scan_id == "latest" else store.get(scan_id))
    if saved is None:
        raise ConfigError(f"{project.history}: no saved scan yet (`drift scan` saves one)")
    document = load_document(saved.document, f"scan {saved.id}")
    click.echo(emit(document, Format(fmt), targets, use_color()), nl=False, color=use_color())


@main.command("baseline")
@config_option
@schema_option
@click.option(
    "--days", default=90, show_default=True, type=click.IntRange(min=1), help="Days until each entry expires."
)
@handle_errors
def baseline_command(config: Path | None, schema_path: Path | None, days: int) -> None:
    """Accept today's drift: write a suppression per current finding to the baseline file."""
    from drift import api
    from drift.baseline import write_baseline

    project = api.load_project(config, Path.cwd(), schema_path)
    result = api.scan(dataclasses.replace(project, ignores=()), with_matrix=False)
    target = project.baseline or project.root / "drift-baseline.toml"
    count, skipped = write_baseline(target, result.findings, days)
    click.echo(
        f"wrote {count} entries to {project.display(target)}; fill in each reason"
        + (f" ({skipped} source-unavailable findings are never baselined)" if skipped else "")
    )


@main.command()
@click.option(
    "--input",
    "source",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="A JSON report written by drift (the canonical artifact).",
)
@format_option
@output_option
@handle_errors
def render(source: Path, fmt: str, outputs: Sequence[str]) -> None:
    """Re-render any format from a saved JSON report alone."""
    import json

    from drift.errors import ConfigError
    from drift.files import CONFIG_MAX_BYTES, UnreadableFile, read_text
    from drift.report.document import load_document
    from drift.report.emit import emit
    from drift.report.formats import Format
    from drift.report.output import parse_output

    targets = [parse_output(spec, Path("reports")) for spec in outputs]
    try:
        data = json.loads(read_text(source, CONFIG_MAX_BYTES))
    except UnreadableFile as exc:
        raise ConfigError(f"{source}: cannot read the report: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}: not JSON (line {exc.lineno})") from None
    except RecursionError:
        raise ConfigError(f"{source}: JSON nested too deeply") from None
    document = load_document(data, str(source))
    click.echo(emit(document, Format(fmt), targets, use_color()), nl=False, color=use_color())


@main.command("diff")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--keys-only", is_flag=True, help="Compare key sets only, not values.")
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="An example file whose declarations (@secret, @not-secret, types) decide what is shown.",
)
@click.option("--dialect", type=click.Choice(["node", "python", "compose", "shell"]), help="How the files are read.")
@click.option("--expand", is_flag=True, help="Expand ${VAR} from each file's own keys.")
@handle_errors
def diff_command(
    files: Sequence[Path], keys_only: bool, schema_path: Path | None, dialect: str | None, expand: bool
) -> None:
    """Compare dotenv FILES as a key x file matrix; exit 1 when they differ, 2 when
    unreadable, 3 when a line could not be read."""
    from drift import dialects, diff
    from drift.errors import ConfigError
    from drift.schema import load_schema
    from drift.secrets import Fingerprinter

    if len(files) < 2:
        raise ConfigError("drift diff needs at least two files")
    detected = dialects.detect(schema_path.parent if schema_path else Path.cwd())
    chosen = dialect or detected.name
    specs = {}
    if schema_path is not None:
        specs = load_schema(schema_path, str(schema_path), {}, [], "(no config file)", "", chosen).specs
    values, problems = diff.read_files(files, chosen, expand)
    result = diff.DiffResult(diff.diff(values, keys_only, Fingerprinter.ephemeral(), specs), problems)
    click.echo(diff.render([str(f) for f in files], result), nl=False)
    finish(result.exit_code)


@main.command("init")
@schema_option
@click.option("--force", is_flag=True, help="Overwrite an existing drift.toml.")
@handle_errors
def init_command(schema_path: Path | None, force: bool) -> None:
    """Write a drift.toml for the project here: environments from its env files, and what
    drift would infer written out as declarations to review."""
    from drift import init
    from drift.config import load_project
    from drift.errors import ConfigError
    from drift.report.output import write_atomic

    target = Path.cwd() / "drift.toml"
    if target.exists() and not force:
        raise ConfigError("drift.toml already exists; pass --force to overwrite it")
    text = init.propose(Path.cwd(), schema_path)
    write_atomic(target, text)
    project = load_project(target, Path.cwd())  # what was written must load
    click.echo(
        f"wrote drift.toml: {len(project.environments)} environments, dialect {project.dialect.name}; "
        "review it, then run `drift check`"
    )


@main.command()
@click.argument("rule", required=False)
@handle_errors
def explain(rule: str | None) -> None:
    """Explain RULE (or list every rule): what it checks and how to fix it."""
    from drift.engine import catalog
    from drift.errors import ConfigError
    from drift.suggest import did_you_mean

    if rule is None:
        for info in catalog.RULES.values():
            click.echo(f"{info.slug:<20} {info.severity.label:<8} {info.title}")
        return
    if rule not in catalog.RULES:
        raise ConfigError(f"unknown rule '{rule}'{did_you_mean(rule, catalog.RULES)}; `drift explain` lists them")
    info = catalog.RULES[rule]
    click.echo(f"{info.slug} ({info.severity.label} by default): {info.title}\n")
    click.echo(click.wrap_text(info.explanation, 88) + "\n")
    click.echo(click.wrap_text(f"Fix: {info.fix}", 88))


@main.group()
def schema() -> None:
    """Show or lint the merged schema (.env.example + drift.toml [keys])."""


@schema.command("show")
@config_option
@schema_option
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
@handle_errors
def schema_show(config: Path | None, schema_path: Path | None, fmt: str) -> None:
    """Print every declared key with its merged spec."""
    from drift import api
    from drift.schema import show

    project = api.load_project(config, Path.cwd(), schema_path)
    loaded = api.load_project_schema(project)
    text = show.as_json(loaded) if fmt == "json" else show.as_text(loaded, list(project.environments))
    click.echo(text, nl=False)


@schema.command("lint")
@config_option
@schema_option
@handle_errors
def schema_lint(config: Path | None, schema_path: Path | None) -> None:
    """Check the schema itself; exit 1 when it has errors."""
    from drift import api
    from drift.engine.lint import lint
    from drift.model import Severity

    project = api.load_project(config, Path.cwd(), schema_path)
    findings = lint(api.load_project_schema(project), project.assertions)
    for finding in findings:
        where = f" ({finding.location})" if finding.location else ""
        click.echo(f"{finding.severity.label:<8} {finding.rule:<18} {finding.message}{where}")
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    click.echo(f"{len(findings)} problems ({errors} errors)" if findings else "The schema is clean.")
    finish(1 if errors else 0)
