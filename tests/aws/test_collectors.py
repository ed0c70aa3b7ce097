"""The AWS collectors against moto's server over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drift import api
from drift.model import ScanResult
from drift.secrets import Fingerprinter
from tests.aws.conftest import Aws, write_project

AWS = 'aws = { region = "us-east-1", retry_mode = "standard" }'


def scan(root: Path, envs: tuple[str, ...] = ()) -> ScanResult:
    return api.scan(api.load_project(root / "drift.toml", root), envs, fingerprinter=Fingerprinter(b"k"))


def triples(result: ScanResult) -> set[tuple[str, str | None, str | None]]:
    return {(f.rule, f.env, f.key) for f in result.findings}


def test_ssm_reads_a_path_recursively_and_names_keys(aws: Aws, tmp_path: Path) -> None:
    aws.put_parameters(
        {
            "/mre/production/DATABASE_URL": "postgres://u:pw-0123456789abcdef@db/x",
            "/mre/production/LOG_LEVEL": "info",
            "/mre/production/mail/From": "a@b.co",
            "/mre/staging/LOG_LEVEL": "debug",
        },
        secure=("/mre/production/DATABASE_URL",),
    )
    write_project(
        tmp_path,
        "DATABASE_URL=\nLOG_LEVEL=info\nmail_From=\n",
        f'[environments.production]\n{AWS}\nsources = [{{ type = "ssm", path = "/mre/production" }}]\n',
    )
    result = scan(tmp_path)
    entries = result.environments[0].entries
    assert set(entries) == {"DATABASE_URL", "LOG_LEVEL", "mail_From"}
    db = entries["DATABASE_URL"]
    assert db.store_secret and not db.plaintext_store
    assert db.metadata["type"] == "SecureString" and db.metadata["version"] == 1
    assert db.metadata["last_changed"] and db.location and db.location.startswith("arn:aws:ssm:")
    assert triples(result) == set()
    assert result.environments[0].sources[0].status == "ok"


def test_ssm_costs_one_call_per_ten_parameters(aws: Aws, tmp_path: Path) -> None:
    aws.put_parameters({f"/big/KEY_{i:03d}": str(i) for i in range(100)})
    write_project(tmp_path, "", f'[environments.production]\n{AWS}\nsources = [{{ type = "ssm", path = "/big/" }}]\n')
    aws.proxy.reset()
    result = scan(tmp_path)
    assert len(result.environments[0].entries) == 100
    # ten per page; like AWS, moto may answer the last full page with a token to an empty one
    assert aws.proxy.calls("ssm", "GetParametersByPath") <= 11


def test_a_secret_in_an_ssm_string_is_secret_plaintext(aws: Aws, tmp_path: Path) -> None:
    aws.put_parameters({"/p/API_TOKEN": "tok-0123456789", "/p/SHORT_PASS": "x"}, secure=("/p/SHORT_PASS",))
    write_project(
        tmp_path,
        "API_TOKEN=\nSHORT_PASS=\n",
        f'[environments.p]\n{AWS}\nsources = [{{ type = "ssm", path = "/p/" }}]\n',
    )
    assert triples(scan(tmp_path)) == {("secret-plaintext", "p", "API_TOKEN")}


def test_an_empty_path_is_an_empty_source_not_a_clean_one(aws: Aws, tmp_path: Path) -> None:
    write_project(tmp_path, "A=1\n", f'[environments.p]\n{AWS}\nsources = [{{ type = "ssm", path = "/nothing/" }}]\n')
    result = scan(tmp_path)
    assert result.environments[0].sources[0].status == "empty"
    assert triples(result) == {("missing", "p", "A")}


def test_secrets_manager_json_secret(aws: Aws, tmp_path: Path) -> None:
    aws.put_secret("mre/production/app", {"S": "text", "N": 5, "B": True, "Z": None, "O": {"a": [1]}})
    write_project(
        tmp_path,
        "# @optional\nS=\n",
        f'[environments.p]\n{AWS}\nsources = [{{ type = "secretsmanager", secret_id = "mre/production/app" }}]\n',
    )
    entries = scan(tmp_path).environments[0].entries
    # one rule for JSON members everywhere (collectors/parsers.json_text): null holds no value
    assert {k: e.value for k, e in entries.items()} == {"S": "text", "N": "5", "B": "true", "Z": None, "O": '{"a":[1]}'}
    assert all(e.store_secret for e in entries.values())
    assert entries["S"].metadata["last_changed"]


def test_secrets_manager_plain_string_needs_a_key(aws: Aws, tmp_path: Path) -> None:
    aws.put_secret("mre/p/token", "plain-value")
    write_project(
        tmp_path,
        "TOKEN=\n",
        f'[environments.p]\n{AWS}\nsources = [{{ type = "secretsmanager", secret_id = "mre/p/token" }}]\n',
    )
    result = scan(tmp_path)
    assert result.environments[0].status == "failed"
    assert "not a JSON object" in result.findings[0].message
    source = '{ type = "secretsmanager", secret_id = "mre/p/token", key = "TOKEN" }'
    (tmp_path / "drift.toml").write_text(f"[environments.p]\n{AWS}\nsources = [{source}]\n")
    assert scan(tmp_path).environments[0].entries["TOKEN"].value == "plain-value"


def test_secrets_manager_prefix_uses_batch_reads(aws: Aws, tmp_path: Path) -> None:
    for i in range(25):
        aws.put_secret(f"mre/p/SECRET_{i:02d}", f"value-{i}")
    aws.put_secret("mre/p/app", {"JSON_KEY": "v"})
    aws.put_secret("other/x", "not mine")
    write_project(
        tmp_path, "", f'[environments.p]\n{AWS}\nsources = [{{ type = "secretsmanager", name_prefix = "mre/p/" }}]\n'
    )
    aws.proxy.reset()
    entries = scan(tmp_path).environments[0].entries
    assert len(entries) == 26 and entries["SECRET_07"].value == "value-7" and entries["JSON_KEY"].value == "v"
    assert aws.proxy.calls("secretsmanager", "BatchGetSecretValue") == 2
    assert aws.proxy.calls("secretsmanager", "GetSecretValue") == 0


def test_ecs_task_definition_environment_secrets_and_files(aws: Aws, tmp_path: Path) -> None:
    aws.put_parameters({"/mre/production/DB_PASSWORD": "pw-prod-0123456789"}, secure=("/mre/production/DB_PASSWORD",))
    aws.put_parameters(
        {"/mre/staging/SESSION_SECRET": "stage-secret-0123456789"}, secure=("/mre/staging/SESSION_SECRET",)
    )
    app = aws.put_secret("mre/production/app", {"STRIPE_KEY": "sk-prod-0123456789abc"})
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="mre-config")
    s3.put_object(Bucket="mre-config", Key="prod.env", Body=b"FROM_FILE=1\nLOG_LEVEL=debug\nBROKEN LINE=CANARY-lost\n")
    aws.register_task("mre-web", {"environment": [{"name": "LOG_LEVEL", "value": "old"}]})
    aws.register_task(
        "mre-web",
        {
            "environment": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "API_TOKEN", "value": "tok-plain-0123"}],
            "environmentFiles": [{"value": "arn:aws:s3:::mre-config/prod.env", "type": "s3"}],
            "secrets": [
                {
                    "name": "DB_PASSWORD",
                    "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/mre/production/DB_PASSWORD",
                },
                {"name": "STRIPE_KEY", "valueFrom": f"{app}:STRIPE_KEY::"},
                {"name": "SESSION_SECRET", "valueFrom": "/mre/staging/SESSION_SECRET"},
                {"name": "GONE_SECRET", "valueFrom": "/mre/production/GONE_SECRET"},
                {"name": "MISSING_JSON_KEY", "valueFrom": f"{app}:NOPE::"},
            ],
        },
    )
    write_project(
        tmp_path,
        "# @optional\nLOG_LEVEL=\n",
        f"[environments.staging]\n{AWS}\n"
        'sources = [{ type = "ssm", path = "/mre/staging/" }]\n'
        f"[environments.production]\n{AWS}\n"
        'sources = [{ type = "ecs", task_definition = "mre-web", container = "web" },'
        ' { type = "ssm", path = "/mre/production/", include = ["NOTHING"] }]\n',
    )
    result = scan(tmp_path, ("production",))
    entries = result.environments[0].entries
    assert entries["LOG_LEVEL"].value == "info"  # `environment` wins over environment files
    assert entries["LOG_LEVEL"].metadata["revision"] == 2
    assert entries["FROM_FILE"].value == "1"
    assert entries["DB_PASSWORD"].value == "pw-prod-0123456789" and entries["DB_PASSWORD"].store_secret
    assert entries["STRIPE_KEY"].value == "sk-prod-0123456789abc"
    assert entries["GONE_SECRET"].value is None
    found = triples(result)
    assert ("secret-plaintext", "production", "API_TOKEN") in found
    assert ("cross-env-reference", "production", "SESSION_SECRET") in found
    assert ("dangling-reference", "production", "GONE_SECRET") in found
    assert ("dangling-reference", "production", "MISSING_JSON_KEY") in found
    assert ("missing", "production", "GONE_SECRET") not in found
    # the environment file is read by the same dotenv reader as files: a bad line is reported
    assert ("malformed", "production", None) in found
    assert result.environments[0].status == "partial"
    malformed = next(f for f in result.findings if f.rule == "malformed")
    assert malformed.location == "s3://mre-config/prod.env:3" and "CANARY" not in malformed.message


def test_ecs_service_reads_the_primary_deployment(aws: Aws, tmp_path: Path) -> None:
    first = aws.register_task("mre-web", {"environment": [{"name": "RELEASE", "value": "1"}]})
    aws.register_task("mre-web", {"environment": [{"name": "RELEASE", "value": "2-not-deployed"}]})
    ecs = aws.client("ecs")
    ecs.create_cluster(clusterName="mre")
    ecs.create_service(cluster="mre", serviceName="web", taskDefinition=first, desiredCount=0)
    write_project(
        tmp_path,
        "RELEASE=1\n",
        f'[environments.p]\n{AWS}\nsources = [{{ type = "ecs", cluster = "mre", service = "web" }}]\n',
    )
    assert scan(tmp_path).environments[0].entries["RELEASE"].value == "1"


def test_lambda_environment(aws: Aws, tmp_path: Path) -> None:
    aws.create_function("mre-api", {"LOG_LEVEL": "info", "JWT_SECRET": "plain-jwt-secret"})
    write_project(
        tmp_path,
        "LOG_LEVEL=info\n",
        f'[environments.p]\n{AWS}\nsources = [{{ type = "lambda", function = "mre-api" }}]\n',
    )
    result = scan(tmp_path)
    assert {k: e.value for k, e in result.environments[0].entries.items()} == {
        "LOG_LEVEL": "info",
        "JWT_SECRET": "plain-jwt-secret",
    }
    assert ("secret-plaintext", "p", "JWT_SECRET") in triples(result)


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ('{ type = "secretsmanager", secret_id = "nope" }', "ResourceNotFoundException"),
        ('{ type = "ecs", task_definition = "nope", container = "web" }', "ClientException"),
        ('{ type = "ecs", cluster = "nope", service = "web" }', "ClusterNotFoundException"),
        ('{ type = "lambda", function = "nope" }', "ResourceNotFoundException"),
    ],
)
def test_what_does_not_exist_is_unavailable(aws: Aws, tmp_path: Path, source: str, code: str) -> None:
    write_project(tmp_path, "A=1\n", f"[environments.p]\n{AWS}\nsources = [{source}]\n")
    result = scan(tmp_path)
    assert triples(result) == {("source-unavailable", "p", None)}
    assert code in result.findings[0].message
    assert result.exit_code == 3


def test_source_conflict_between_stores(aws: Aws, tmp_path: Path) -> None:
    aws.put_parameters({"/p/LOG_LEVEL": "info"})
    aws.put_secret("p/app", {"LOG_LEVEL": "debug"})
    write_project(
        tmp_path,
        "LOG_LEVEL=info\n",
        f"[environments.p]\n{AWS}\n"
        'sources = [{ type = "ssm", path = "/p/" }, { type = "secretsmanager", secret_id = "p/app" }]\n',
    )
    result = scan(tmp_path)
    assert triples(result) == {("source-conflict", "p", "LOG_LEVEL")}
    assert result.environments[0].entries["LOG_LEVEL"].value == "debug"


def test_assumed_role(aws: Aws, tmp_path: Path) -> None:
    aws.put_parameters({"/p/A": "1"})
    write_project(
        tmp_path,
        "A=1\n",
        '[environments.p]\naws = { region = "us-east-1", retry_mode = "standard",'
        ' role_arn = "arn:aws:iam::123456789012:role/drift-read" }\n'
        'sources = [{ type = "ssm", path = "/p/" }]\n',
    )
    result = scan(tmp_path)
    assert triples(result) == set()
    assert aws.proxy.calls("sts", "AssumeRole") == 1


def test_json_report_of_an_aws_scan(aws: Aws, tmp_path: Path) -> None:
    from tests.conftest import run

    aws.put_parameters({"/p/A": "1"})
    write_project(tmp_path, "A=1\nB=2\n", f'[environments.p]\n{AWS}\nsources = [{{ type = "ssm", path = "/p/" }}]\n')
    result = run(["check", "--config", str(tmp_path / "drift.toml"), "--format", "json"], expect=1)
    document = json.loads(result.stdout)
    assert document["environments"][0]["sources"] == [
        {"type": "ssm", "name": "ssm:/p/", "status": "ok", "error": None, "keys": 1}
    ]
