"""Canary secrets planted in every AWS store never appear in any output."""

from __future__ import annotations

from pathlib import Path

from tests.aws.conftest import Aws, write_project
from tests.conftest import run

CANARY = "CANARY-aws-7f3e"


def test_no_aws_secret_reaches_any_output(aws: Aws, tmp_path: Path) -> None:
    aws.put_parameters(
        {
            "/c/DB_PASSWORD": f"{CANARY}-ssm-secure",
            "/c/API_TOKEN": f"{CANARY}-ssm-string",
            "/c/STORE_ONLY": f"{CANARY}-store-only-long",
            "/c/SESSION_SECRET": f"{CANARY}-other",
        },
        secure=("/c/DB_PASSWORD", "/c/STORE_ONLY", "/c/SESSION_SECRET"),
    )
    secret = aws.put_secret("c/app", {"SESSION_SECRET": f"{CANARY}-sm", "SMTP_URL": f"smtp://u:{CANARY}-pw@h:25"})
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="canary-config")
    s3.put_object(Bucket="canary-config", Key="web.env", Body=f"FILE_SECRET={CANARY}-s3\n".encode())
    aws.register_task(
        "web",
        {
            "environment": [{"name": "ECS_TOKEN", "value": f"{CANARY}-ecs-env"}],
            "environmentFiles": [{"value": "arn:aws:s3:::canary-config/web.env", "type": "s3"}],
            "secrets": [{"name": "REF_SECRET", "valueFrom": f"{secret}:SESSION_SECRET::"}],
        },
    )
    aws.create_function("fn", {"LAMBDA_SECRET": f"{CANARY}-lambda", "NEXT_PUBLIC_API_SECRET": f"{CANARY}-public"})
    write_project(
        tmp_path,
        "# @min-length 200\nDB_PASSWORD=\n# @type int\nSTORE_ONLY=\n# @same\nSESSION_SECRET=\n",
        '[environments.staging]\naws = { region = "us-east-1", retry_mode = "standard" }\n'
        'sources = [{ type = "ssm", path = "/c/" }, { type = "lambda", function = "fn" }]\n'
        '[environments.production]\naws = { region = "us-east-1", retry_mode = "standard" }\n'
        'sources = [{ type = "secretsmanager", secret_id = "c/app" }, { type = "ecs", task_definition = "web" }]\n',
    )
    config = str(tmp_path / "drift.toml")
    outputs = [run(["check", "--config", config, "--format", fmt], expect=1) for fmt in ("terminal", "json")]
    text = "".join(r.stdout + r.stderr for r in outputs)
    for rule in ("secret-plaintext", "invalid", "parity", "undeclared"):
        assert rule in text
    assert CANARY not in text
