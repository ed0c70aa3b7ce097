"""Errors that end a drift command, each knowing its exit code.

Findings are data and never raised; these exceptions are for the cases where drift cannot
produce a trustworthy result at all (a bad configuration, a bad schema, bad usage). Their
messages name the file, environment and source involved and never echo a value, because a
value may be a secret and error text ends up in CI logs.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_DRIFT = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3
#: drift itself failed in a way it did not anticipate (a bug): never 0 or 1, so no CI gate
#: mistakes a crash for success or for drift.
EXIT_INTERNAL = 4


class DriftError(Exception):
    """Base of drift's errors; the CLI prints the message (no traceback) and exits."""

    exit_code: int = EXIT_USAGE


class ConfigError(DriftError):
    """drift.toml, [tool.drift], a suppression or a command-line choice is wrong (exit 2)."""


class NothingToCheck(ConfigError):
    """No drift.toml and no example file: a usage error, unless the caller said
    `--if-present` (a pre-commit hook in a repository that has no schema yet)."""


class SchemaError(DriftError):
    """The schema (.env.example annotations or [keys] tables) cannot be built (exit 2)."""


class OutputError(DriftError):
    """A report, the baseline or the step summary cannot be written (exit 2): the message
    names the path and the system's reason."""


class HistoryError(DriftError):
    """The history store cannot be read or written (damaged, unreachable, of another
    shape): exit 2, naming the store and what to do."""


class HistoryUnavailable(HistoryError):
    """The history store is there but did not answer in time (throttling that outlasts the
    retries, a 5xx, an unreachable endpoint): like a source that cannot be read, exit 3."""

    exit_code = EXIT_UNAVAILABLE


class CollectorError(Exception):
    """A source could not be read; becomes a `source-unavailable` finding, never a crash.

    `reason` must be safe to print: it names the file, path or AWS error code, never a value.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
