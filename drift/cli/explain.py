"""`drift explain`: what a rule (or a source's options) means."""

from __future__ import annotations

import click

from drift.cli import (
    handle_errors,
    main,
)
from drift.engine import catalog
from drift.errors import ConfigError
from drift.platform.suggest import did_you_mean
from drift.report import inert


@main.command()
@click.argument("rule", required=False)
@click.option(
    "--markdown",
    is_flag=True,
    help="Every rule (or source) as the README's Markdown table; with RULE, its docs/rules.md section.",
)
@click.option("--sources", is_flag=True, help="Every source type and its options, instead of the rules.")
@click.option("--formats", is_flag=True, help="Every output format, instead of the rules.")
@handle_errors
def explain(rule: str | None, markdown: bool, sources: bool, formats: bool) -> None:
    """Explain RULE (or list every rule, or with --sources every source type's options):
    what it checks and how to fix it.

    \b
    Examples:
      drift explain
      drift explain secret-reuse
      drift explain --sources
    """
    if formats or sources:
        if formats:
            from drift.report.formats import markdown_table as table_of
        else:
            from drift.collectors.registry import options_table as table_of
        table = table_of()
        click.echo(table if markdown else inert.lines(table.replace("`", "")), nl=False)
        return
    if markdown and rule is None:
        click.echo(catalog.markdown_table(), nl=False)
        return
    if rule is None:
        for info in catalog.RULES.values():
            click.echo(f"{info.slug:<20} {info.severity.label:<8} {info.title}")
        return
    if rule not in catalog.RULES:
        raise ConfigError(f"unknown rule '{rule}'{did_you_mean(rule, catalog.RULES)}; `drift explain` lists them")
    if markdown:
        click.echo(catalog.rule_markdown(rule), nl=False)
        return
    info = catalog.RULES[rule]
    click.echo(f"{info.slug} ({info.severity.label} by default): {info.title}\n")
    click.echo(click.wrap_text(info.explanation, 88) + "\n")
    click.echo(click.wrap_text(f"Fix: {info.fix}", 88))
    if info.example is not None:
        click.echo("\n" + catalog.example_text(info.example), nl=False)
