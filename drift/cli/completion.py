"""`drift completion SHELL`: the script that completes drift's commands and options."""

from __future__ import annotations

import click

from drift.cli import handle_errors, main

SHELLS = ("bash", "zsh", "fish")


@main.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
@handle_errors
def completion(shell: str) -> None:
    """Print the completion script for SHELL.

    \b
    Examples:
      drift completion bash > ~/.local/share/bash-completion/completions/drift
      drift completion zsh > "${fpath[1]}/_drift"
      drift completion fish > ~/.config/fish/completions/drift.fish
    """
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None  # every choice is a shell click knows
    click.echo(cls(main, {}, "drift", "_DRIFT_COMPLETE").source())
