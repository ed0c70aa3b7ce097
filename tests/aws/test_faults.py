"""Failure you can trust: retries recover, exhausted retries and denials become
`source-unavailable` (never an empty environment), and faults do not change the findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.aws_local import Fault, free_port
from drift import api
from drift.model import ScanResult
from drift.secrets import Fingerprinter
from tests.aws.conftest import Aws, write_project
from tests.conftest import run

AWS = 'aws = { region = "us-east-1", retry_mode = "standard", max_attempts = 4 }'
EXAMPLE = "A=1\nB=2\nAPI_TOKEN=\nLOG_LEVEL=info\n"


@pytest.fixture
def seeded(aws: Aws, tmp_path: Path) -> Path:
    aws.put_parameters({"/s/A": "1", "/s/API_TOKEN": "shared-token-0123456789"}, secure=("/s/API_TOKEN",))
    aws.put_secret("p/app", {"A": "1", "API_TOKEN": "shared-token-0123456789"})
    aws.register_task("web", {"environment": [{"name": "LOG_LEVEL", "value": "loud"}]})
    aws.create_function("api", {"B": "2"})
    write_project(
        tmp_path,
        EXAMPLE,
        f'[environments.staging]\n{AWS}\nsources = [{{ type = "ssm", path = "/s/" }}]\n'
        f"[environments.production]\n{AWS}\nsources = ["
        '{ type = "secretsmanager", secret_id = "p/app" }, { type = "ecs", task_definition = "web" },'
        ' { type = "lambda", function = "api" }]\n',
    )
    return tmp_path


def scan(root: Path) -> ScanResult:
    return api.scan(api.load_project(root / "drift.toml", root), fingerprinter=Fingerprinter(b"k"))


def ids(result: ScanResult) -> list[str]:
    return [f.id for f in result.findings]


@pytest.mark.parametrize("action", ["throttle", "error500", "drop", "delay"])
@pytest.mark.parametrize("service", ["ssm", "secretsmanager", "ecs", "lambda"])
def test_retries_recover_with_the_same_findings(aws: Aws, seeded: Path, service: str, action: str) -> None:
    baseline = scan(seeded)
    assert "secret-reuse:*:API_TOKEN:staging+production" in ids(baseline)
    aws.proxy.plan.faults.append(Fault(service, action, times=2, delay=0.2))
    faulty = scan(seeded)
    assert ids(faulty) == ids(baseline)
    assert all(e.status == "ok" for e in faulty.environments)
    # the faults really happened (a slow answer is waited for, not retried)
    assert aws.proxy.plan.faults[0].times == (1 if action == "delay" else 0)


@pytest.mark.parametrize(
    ("service", "code", "exit_code"),
    [("ssm", "ThrottlingException", 3), ("lambda", "TooManyRequestsException", 1)],
)
def test_exhausted_retries_are_source_unavailable(
    aws: Aws, seeded: Path, service: str, code: str, exit_code: int
) -> None:
    aws.proxy.plan.faults.append(Fault(service, "throttle", times=100))
    result = scan(seeded)
    unavailable = [f for f in result.findings if f.rule == "source-unavailable"]
    assert len(unavailable) == 1 and code in unavailable[0].message
    failed_env = unavailable[0].env
    assert failed_env is not None
    assert not any(f.rule == "missing" and f.env == failed_env for f in result.findings)
    statuses = {e.env: e.status for e in result.environments}
    assert statuses[failed_env] in ("failed", "partial")
    # staging alone drifts (B and LOG_LEVEL missing): with it unread, only 3 is left
    assert result.exit_code == exit_code


def test_access_denied_exits_3_and_names_the_code(aws: Aws, seeded: Path) -> None:
    aws.proxy.plan.faults.append(Fault("ssm", "deny", times=100))
    result = run(["check", "--config", str(seeded / "drift.toml"), "--env", "staging"], expect=3)
    assert "AccessDeniedException" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_other_environments_are_still_reported(aws: Aws, seeded: Path) -> None:
    aws.proxy.plan.faults.append(Fault("secretsmanager", "deny", times=100))
    result = scan(seeded)
    assert ("source-unavailable", "production") in {(f.rule, f.env) for f in result.findings}
    assert next(e for e in result.environments if e.env == "staging").status == "ok"
    assert next(e for e in result.environments if e.env == "production").status == "partial"


def test_an_unreachable_endpoint_is_given_up(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    write_project(
        tmp_path,
        "A=1\n",
        f'[environments.p]\naws = {{ region = "us-east-1", endpoint_url = "{dead}", retry_mode = "standard" }}\n'
        'sources = [{ type = "ssm", path = "/p/" }]\n',
    )
    result = run(["check", "--config", str(tmp_path / "drift.toml")], expect=3)
    assert "endpoint unreachable" in result.stdout


def test_throttled_sts_and_s3_recover(aws: Aws, tmp_path: Path) -> None:
    aws.put_parameters({"/p/A": "1"})
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="cfg")
    s3.put_object(Bucket="cfg", Key="web.env", Body=b"B=2\n")
    aws.register_task("web", {"environmentFiles": [{"value": "arn:aws:s3:::cfg/web.env", "type": "s3"}]})
    write_project(
        tmp_path,
        "A=1\nB=2\n",
        '[environments.p]\naws = { region = "us-east-1", retry_mode = "standard",'
        ' role_arn = "arn:aws:iam::123456789012:role/drift-read" }\n'
        'sources = [{ type = "ssm", path = "/p/" }, { type = "ecs", task_definition = "web" }]\n',
    )
    aws.proxy.plan.faults += [Fault("sts", "throttle", times=2), Fault("s3", "throttle", times=2)]
    result = scan(tmp_path)
    assert [f.id for f in result.findings] == []
    assert [fault.times for fault in aws.proxy.plan.faults] == [0, 0]
