"""The commands around a scan: diff, init, explain, schema show and schema lint."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from drift.cli import (
    allow_commands_option,
    config_option,
    dialect_option,
    finish,
    handle_errors,
    main,
    schema_option,
)
from drift.dialects import DIALECTS
from drift.report import inert

if TYPE_CHECKING:
    pass


@main.command("diff")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--keys-only", is_flag=True, help="Compare key sets only, not values.")
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="An example file whose declarations (@secret, @not-secret, types) decide what is shown.",
)
@click.option("--dialect", type=click.Choice(DIALECTS), help="How the files are read.")
@click.option("--expand", is_flag=True, help="Expand ${VAR} from each file's own keys.")
@handle_errors
def diff_command(
    files: Sequence[Path], keys_only: bool, schema_path: Path | None, dialect: str | None, expand: bool
) -> None:
    """Compare dotenv FILES as a key x file matrix; exit 1 when they differ, 2 when
    unreadable, 3 when a line could not be read."""
    from drift import dialects
    from drift.actions import diff
    from drift.errors import ConfigError
    from drift.schema import load_schema
    from drift.secrets import Fingerprinter

    if len(files) < 2:
        raise ConfigError("drift diff needs at least two files")
    detected = dialects.detect(schema_path.parent if schema_path else Path.cwd(), Path.cwd())
    chosen = dialect or detected.name
    specs = {}
    if schema_path is not None:
        specs = load_schema(schema_path, str(schema_path), {}, [], "(no config file)", "", chosen).specs
    values, problems = diff.read_files(files, chosen, expand)
    result = diff.DiffResult(diff.diff(values, keys_only, Fingerprinter.ephemeral(), specs), problems)
    click.echo(diff.render([str(f) for f in files], result), nl=False)
    finish(result.exit_code)


@main.command("sync")
@config_option
@schema_option
@click.option("--env", "envs", multiple=True, help="An environment whose dotenv file to sync (default: local).")
@click.option("--all", "everything", is_flag=True, help="Add optional keys too, not only required ones.")
@click.option("--rename", is_flag=True, help="Rename near-miss keys to the declared name they resemble.")
@click.option("--write", is_flag=True, help="Apply the change (a backup is kept); without it, show it.")
@handle_errors
def sync_command(
    config: Path | None, schema_path: Path | None, envs: Sequence[str], everything: bool, rename: bool, write: bool
) -> None:
    """Add the keys the schema requires to an environment's dotenv file, as the example has
    them; without --write, print the diff and exit 1 if anything would change."""
    from drift import api
    from drift.actions import sync
    from drift.errors import ConfigError

    project = api.load_project(config, Path.cwd(), schema_path)
    if envs:
        selected = api.select_environments(project, envs)
    elif "local" in project.environments:
        selected = [project.environments["local"]]
    else:
        raise ConfigError("no `local` environment: name the environments to sync with --env")
    syncs = sync.plan(project, api.load_project_schema(project), selected, everything, rename)
    click.echo(sync.render(syncs), nl=False)
    refused = [s for s in syncs if s.refused is not None]
    if write:
        for backup in sync.write(syncs):
            click.echo(f"kept the previous file as {project.display(backup)}")
    if refused:
        raise ConfigError(f"{len(refused)} file(s) left alone (see above)")
    finish(0 if write or not any(s.changes for s in syncs) else 1)


@main.command("plan")
@config_option
@allow_commands_option
@click.option("--env", "envs", multiple=True, help="An environment to plan for (default: all).")
@click.option("--from", "reference", help='Copy `parity = "same"` keys that are no secret from this environment.')
@click.option(
    "--value-from-env", "value_from", multiple=True, metavar="KEY=VAR", help="A secret's value, read from VAR."
)
@click.option("--generate", multiple=True, metavar="KEY", help="Generate a secret the schema marks generatable.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write the plan for `drift apply`.")
@handle_errors
def plan_command(
    config: Path | None,
    envs: Sequence[str],
    reference: str | None,
    value_from: Sequence[str],
    generate: Sequence[str],
    out: Path | None,
) -> None:
    """The changes to SSM, Secrets Manager and dotenv files that would clear the findings;
    exit 1 when there are any."""
    from drift import api
    from drift.actions import plan
    from drift.errors import ConfigError
    from drift.platform.files import write_atomic

    pairs = {}
    for spec in value_from:
        key, sep, variable = spec.partition("=")
        if not sep or not key or not variable:
            raise ConfigError(f"--value-from-env {spec!r}: write KEY=VARIABLE")
        pairs[key] = variable
    project = api.load_project(config, Path.cwd())
    names = [*envs, reference] if envs and reference else list(envs)
    fingerprint = api.fingerprinter_for(project, persistent=True)  # plan and apply must agree
    result = api.scan(project, names, with_matrix=False, fingerprinter=fingerprint)
    made = plan.make_plan(project, api.load_project_schema(project), result, fingerprint, reference, pairs, generate)
    click.echo(inert.lines(plan.render(made)), nl=False)
    if out is not None:
        write_atomic(out, made.dump(fingerprint), 0o600)
        click.echo(f"wrote the plan to {out}; `drift apply {out}` applies it")
    finish(1 if made.items or made.needs_value else 0)


@main.command("apply")
@config_option
@click.argument("plan_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--yes", is_flag=True, help="Apply without asking (CI).")
@handle_errors
def apply_command(config: Path | None, plan_file: Path, yes: bool) -> None:
    """Apply a plan from `drift plan --out`, if nothing it touches changed since."""
    import getpass
    import sys
    from datetime import UTC, datetime

    from drift import api
    from drift.actions import plan
    from drift.errors import ConfigError
    from drift.platform.files import write_atomic

    project = api.load_project(config, Path.cwd())
    fingerprint = api.fingerprinter_for(project, persistent=True)  # plan and apply must agree
    loaded = plan.Plan.load(plan_file, fingerprint)
    schema = api.load_project_schema(project)
    plan.validate(loaded, project, schema)  # data drift checks, not instructions it trusts
    specs = {(i.env, i.key): schema.for_env(i.env).get(i.key) for i in loaded.items}
    stores = plan.Stores(project, fingerprint)

    def confirm(items: Sequence[plan.Item]) -> bool:
        if yes:
            return True
        if not sys.stdin.isatty():
            raise ConfigError("not a terminal: pass --yes to apply without asking")
        click.echo(inert.lines(plan.render(plan.Plan(loaded.project, loaded.config, list(items)))), nl=False)
        return click.confirm(f"apply these {len(items)} changes?")

    outcome = plan.apply(loaded, stores, {k: v for k, v in specs.items() if v is not None}, confirm)
    for item in outcome.already:
        click.echo(inert.terminal(f"already applied: {item.env} {item.key}"))
    for item in outcome.applied:
        click.echo(inert.terminal(f"applied: {item.env} {item.key} ({item.store} {item.target})"))
    history = api.history_for(project)
    if history is not None and outcome.applied:
        history.audit(
            {
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "who": getpass.getuser(),
                "plan": str(plan_file),
                "changes": [
                    {
                        "env": i.env,
                        "key": i.key,
                        "action": i.action,
                        "store": i.store,
                        "target": i.target,
                        "old": i.observed,
                        "new": stores.observe(i)[1],
                    }
                    for i in outcome.applied
                ],
            }
        )
    if outcome.failed is not None:
        loaded.items = outcome.remaining
        write_atomic(plan_file, loaded.dump(fingerprint), 0o600)
        click.echo(
            inert.lines(
                f"failed: {outcome.failed.env} {outcome.failed.key}: {outcome.error}\n"
                f"not applied: {', '.join(f'{i.env} {i.key}' for i in outcome.remaining)}; "
                f"{plan_file} now holds only those: `drift apply {plan_file}` resumes"
            ),
            err=True,
            nl=False,
        )
        finish(3)
    finish(0)


@main.command("code")
@config_option
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
@handle_errors
def code_command(config: Path | None, fmt: str) -> None:
    """Every place the code under `[code] paths` reads a setting: key, file, line and kind
    (direct, default, dynamic)."""
    import json

    from drift import api
    from drift.errors import ConfigError

    project = api.load_project(config, Path.cwd())
    reads = api.code_reads(project)
    if reads is None:
        raise ConfigError(
            f'{project.config_display}: no [code] table: say where the code is (`[code] paths = ["src"]`)'
        )
    if fmt == "json":
        rows = [{"key": r.key, "path": r.path, "line": r.line, "kind": r.kind} for r in reads]
        click.echo(json.dumps({"reads": rows}, indent=2))
        return
    for read in reads:
        click.echo(inert.terminal(f"{read.key or '(dynamic)':<32} {read.kind:<8} {read.location}"))
    keys = {r.key for r in reads if r.key is not None}
    dynamic = sum(1 for r in reads if r.key is None)
    click.echo(f"{len(reads)} reads of {len(keys)} keys" + (f", {dynamic} with a computed name" if dynamic else ""))


@main.command("init")
@schema_option
@dialect_option
@click.option("--force", is_flag=True, help="Overwrite an existing drift.toml.")
@handle_errors
def init_command(schema_path: Path | None, dialect: str | None, force: bool) -> None:
    """Write a drift.toml for the project here: environments from its env files, and what
    drift would infer written out as declarations to review."""
    from drift.actions import init
    from drift.config import load_project
    from drift.errors import ConfigError
    from drift.platform.files import write_atomic

    target = Path.cwd() / "drift.toml"
    if target.exists() and not force:
        raise ConfigError("drift.toml already exists; pass --force to overwrite it")
    text = init.propose(Path.cwd(), schema_path, dialect)
    write_atomic(target, text)
    project = load_project(target, Path.cwd())  # what was written must load
    click.echo(
        f"wrote drift.toml: {len(project.environments)} environments, dialect {project.dialect.name}; "
        "review it, then run `drift check`"
    )


@main.command()
@click.argument("rule", required=False)
@click.option("--markdown", is_flag=True, help="Every rule (or source) as the README's Markdown table.")
@click.option("--sources", is_flag=True, help="Every source type and its options, instead of the rules.")
@handle_errors
def explain(rule: str | None, markdown: bool, sources: bool) -> None:
    """Explain RULE (or list every rule, or with --sources every source type's options):
    what it checks and how to fix it."""
    from drift.engine import catalog
    from drift.errors import ConfigError
    from drift.platform.suggest import did_you_mean

    if sources:
        from drift.collectors import registry

        table = registry.options_table()
        click.echo(table if markdown else inert.lines(table.replace("`", "")), nl=False)
        return
    if markdown:
        click.echo(catalog.markdown_table(), nl=False)
        return
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
@dialect_option
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
@handle_errors
def schema_show(config: Path | None, schema_path: Path | None, dialect: str | None, fmt: str) -> None:
    """Print every declared key with its merged spec."""
    from drift import api
    from drift.schema import show

    project = api.load_project(config, Path.cwd(), schema_path, dialect)
    loaded = api.load_project_schema(project)
    text = show.as_json(loaded) if fmt == "json" else show.as_text(loaded, list(project.environments))
    if fmt != "json":  # keys and descriptions come from files: one inert line each
        text = inert.lines(text.rstrip("\n")) + "\n"
    click.echo(text, nl=False)


@schema.command("lint")
@config_option
@schema_option
@dialect_option
@handle_errors
def schema_lint(config: Path | None, schema_path: Path | None, dialect: str | None) -> None:
    """Check the schema itself; exit 1 when it has errors."""
    from drift import api
    from drift.engine.lint import lint
    from drift.model import Severity

    project = api.load_project(config, Path.cwd(), schema_path, dialect)
    findings = lint(api.load_project_schema(project), project.assertions)
    for finding in findings:
        where = f" ({finding.location})" if finding.location else ""
        click.echo(inert.terminal(f"{finding.severity.label:<8} {finding.rule:<18} {finding.message}{where}"))
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    click.echo(f"{len(findings)} problems ({errors} errors)" if findings else "The schema is clean.")
    finish(1 if errors else 0)
