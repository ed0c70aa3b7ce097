"""moto's server (one per session, state reset per test) and the fault proxy in front of it."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.retries import standard

from devtools.aws_local import FaultProxy, MotoServer

REGION = "us-east-1"


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = MotoServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def proxy(moto_server: MotoServer) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(moto_server.url)
    yield fault_proxy
    fault_proxy.stop()


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries happen, but without waiting: speed is not what these tests measure."""
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0)


@dataclass
class Aws:
    """Seeding helpers against the moto server (boto3 straight at it, not through the proxy)."""

    endpoint: str
    proxy: FaultProxy

    def client(self, service: str) -> Any:
        factory: Any = boto3.client  # boto3-stubs types clients per literal service name
        return factory(service, region_name=REGION, endpoint_url=self.endpoint)

    def put_parameters(self, values: dict[str, str], secure: tuple[str, ...] = ()) -> None:
        ssm = self.client("ssm")
        for name, value in values.items():
            kind = "SecureString" if name in secure else "String"
            ssm.put_parameter(Name=name, Value=value, Type=kind, Overwrite=True)

    def put_secret(self, name: str, value: str | dict[str, Any]) -> str:
        text = value if isinstance(value, str) else json.dumps(value)
        return str(self.client("secretsmanager").create_secret(Name=name, SecretString=text)["ARN"])

    def register_task(self, family: str, container: dict[str, Any]) -> str:
        answer = self.client("ecs").register_task_definition(
            family=family, containerDefinitions=[{"name": "web", "image": "mre:latest", "memory": 512, **container}]
        )
        return str(answer["taskDefinition"]["taskDefinitionArn"])

    def create_function(self, name: str, variables: dict[str, str]) -> None:
        iam = self.client("iam")
        try:
            role = iam.get_role(RoleName="lambda-role")["Role"]["Arn"]
        except iam.exceptions.NoSuchEntityException:
            role = iam.create_role(RoleName="lambda-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("index.py", "def handler(event, context):\n    return event\n")
        self.client("lambda").create_function(
            FunctionName=name,
            Runtime="python3.11",
            Role=role,
            Handler="index.handler",
            Code={"ZipFile": archive.getvalue()},
            Environment={"Variables": variables},
        )


@pytest.fixture
def aws(moto_server: MotoServer, proxy: FaultProxy, monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    """A clean emulated account; drift reaches it through the proxy via AWS_ENDPOINT_URL."""
    moto_server.reset()
    proxy.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
    yield Aws(moto_server.url, proxy)
    proxy.reset()


def write_project(root: Path, example: str, environments: str) -> Path:
    """.env.example and drift.toml; AWS environments default to the standard retry mode."""
    (root / ".env.example").write_text(example, encoding="utf-8")
    config = root / "drift.toml"
    config.write_text(environments, encoding="utf-8")
    return config
