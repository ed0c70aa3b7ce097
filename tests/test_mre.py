"""The reference example finds exactly its planted drift, and nothing else."""

from __future__ import annotations

from pathlib import Path

from drift import api
from drift.secrets import Fingerprinter

ROOT = Path(__file__).resolve().parent.parent
MRE = ROOT / "examples" / "mre"

PLANTED = {
    ("used-undeclared", None, "FEATURE_LIVE_TIMING"),  # app/ reads a flag .env.example never declared
    ("used-missing", "production", "INGEST_RATE_LIMIT_MAX_REQUESTS"),  # read without a fallback, not set
    ("invalid", "compose", "NEXT_PUBLIC_ENV"),  # a staging value left in the Compose deployment
    ("parity", None, "MAIL_DEFAULT_LOCALE"),
    ("secret-reuse", None, "SESSION_SECRET"),
    ("invalid", "development", "SESSION_SECRET"),
    ("undeclared", "development", "DEBUG_SQL"),
    ("deprecated", "development", "MAIL_FROM"),
    ("invalid", "staging", "APP_URL"),
    ("invalid", "staging", "INGEST_RATE_LIMIT_WINDOW_MS"),
    ("malformed", "staging", None),
    ("invalid", "production", "COOKIE_SECURE_STRATEGY"),
    ("invalid", "production", "ENABLE_IMPORT_WIZARD"),
    ("empty", "production", "MAIL_FROM_NAME"),
    ("missing", "production", "OTEL_EXPORTER_OTLP_ENDPOINT"),
    ("placeholder", "production", "SMTP_URL"),
    ("secret-public", "production", "NEXT_PUBLIC_SENTRY_AUTH_TOKEN"),
    ("undeclared", "production", "NEXT_PUBLIC_SENTRY_AUTH_TOKEN"),
    ("duplicate", "production", "LOG_LEVEL"),
    ("deprecated", "production", "SMTP_HOST"),
    ("source-unavailable", "preview", None),
    ("default-applied", "development", "MAILER_DRIVER"),
    ("assertion", "production", None),
}
#: The two checks env-doctor makes across keys, as `[[assert]]` entries.
ASSERTIONS = {
    "assertion:production:*:allowed-origins-include-app-url",
    "assertion:production:*:ingest-rate-limit-pair",
}


def test_example_is_the_upstream_file_read_as_node_reads_it() -> None:
    text = (MRE / ".env.example").read_text(encoding="utf-8")
    assert text.startswith("# Runtime\nNODE_ENV=development\n")
    assert 'MAIL_FROM="My Race Engineer" <no-reply@example.com>\n' in text
    project = api.load_project(MRE / "drift.toml", MRE)
    assert project.dialect.name == "node"
    schema = api.load_project_schema(project)
    assert schema.malformed == ()
    assert schema.specs["MAIL_FROM"].example == '"My Race Engineer" <no-reply@example.com>'
    development = api.scan(project, ["development"], fingerprinter=Fingerprinter(b"k")).environments[0]
    assert development.entries["MAIL_FROM"].value == '"My Race Engineer (dev)" <no-reply@example.com>'


def test_mre_finds_its_planted_drift_and_nothing_else() -> None:
    project = api.load_project(MRE / "drift.toml", MRE)
    result = api.scan(project, fingerprinter=Fingerprinter(b"k"))
    assert {(f.rule, f.env, f.key) for f in result.findings} == PLANTED
    assert {f.id for f in result.findings if f.rule == "assertion"} == ASSERTIONS
    assert [e.status for e in result.environments] == ["ok", "partial", "ok", "ok", "failed"]
    assert result.exit_code == 1


def test_mre_schema_is_lint_clean() -> None:
    from drift.engine.lint import lint

    project = api.load_project(MRE / "drift.toml", MRE)
    assert lint(api.load_project_schema(project)) == []
