"""`drift render`: a JSON report rendered in another format."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from drift.cli import format_option, handle_errors, main, output_option, sarif_suppressed_option
from drift.console import deliver, use_color
from drift.errors import ConfigError
from drift.platform import jsontext
from drift.platform.files import CONFIG_MAX_BYTES, UnreadableFile, read_text
from drift.report.document import load_document
from drift.report.emit import emit
from drift.report.formats import Format
from drift.report.output import parse_output


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
@sarif_suppressed_option
@handle_errors
def render(source: Path, fmt: str, outputs: Sequence[str], sarif_suppressed: bool) -> None:
    """Re-render any format from a saved JSON report alone.

    \b
    Examples:
      drift render --input drift.json --format sarif > drift.sarif
    """

    targets = [parse_output(spec, Path("reports")) for spec in outputs]
    try:
        data = jsontext.loads(read_text(source, CONFIG_MAX_BYTES))
    except UnreadableFile as exc:
        raise ConfigError(f"{source}: cannot read the report: {exc}") from None
    except jsontext.TooDeep:
        raise ConfigError(f"{source}: JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}: not JSON (line {exc.lineno})") from None
    document = load_document(data, str(source))
    deliver(emit(document, Format(fmt), targets, use_color(), sarif_suppressed), color=use_color())
