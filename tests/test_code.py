"""The keys the code reads (tests/fixtures/code: TypeScript, TSX, JavaScript, Python, Ruby and Go with
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
    ("DATABASE_URL", "api/config.rb", 3, "direct"),
    ("SECRET_KEY_BASE", "api/config.rb", 4, "direct"),  # ENV.fetch without a default raises
    ("HTTP_TIMEOUT", "api/config.rb", 5, "default"),
    ("S3_REGION", "api/config.rb", 6, "default"),
    (None, "api/config.rb", 8, "dynamic"),
    ("PORT", "cmd/server/main.go", 10, "direct"),  # os imported as env
    ("API_TOKEN", "cmd/server/main.go", 11, "default"),
    (None, "cmd/server/main.go", 13, "dynamic"),
    ("BUILD_CHANNEL", "next.config.mjs", 5, "default"),  # Next.js `env` in next.config.*
    ("BUILD_CHANNEL", "next.config.mjs", 5, "default"),  # ... and the read that fills it
    ("RELEASE_NAME", "next.config.mjs", 6, "default"),
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
    assert ("used-missing", "MAIL_FROM_EMAIL") not in found  # read with `|| default`
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


CONFIG_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "code-config"


def test_settings_named_in_configuration_files(project: Project) -> None:
    shutil.copytree(CONFIG_FIXTURE, project.root, dirs_exist_ok=True)
    assert set(as_tuples(project.root)) == {
        ("AWS_REGION", ".github/workflows/deploy.yml", 4, "default"),  # env:
        ("DEPLOY_TOKEN", ".github/workflows/deploy.yml", 12, "direct"),  # ${{ secrets.X }}
        ("DEPLOY_TOKEN", ".github/workflows/deploy.yml", 12, "default"),
        ("APP_URL", ".github/workflows/deploy.yml", 13, "direct"),  # ${{ vars.X }}
        ("APP_URL", ".github/workflows/deploy.yml", 13, "default"),
        ("NEXT_PUBLIC_APP_NAME", "Dockerfile", 2, "default"),  # ARG with a default
        ("SENTRY_AUTH_TOKEN", "Dockerfile", 3, "default"),
        ("NODE_ENV", "Dockerfile", 4, "default"),  # ENV K=V K=V
        ("PORT", "Dockerfile", 4, "default"),
        ("NEXT_TELEMETRY_DISABLED", "Dockerfile", 5, "default"),  # ENV K V
        ("DATABASE_URL", "compose.yaml", 5, "default"),
        ("POSTGRES_PASSWORD", "compose.yaml", 5, "direct"),  # ${X:?error}
        ("LOG_LEVEL", "compose.yaml", 6, "default"),  # ${X:-default}
        ("SENTRY_DSN", "compose.yaml", 7, "direct"),  # a bare key: from the shell
        ("TAG", "compose.yaml", 8, "default"),
        ("POSTGRES_PASSWORD", "compose.yaml", 12, "direct"),
        ("POSTGRES_DB", "compose.yaml", 13, "default"),
        ("NODE_ENV", "deploy/web.service", 2, "default"),
        ("HOST", "deploy/web.service", 2, "default"),
        ("REDIS_URL", "k8s/deployment.yaml", 11, "default"),
        ("FEATURE_FLAGS", "k8s/deployment.yaml", 13, "default"),
        ("PORT", "package.json", 4, "default"),  # ${PORT:-3001}; $npm_package_version and $HOME are the shell's
        ("DATABASE_URL", "package.json", 6, "direct"),
    }


def test_changed_since_limits_code_findings_to_added_reads(tree: Project) -> None:
    tree.write("production.env", "APP_URL=https://acme.io\n")
    production = '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" }]\n'
    tree.write("drift.toml", '[code]\npaths = ["src"]\n' + production)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=tree.root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tree.root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=tree.root, check=True)
    page = tree.root / "src" / "app" / "page.tsx"
    page.write_text(
        page.read_text().replace("export default", "const added = process.env.ADDED_IN_THIS_PR;\nexport default")
    )
    tree.write("src/lib/new.ts", "export const n = process.env.BRAND_NEW_KEY;\n")

    def code_findings(*args: str) -> set[tuple[str, str]]:
        document = json.loads(run(["check", "--format", "json", "--fail-on", "none", *args], expect=0).stdout)
        return {(f["rule"], f["key"]) for f in document["findings"] if f["rule"] in ("used-undeclared", "used-missing")}

    everything = code_findings()
    assert ("used-undeclared", "FEATURE_BETA_DASHBOARD") in everything
    assert code_findings("--changed-since", "HEAD") == {
        ("used-undeclared", "ADDED_IN_THIS_PR"),
        ("used-missing", "ADDED_IN_THIS_PR"),
        ("used-undeclared", "BRAND_NEW_KEY"),
        ("used-missing", "BRAND_NEW_KEY"),
    }
    assert "git does not know that ref" in run(["check", "--changed-since", "no-such-ref"], expect=2).stderr


def test_unchanged_files_come_from_the_content_hash_cache(tree: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tree.root / ".drift" / "code-cache.json"
    first = as_cached(tree.root, cache)
    from drift.code import javascript

    def must_not_parse(text: str, path: str) -> list[object]:
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(javascript, "reads", must_not_parse)
    assert as_cached(tree.root, cache) == first  # nothing parsed: every file hashed the same
    env = tree.root / "src" / "lib" / "env.ts"
    env.write_text(env.read_text() + "export const more = process.env.MORE;\n")
    with pytest.raises(AssertionError, match=r"src/lib/env\.ts was parsed again"):
        as_cached(tree.root, cache)  # a changed file is parsed again
    cache.write_text("{damaged")
    monkeypatch.undo()
    assert ("MORE", "src/lib/env.ts", 11, "direct") in as_cached(tree.root, cache)  # a damaged cache is rebuilt


def as_cached(root: Path, cache: Path) -> list[tuple[str | None, str, int, str]]:
    return [(r.key, r.path, r.line, r.kind) for r in scan(root, ["."], cache=cache)]
