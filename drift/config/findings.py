"""The parts of drift.toml that concern findings rather than sources: `[[ignore]]` entries,
the baseline file that holds more of them, `[notify]` and `[[assert]]`. Strict like the rest of the
configuration: every problem is collected with the file and line it comes from."""

import re
from collections.abc import Collection, Mapping
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from drift.config.problems import Problems
from drift.errors import ConfigError
from drift.model import SEVERITY_LABELS, Severity, Suppression
from drift.platform import extras
from drift.platform.files import read_toml
from drift.platform.globs import is_valid_glob
from drift.platform.suggest import did_you_mean
from drift.settings import Assertion

_IGNORE_FIELDS = ("rule", "env", "key", "reason", "expires")
_ASSERT_FIELDS = ("name", "check", "when", "envs", "message", "severity")
_ASSERT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_NOTIFY_FIELDS = ("webhook_url", "sns_topic_arn", "urls", "on", "report_url")


class NotifyConfig(NamedTuple):
    """`[notify]`: where to say that a scan found new drift."""

    #: As written: `${VAR}` is expanded only when sending, so the URL (often holding a token)
    #: is never part of the loaded configuration or an error message.
    webhook_url: str | None = None
    sns_topic_arn: str | None = None
    #: Apprise URLs (Microsoft Teams, email, Discord, ntfy, PagerDuty, ...), as written:
    #: `${VAR}` is expanded only when sending, like `webhook_url`.
    urls: tuple[str, ...] = ()
    on: Severity = Severity.ERROR
    report_url: str | None = None


class FindingsReader:
    """Reads `[[ignore]]`, the baseline, `[notify]` and `[[assert]]` into `problems`."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def ignores(self, entries: object, shown: str, text: str, table_prefix: str) -> list[Suppression]:
        """`[[ignore]]` entries, strictly; line numbers found by counting the table headers."""
        if not isinstance(entries, list):
            self.problems.fail("[[ignore]]", "must be an array of tables ([[ignore]])")
            return []
        header = f"[[{table_prefix}ignore]]" if table_prefix else "[[ignore]]"
        lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(header)]
        found = []
        for index, entry in enumerate(entries):
            line = lines[index] if index < len(lines) else None
            where = f"{shown}:{line}" if line else f"{shown} [[ignore]] #{index + 1}"
            parsed = self.ignore(where, entry)
            if parsed is not None:
                found.append(parsed)
        return found

    def ignore(self, where: str, entry: object) -> Suppression | None:
        from drift.engine import catalog

        context = f"[[ignore]] at {where}"
        if not isinstance(entry, dict):
            self.problems.fail(context, "must be a table")
            return None
        self.problems.unknown(context, entry, _IGNORE_FIELDS)
        rule = entry.get("rule")
        reason = entry.get("reason")
        if not isinstance(rule, str) or rule not in catalog.RULES:
            self.problems.fail(context, f"rule must name a drift rule{did_you_mean(str(rule), catalog.RULES)}")
            return None
        if rule == "source-unavailable":
            self.problems.fail(
                context, "source-unavailable can never be suppressed: a source drift cannot read is not drift"
            )
            return None
        if not isinstance(reason, str) or not reason.strip():
            self.problems.fail(context, "reason is required: say why this is accepted")
            return None
        patterns = {}
        for name in ("env", "key"):
            value = entry.get(name)
            if value is not None and (not isinstance(value, str) or not is_valid_glob(value)):
                self.problems.fail(context, f"{name} must be a glob string")
                value = None
            patterns[name] = value
        expires = entry.get("expires")
        if isinstance(expires, str):
            try:
                expires = date.fromisoformat(expires)
            except ValueError:
                self.problems.fail(context, "expires must be a date (YYYY-MM-DD)")
                expires = None
        elif expires is not None and not isinstance(expires, date):
            self.problems.fail(context, "expires must be a date (YYYY-MM-DD)")
            expires = None
        return Suppression(rule, reason.strip(), patterns["env"], patterns["key"], expires, where)

    def baseline(self, path: Path) -> list[Suppression]:
        """The baseline file: `[[ignore]]` entries written by `drift baseline`."""
        shown = self.problems.display(path)
        try:
            text, data = read_toml(path, shown)
        except ConfigError as exc:
            self.problems.errors.append(str(exc))
            return []
        self.problems.unknown(f"{shown}: top level", data, ("ignore",))
        return self.ignores(data.get("ignore", []), shown, text, "")

    def notify(self, table: Mapping[str, Any]) -> NotifyConfig:
        self.problems.unknown("[notify]", table, _NOTIFY_FIELDS)
        for name in ("webhook_url", "sns_topic_arn", "report_url"):
            if name in table and not isinstance(table[name], str):
                self.problems.fail("[notify]", f"{name} must be a string")
        if "sns_topic_arn" in table and (lacking := extras.lacking("aws")) is not None:
            self.problems.fail("[notify]", f"sns_topic_arn {lacking}")
        on = Severity.ERROR
        if "on" in table:
            try:
                on = Severity.parse(str(table["on"]))
            except KeyError:
                self.problems.fail("[notify]", "on must be one of error, warning, info")
        urls = table.get("urls", [])
        if not isinstance(urls, list) or not all(isinstance(u, str) and "://" in u for u in urls):
            self.problems.fail("[notify]", "urls must be a list of Apprise URLs (scheme://...)")
            urls = []
        elif urls and (lacking := extras.lacking("notify")) is not None:
            self.problems.fail("[notify]", f"urls {lacking}")
        if not table.get("webhook_url") and not table.get("sns_topic_arn") and not urls:
            self.problems.fail("[notify]", "set webhook_url, sns_topic_arn or urls")
        return NotifyConfig(
            webhook_url=table.get("webhook_url"),
            sns_topic_arn=table.get("sns_topic_arn"),
            urls=tuple(urls),
            on=on,
            report_url=table.get("report_url"),
        )

    def assertions(
        self, tables: object, environments: Collection[str], text: str, table_prefix: str
    ) -> tuple[Assertion, ...]:
        """`[[assert]]` tables, strictly (their expressions compile once the schema is known);
        line numbers found by counting the table headers."""
        if not isinstance(tables, list):
            self.problems.fail("[[assert]]", "must be an array of tables ([[assert]])")
            return ()
        if tables and (lacking := extras.lacking("cel")) is not None:
            self.problems.fail("[[assert]]", f"evaluating assertions {lacking}")
        header = f"[[{table_prefix}assert]]"
        lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(header)]
        found: list[Assertion] = []
        for index, table in enumerate(tables):
            where = f"[[assert]] #{index + 1}"
            if not isinstance(table, dict):
                self.problems.fail(where, "must be a table")
                continue
            self.problems.unknown(where, table, _ASSERT_FIELDS)
            name, check = table.get("name"), table.get("check")
            if not isinstance(name, str) or not _ASSERT_NAME.fullmatch(name):
                self.problems.fail(where, "name must be letters, digits, '_', '.' and '-'")
                continue
            where = f"[[assert]] {name}"
            if any(a.name == name for a in found):
                self.problems.fail(where, "another assertion has this name")
            texts = {text_field: table.get(text_field) for text_field in ("check", "when", "message")}
            for text_field, value in texts.items():
                if value is not None and (not isinstance(value, str) or not value.strip()):
                    self.problems.fail(where, f"{text_field} must be a non-empty string")
            if not isinstance(check, str):
                self.problems.fail(where, "check is required: a CEL expression")
                continue
            envs = table.get("envs", [])
            if not isinstance(envs, list) or not all(isinstance(e, str) for e in envs):
                self.problems.fail(where, "envs must be a list of environment names")
                envs = []
            for env in envs:
                if env not in environments:
                    self.problems.fail(where, f"unknown environment '{env}' in envs{did_you_mean(env, environments)}")
            severity = table.get("severity", "error")
            if severity not in SEVERITY_LABELS:
                self.problems.fail(where, "severity must be one of error, warning, info")
                severity = "error"
            message = table.get("message")
            found.append(
                Assertion(
                    name=name,
                    check=check,
                    message=message if isinstance(message, str) else f"assertion {name} does not hold",
                    severity=Severity.parse(str(severity)),
                    when=texts["when"] if isinstance(texts["when"], str) else None,
                    envs=tuple(envs),
                    location=f"{self.problems.shown}:{lines[index]}" if index < len(lines) else self.problems.shown,
                )
            )
        return tuple(found)
