"""`drift plan` and `drift apply` against moto's server through the fault proxy: a plan for
three environments (SSM, Secrets Manager, a dotenv file), applied under throttling; a change
between plan and apply refused; a denied write, its report and its resumption; applying
twice; canary secrets given with --value-from-env nowhere but in the store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from devtools.aws_local import Fault
from tests.aws.conftest import REGION, Aws, write_project
from tests.conftest import run

AWS = f'aws = {{ region = "{REGION}", retry_mode = "standard", max_attempts = 4 }}'
EXAMPLE = """\
# @type enum(debug,info,warn) @default info
LOG_LEVEL=info
# @same @not-secret
APP_NAME=mre
SESSION_SECRET=
DATABASE_URL=postgres://app:change-me@localhost/app
SMTP_HOST=
"""
CONFIG = f"""\
[drift]
history = ".drift/history.sqlite"

[environments.staging]
{AWS}
sources = [{{ type = "ssm", path = "/mre/staging/" }}]

[environments.production]
{AWS}
sources = [
  {{ type = "secretsmanager", secret_id = "mre/production/app" }},
  {{ type = "ssm", path = "/mre/production/" }},
]

[environments.dev]
sources = [{{ type = "dotenv", path = "dev.env" }}]

[keys.SMTP_HOST]
deprecated = "use SMTP_URL"
[keys.LOG_LEVEL.env.production]
equals = "warn"
[keys.API_KEY]
secret = true
generate = true
min_length = 40
"""
CANARY = "CANARY-session-from-env-7Hq2mZ9xW4pLk8Rt"


@pytest.fixture
def deployed(aws: Aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    aws.put_parameters(
        {
            "/mre/staging/APP_NAME": "mre",
            "/mre/staging/LOG_LEVEL": "debug",
            "/mre/staging/SMTP_HOST": "smtp.acme.io",
            "/mre/staging/SESSION_SECRET": "staging-session-secret-0123456789",
            "/mre/staging/DATABASE_URL": "postgres://app:s@db.staging/app",
            "/mre/staging/API_KEY": "staging-api-key-0123456789abcdefghijklmn",
            "/mre/production/APP_NAME": "mre-old",
            "/mre/production/LOG_LEVEL": "info",
        },
        secure=("/mre/staging/SESSION_SECRET", "/mre/staging/API_KEY"),
    )
    aws.put_secret("mre/production/app", {"DATABASE_URL": "postgres://app:p@db.prod/app"})
    write_project(tmp_path, EXAMPLE, CONFIG)
    (tmp_path / "dev.env").write_text("APP_NAME=mre\nSESSION_SECRET=dev-only\nDATABASE_URL=postgres://localhost/app\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SESSION_VALUE", CANARY)
    return tmp_path


def make_plan(*extra: str) -> dict[str, object]:
    args = [
        "plan",
        "--env",
        "staging",
        "--env",
        "production",
        "--env",
        "dev",
        "--from",
        "staging",
        "--out",
        "plan.json",
    ]
    shown = run([*args, *extra], expect=1).stdout.splitlines()
    assert shown[-1].startswith("wrote the plan to plan.json") and not any("\\n" in line for line in shown)
    data: dict[str, object] = json.loads(Path("plan.json").read_text())
    return data


def changes(plan: dict[str, object]) -> set[tuple[str, str, str]]:
    return {(i["env"], i["key"], i["action"]) for i in plan["items"]}  # type: ignore[attr-defined]


def test_a_plan_for_three_environments(deployed: Path) -> None:
    plan = make_plan()
    assert changes(plan) == {  # staging is the reference: read, never planned (issue #19)
        ("production", "APP_NAME", "set"),  # parity same: staging's value
        ("production", "LOG_LEVEL", "set"),  # its equals
        ("dev", "LOG_LEVEL", "set"),  # its default
    }
    needs = {(n["env"], n["key"]): n["command"] for n in plan["needs_value"]}  # type: ignore[attr-defined]
    assert (
        needs[("production", "SESSION_SECRET")]
        == "drift plan --env production --value-from-env SESSION_SECRET=VARIABLE"
    )
    items = {(i["env"], i["key"]): i for i in plan["items"]}  # type: ignore[attr-defined]
    assert items[("production", "APP_NAME")]["value"] == "mre" and items[("production", "APP_NAME")]["version"] == "1"
    assert items[("dev", "LOG_LEVEL")]["target"] == "dev.env"


def test_apply_under_throttling_and_applying_twice(aws: Aws, deployed: Path) -> None:
    make_plan("--value-from-env", "SESSION_SECRET=SESSION_VALUE", "--generate", "API_KEY")
    plan_text = Path("plan.json").read_text()
    assert "CANARY" not in plan_text and "env:SESSION_VALUE" in plan_text
    aws.proxy.plan.faults.append(Fault("ssm", "throttle", times=2, operation="PutParameter"))
    out = run(["apply", "plan.json", "--yes"], expect=0).stdout
    assert "applied: production SESSION_SECRET (secretsmanager mre/production/app#SESSION_SECRET)" in out
    assert aws.proxy.plan.faults[0].times == 0  # the throttling happened and was retried
    secret = json.loads(aws.client("secretsmanager").get_secret_value(SecretId="mre/production/app")["SecretString"])
    generated = secret.pop("API_KEY")  # a secret goes to the environment's secret store, member by member
    assert secret == {"DATABASE_URL": "postgres://app:p@db.prod/app", "SESSION_SECRET": CANARY}
    assert len(generated) >= 40 and generated.isalnum()
    ssm = aws.client("ssm")
    assert ssm.get_parameter(Name="/mre/production/LOG_LEVEL")["Parameter"]["Value"] == "warn"
    assert "LOG_LEVEL=info\n" in Path("dev.env").read_text()
    # the reference environment of `--from` is read, never written (issue #19)
    assert ssm.get_parameter(Name="/mre/staging/SMTP_HOST")["Parameter"]["Value"] == "smtp.acme.io"
    again = run(["apply", "plan.json", "--yes"], expect=0).stdout  # the same plan twice changes nothing
    assert "\napplied:" not in "\n" + again and again.count("already applied:") == len(json.loads(plan_text)["items"])
    with sqlite3.connect(".drift/history.sqlite") as db:
        (record,) = [json.loads(row[0]) for row in db.execute("SELECT data FROM audit")]
    assert {c["key"] for c in record["changes"]} >= {"SESSION_SECRET", "API_KEY", "APP_NAME"} and record["who"]
    everything = plan_text + out + again + json.dumps(record) + run(["check", "--format", "json"], expect=1).stdout
    assert "CANARY" not in everything


def test_a_change_since_the_plan_is_refused(aws: Aws, deployed: Path) -> None:
    make_plan()
    aws.put_parameters({"/mre/production/LOG_LEVEL": "debug"})  # someone else, meanwhile
    result = run(["apply", "plan.json", "--yes"], expect=2)
    assert "changed since the plan was made: production LOG_LEVEL" in result.stderr
    assert aws.client("ssm").get_parameter(Name="/mre/production/APP_NAME")["Parameter"]["Value"] == "mre-old"


def test_a_denied_write_is_reported_and_resumed(aws: Aws, deployed: Path) -> None:
    make_plan()
    aws.proxy.plan.faults.append(Fault("ssm", "deny", times=1, operation="PutParameter", skip=1))
    result = run(["apply", "plan.json", "--yes"], expect=3)
    assert "AccessDenied" in result.stderr and "`drift apply plan.json` resumes" in result.stderr
    remaining = json.loads(Path("plan.json").read_text())["items"]
    assert 0 < len(remaining) < 4
    done = run(["apply", "plan.json", "--yes"], expect=0).stdout
    assert done.count("applied: ") == len(remaining)
    assert aws.client("ssm").get_parameter(Name="/mre/production/LOG_LEVEL")["Parameter"]["Value"] == "warn"


def test_apply_asks_on_a_terminal_and_refuses_without(deployed: Path) -> None:
    make_plan()
    assert "pass --yes" in run(["apply", "plan.json"], expect=2).stderr
    Path("plan.json").write_text("{not a plan")
    assert "not a plan written by drift" in run(["apply", "plan.json", "--yes"], expect=2).stderr


def test_each_finding_says_the_command_that_fixes_it_in_every_format(aws: Aws, deployed: Path) -> None:
    from drift.report.formats import FORMATS, Format

    aws.put_parameters({"/mre/production/SESSION_SECRET": "CANARY-plaintext-secret-0123456789"})  # a String
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    commands = {(f["rule"], f["env"], f["key"]): f["command"] for f in document["findings"]}
    region = f"--region {REGION}"
    assert commands[("invalid", "production", "LOG_LEVEL")] == (
        f"aws ssm put-parameter --name /mre/production/LOG_LEVEL --type String --overwrite {region} --value warn"
    )
    assert (
        commands[("deprecated", "staging", "SMTP_HOST")]
        == f"aws ssm delete-parameter --name /mre/staging/SMTP_HOST {region}"
    )
    assert commands[("secret-plaintext", "production", "SESSION_SECRET")].startswith(
        "aws ssm put-parameter --name /mre/production/SESSION_SECRET --type SecureString --overwrite"
    )
    for fmt in Format:
        text = run(["check", "--format", fmt.value], expect=1).stdout
        assert "delete-parameter --name /mre/staging/SMTP_HOST" in text or not FORMATS[fmt].per_finding, fmt
        assert "CANARY" not in text
