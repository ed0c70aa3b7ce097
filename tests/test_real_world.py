"""drift on projects it was not tuned for: real-world-shaped example files (see
tests/fixtures/projects/README.md) with planted drift. Every planted problem is found at the
severity its certainty deserves, nothing else is, an untouched checkout passes the
pre-commit check, and no canary reaches any output."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from drift import api
from drift.secrets import Fingerprinter
from tests.conftest import run

PROJECTS = Path(__file__).parent / "fixtures" / "projects"

Expected = set[tuple[str, str | None, str | None, str, str]]

EXPECTED: dict[str, Expected] = {
    "scheduler": {
        ("secret-reuse", None, "CALENDSO_ENCRYPTION_KEY", "error", "declared"),
        ("secret-public", None, "NEXT_PUBLIC_ZENDESK_KEY", "warning", "inferred"),
        ("secret-public", None, "NEXT_PUBLIC_HELPSCOUT_KEY", "warning", "inferred"),
        ("invalid", "production", "DISABLE_SIGNUP", "warning", "inferred"),
        ("missing", "production", "NEXTAUTH_SECRET", "warning", "inferred"),
        ("undeclared", "production", "NEXTAUTH_SECERT", "warning", "declared"),
        ("undeclared", "production", "WEBHOOK_VERIFIER", "warning", "declared"),
        *{
            ("missing", env, key, "warning", "inferred")
            for env in ("development", "staging", "production")
            for key in ("CALCOM_LICENSE_KEY", "SENDGRID_API_KEY")
        },
        # TWILIO_TOKEN and the STRIPE_ keys sit under the example's own "(optional)": never missing
    },
    "backend": {
        ("secret-reuse", None, "JWT_SECRET", "error", "declared"),
        ("secret-reuse", None, "ANON_KEY", "error", "declared"),
        ("secret-reuse", None, "SERVICE_ROLE_KEY", "error", "declared"),
        ("placeholder", "production", "DASHBOARD_PASSWORD", "error", "declared"),
        ("placeholder", "production", "PROXY_DOMAIN", "error", "declared"),
        ("invalid", "production", "KONG_HTTP_PORT", "warning", "inferred"),
    },
    # issue #19: a Laravel shop (php), a Rails forum (ruby), a Go service (go), a Django API
    # that Docker Compose configures (compose, ahead of its front-end package.json)
    "shop": {
        ("secret-reuse", None, "MAIL_PASSWORD", "error", "declared"),
        ("placeholder", "production", "MAIL_FROM_ADDRESS", "error", "declared"),
        ("local-value", "production", "DB_HOST", "warning", "inferred"),
    },
    "forum": {
        ("malformed", "production", None, "error", "declared"),  # a command the gem would run
        ("local-value", "production", "REDIS_URL", "warning", "inferred"),
        ("missing", "production", "SECRET_KEY_BASE", "warning", "inferred"),
        ("invalid", "production", "SIDEKIQ_CONCURRENCY", "warning", "inferred"),
    },
    "ledger": {
        ("secret-reuse", None, "JWT_SIGNING_KEY", "error", "declared"),
        ("invalid", "production", "ENABLE_AUDIT_LOG", "warning", "inferred"),
    },
    "api": {
        ("invalid", "production", "DJANGO_DEBUG", "error", "declared"),
        ("placeholder", "production", "DJANGO_SECRET_KEY", "error", "declared"),
    },
    "social": {
        ("secret-reuse", None, "SECRET_KEY_BASE", "error", "declared"),
        ("placeholder", "production", "LOCAL_DOMAIN", "error", "declared"),
        ("invalid", "staging", "SESSION_RETENTION_PERIOD", "warning", "inferred"),
        ("undeclared", "production", "BUILD_LABEL", "warning", "declared"),
    },
}


def findings(name: str) -> Expected:
    root = PROJECTS / name
    result = api.scan(api.load_project(root / "drift.toml", root), fingerprinter=Fingerprinter(b"k"))
    return {(f.rule, f.env, f.key, f.severity.label, f.basis) for f in result.findings}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_planted_drift_is_found_at_the_right_certainty_and_nothing_else(name: str) -> None:
    assert findings(name) == EXPECTED[name]


def test_the_dialect_is_detected_from_the_project() -> None:
    detected = {name: api.load_project(PROJECTS / name / "drift.toml", PROJECTS / name).dialect for name in EXPECTED}
    assert str(detected["scheduler"]) == "node (set in drift.toml)"
    assert str(detected["backend"]) == "compose (detected from compose.yaml, which reads env files)"
    assert str(detected["social"]).startswith("compose (detected from docker-compose.yml")
    assert str(detected["shop"]) == "php (detected from composer.json)"
    assert str(detected["forum"]) == "ruby (detected from Gemfile)"
    assert str(detected["ledger"]) == "go (detected from go.mod)"
    assert str(detected["api"]) == "compose (detected from compose.yaml, which reads env files)"


@pytest.mark.parametrize("name", [*sorted(EXPECTED), "mre"])
def test_an_untouched_checkout_passes_the_pre_commit_check(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = PROJECTS / name if name != "mre" else Path(__file__).parent.parent / "examples" / "mre"
    shutil.copy(source / ".env.example", tmp_path / ".env.example")
    shutil.copy(source / ".env.example", tmp_path / ".env")
    markers = ("package.json", "compose.yaml", "docker-compose.yml", "composer.json", "Gemfile", "go.mod")
    for marker in (*markers, "requirements.txt"):  # how the dialect is detected
        if (source / marker).exists():
            shutil.copy(source / marker, tmp_path / marker)
    if name == "mre":
        (tmp_path / "package.json").write_text('{"name": "my-race-engineer"}')
    monkeypatch.chdir(tmp_path)
    document = json.loads(run(["check", "--format", "json"], expect=0).stdout)
    assert [f for f in document["findings"] if f["rule"] == "invalid" or f["severity"] == "error"] == []


def test_the_commented_out_key_with_a_trailing_comment_is_a_known_optional_key() -> None:
    schema = api.load_project_schema(api.load_project(PROJECTS / "social" / "drift.toml", PROJECTS / "social"))
    assert schema.specs["SMTP_DOMAIN"].origin == "commented"
    assert not schema.specs["SMTP_DOMAIN"].is_required("production")
    assert schema.specs["LOCAL_DOMAIN"].description == "This identifies your server and cannot be changed safely later"


def test_banners_are_not_descriptions_and_see_colon_is_documentation() -> None:
    schema = api.load_project_schema(api.load_project(PROJECTS / "scheduler" / "drift.toml", PROJECTS / "scheduler"))
    assert schema.specs["NEXT_PUBLIC_LICENSE_CONSENT"].description == "Set this value to 'agree' to accept our license:"
    assert schema.specs["DATABASE_URL"].description == ""
    secret = schema.specs["NEXTAUTH_SECRET"]
    assert secret.notes == ("@see:",) and "openssl rand" in secret.description
    assert schema.specs["EMAIL_SERVER_PASSWORD"].origin == "commented"


# Canaries sit under names no word list holds (WEBHOOK_VERIFIER, BUILD_LABEL, GREETING_TEXT),
# under misspelled names (NEXTAUTH_SECERT) and in URLs; every output path is checked.
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_canary_reaches_any_output(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / name
    shutil.copytree(PROJECTS / name, root)
    monkeypatch.chdir(root)
    outputs = []
    for fmt in ("terminal", "json", "html", "markdown", "sarif", "junit"):
        outputs.append(run(["check", "--format", fmt], expect=1).output)
    outputs.append(run(["scan"], expect=1).output)
    outputs.append(run(["report", "--format", "json"], expect=0).output)
    outputs.append(run(["schema", "show", "--format", "json"], expect=0).output)
    outputs.append(run(["schema", "show"], expect=0).output)
    files = sorted((root / "envs").glob("*.env"))
    outputs.append(run(["diff", *map(str, files)], expect=1).output)
    outputs.append(run(["diff", "--schema", ".env.example", *map(str, files)], expect=1).output)
    outputs.append(run(["baseline"], expect=0).output)
    for path in [*(root / "reports").iterdir(), root / "drift-baseline.toml"]:
        outputs.append(path.read_text(encoding="utf-8"))
    with sqlite3.connect(root / ".drift" / "history.sqlite") as db:
        for table in ("scans", "entries") if _tables(db) >= {"scans", "entries"} else sorted(_tables(db)):
            outputs.append(repr(db.execute(f"SELECT * FROM {table}").fetchall()))
    everything = "\n".join(outputs)
    assert "CANARY" not in everything
    assert "••••••" in everything


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
