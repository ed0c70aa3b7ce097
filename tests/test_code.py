"""The keys the code reads (tests/fixtures/code: TypeScript, TSX, JavaScript and Python with
aliases, destructuring with renames and defaults, optional chaining, template strings,
comments and strings that look like reads, a shadowed `process`, vendored and generated
folders), `drift code`, and the code rules in a check."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from drift.code import scan
from tests.conftest import Project, run

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "code"

EXPECTED = [
    ("APP_URL", "src/lib/env.ts", 2, "direct"),
    ("PORT", "src/lib/env.ts", 3, "default"),
    ("DATABASE_URL", "src/lib/env.ts", 4, "direct"),
    ("LOG_LEVEL", "src/lib/env.ts", 4, "default"),
    ("REDIS_URL", "src/lib/env.ts", 4, "direct"),
    (None, "src/lib/env.ts", 9, "dynamic"),
    ("MAIL_FROM_EMAIL", "src/lib/mailer.js", 5, "default"),
    ("SMTP_URL", "src/lib/mailer.js", 5, "direct"),
    ("NEXT_PUBLIC_ANALYTICS_ID", "src/app/page.tsx", 4, "direct"),
    ("FEATURE_BETA_DASHBOARD", "src/app/page.tsx", 5, "direct"),
    ("NEXT_PUBLIC_APP_NAME", "src/app/page.tsx", 6, "direct"),
    ("WORKER_CONCURRENCY", "worker/settings.py", 12, "default"),
    ("WORKER_QUEUE_URL", "worker/settings.py", 13, "direct"),
    ("QUEUE_NAME", "worker/settings.py", 16, "direct"),
    ("WORKER_TIMEOUT", "worker/settings.py", 17, "default"),
]


@pytest.fixture
def tree(project: Project) -> Project:
    shutil.copytree(FIXTURE, project.root, dirs_exist_ok=True)
    return project


def as_tuples(root: Path) -> list[tuple[str | None, str, int, str]]:
    return sorted(((r.key, r.path, r.line, r.kind) for r in scan(root, ["."])), key=lambda t: (t[1], t[2], t[0] or ""))


def test_every_read_and_nothing_else(tree: Project) -> None:
    assert as_tuples(tree.root) == sorted(EXPECTED, key=lambda t: (t[1], t[2], t[0] or ""))


def test_git_ignore_is_honoured(tree: Project) -> None:
    (tree.root / ".gitignore").write_text("worker/\n")
    subprocess.run(["git", "init", "-q"], cwd=tree.root, check=True)
    found = {path for _, path, _, _ in as_tuples(tree.root)}
    assert "worker/settings.py" not in found and "src/lib/env.ts" in found


def test_drift_code_lists_the_reads(tree: Project) -> None:
    environments = '[environments.local]\nsources = [{ type = "process" }]\n'
    tree.write("drift.toml", '[code]\npaths = ["src", "worker"]\nexclude = ["worker/*"]\n' + environments)
    rows = json.loads(run(["code", "--format", "json"], expect=0).stdout)["reads"]
    assert {r["path"] for r in rows} == {"src/lib/env.ts", "src/lib/mailer.js", "src/app/page.tsx"}
    table = run(["code"], expect=0).stdout
    assert "(dynamic)" in table and table.rstrip().endswith("11 reads of 10 keys, 1 with a computed name")


def test_the_code_rules_in_a_check(tree: Project) -> None:
    tree.write("production.env", "APP_URL=https://acme.io\nDATABASE_URL=postgres://db/app\nNEXT_PUBLIC_APP_NAME=Acme\n")
    tree.write(
        "drift.toml",
        '[code]\npaths = ["."]\n[environments.production]\nsources = [{ type = "dotenv", path = "production.env" }]\n',
    )
    document = json.loads(run(["check", "--format", "json", "--fail-on", "none"], expect=0).stdout)
    found = {
        (f["rule"], f["key"]): f
        for f in document["findings"]
        if f["rule"] in ("used-undeclared", "used-missing", "declared-unused")
    }
    assert found[("used-undeclared", "FEATURE_BETA_DASHBOARD")]["location"] == "src/app/page.tsx:5"
    assert ("used-undeclared", "WORKER_CONCURRENCY") in found  # pydantic-settings fields count
    assert found[("used-missing", "SMTP_URL")]["message"].startswith(
        "SMTP_URL is read without a fallback at src/lib/mailer.js:5"
    )
    assert ("used-missing", "PORT") not in found  # it has a fallback
    assert ("used-missing", "LOG_LEVEL") not in found  # a destructuring default
    assert {k for r, k in found if r == "declared-unused"} == {"LEGACY_UPLOAD_BUCKET"}
    sarif = json.loads(run(["check", "--format", "sarif", "--fail-on", "none"], expect=0).stdout)
    located = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "used-undeclared"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in located} >= {"src/app/page.tsx"}


def test_code_section_is_validated(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", '[code]\npath = ["src"]\nlanguages = ["cobol"]\n')
    stderr = run(["check"], expect=2).stderr
    assert "unknown field 'path' (did you mean 'paths'?)" in stderr and "cobol not known" in stderr
