"""Seed an emulated AWS account (moto's server) with MRE's staging and production settings.

The values come from examples/mre/envs/*.env, spread over the stores a real deployment uses,
with drift that only a live scan can see: a secret in an SSM String, a secret in a task
definition's plaintext `environment`, a production task reading staging's parameter, a
reference to a parameter that does not exist, and a Lambda that disagrees with SSM.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import boto3

from drift import dialects

HERE = Path(__file__).resolve().parent
REGION = "ap-southeast-2"
SECURE = {"DATABASE_URL", "SESSION_SECRET", "SMTP_URL"}
#: Keys production keeps in Secrets Manager / the task definition rather than SSM.
IN_SECRETS_MANAGER = {"SESSION_SECRET"}
IN_TASK_ENVIRONMENT = {"NODE_ENV", "PORT", "HOST"}


def read_env(name: str) -> dict[str, str]:
    text = (HERE / "envs" / f"{name}.env").read_text(encoding="utf-8")
    return {key: line.value for key, line in dialects.read(text, "node", False, f"{name}.env").values.items()}


def client(service: str, endpoint: str) -> Any:
    factory: Any = boto3.client  # boto3-stubs types clients per literal service name
    return factory(service, region_name=REGION, endpoint_url=endpoint)


def put_parameters(ssm: Any, path: str, values: dict[str, str], plaintext: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    for key, value in values.items():
        if value == "":
            continue  # SSM cannot store an empty value
        kind = "SecureString" if key in SECURE and key not in plaintext else "String"
        ssm.put_parameter(Name=f"{path}{key}", Value=value, Type=kind, Overwrite=True)


def seed(endpoint: str) -> None:
    """Create the staging and production resources the demo config reads."""
    ssm = client("ssm", endpoint)
    staging = read_env("staging")
    put_parameters(ssm, "/mre/staging/", staging)

    production = read_env("production")
    parameters = {k: v for k, v in production.items() if k not in IN_SECRETS_MANAGER | IN_TASK_ENVIRONMENT}
    parameters["API_SIGNING_TOKEN"] = "prod-signing-token-5f8e2a9c"  # a secret in a plain String
    put_parameters(ssm, "/mre/production/", parameters, plaintext={"API_SIGNING_TOKEN"})

    secrets = client("secretsmanager", endpoint)
    secrets.create_secret(
        Name="mre/production/app",
        SecretString=json.dumps({k: production[k] for k in IN_SECRETS_MANAGER}),
    )

    ecs = client("ecs", endpoint)
    ecs.register_task_definition(
        family="mre-web",
        containerDefinitions=[
            {
                "name": "web",
                "image": "ghcr.io/example/mre:2026.11",
                "memory": 1024,
                "environment": [{"name": k, "value": production[k]} for k in sorted(IN_TASK_ENVIRONMENT)]
                + [{"name": "REDIS_PASSWORD", "value": "redis-plaintext-pw-0a9b8c"}],
                "secrets": [
                    {"name": "DATABASE_URL", "valueFrom": "/mre/production/DATABASE_URL"},
                    {"name": "OTEL_EXPORTER_OTLP_HEADERS", "valueFrom": "/mre/staging/OTEL_EXPORTER_OTLP_HEADERS"},
                    {"name": "SENTRY_AUTH_TOKEN", "valueFrom": "/mre/production/SENTRY_AUTH_TOKEN"},
                ],
            }
        ],
    )
    # staging runs the next release with twice the memory: `settings-drift`
    ecs.register_task_definition(
        family="mre-web-staging",
        containerDefinitions=[{"name": "web", "image": "ghcr.io/example/mre:2026.12", "memory": 2048}],
    )
    ssm.put_parameter(
        Name="/mre/staging/OTEL_EXPORTER_OTLP_HEADERS", Value="x-api-key=staging-otel", Type="String", Overwrite=True
    )

    iam = client("iam", endpoint)
    role = iam.create_role(RoleName="mre-api", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("index.py", "def handler(event, context):\n    return event\n")
    client("lambda", endpoint).create_function(
        FunctionName="mre-api",
        Runtime="python3.11",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": archive.getvalue()},
        Environment={"Variables": {"LOG_LEVEL": "debug", "NODE_ENV": "production"}},
    )
