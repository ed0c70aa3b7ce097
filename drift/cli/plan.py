"""`drift plan` and `drift apply`: the changes that clear findings, saved, then applied."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import click

from drift import api
from drift.actions import plan
from drift.cli import allow_commands_option, config_option, handle_errors, main
from drift.console import finish
from drift.errors import ConfigError
from drift.platform.files import write_atomic
from drift.report import inert


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
    exit 1 when there are any.

    \b
    Examples:
      drift plan --env production --out plan.json
      drift plan --env production --from staging --out plan.json
      drift plan --env production --value-from-env API_KEY=NEW_API_KEY --out plan.json
    """

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
    """Apply a plan from `drift plan --out`, if nothing it touches changed since.

    \b
    Examples:
      drift apply plan.json
      drift apply plan.json --yes

    Exit codes: 0 applied (or nothing to do); 2 not a plan, or something changed since it
    was made; 3 a store could not be written.
    """

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
