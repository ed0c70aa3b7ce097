"""`settings-drift` on moto's server (ECS task definitions, Lambda functions) and on
Kubernetes manifests: each difference by its path with both values, the newer image tag
named, `[settings] allow` and `environments` honoured."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.aws.conftest import REGION, Aws, write_project
from tests.conftest import run

AWS = f'aws = {{ region = "{REGION}", retry_mode = "standard", max_attempts = 4 }}'


def settings_findings(args: tuple[str, ...] = ()) -> dict[str, str]:
    document = json.loads(run(["check", "--format", "json", "--fail-on", "none", *args], expect=0).stdout)
    return {f["key"]: f["message"] for f in document["findings"] if f["rule"] == "settings-drift"}


def test_task_definitions_and_functions_compared_path_by_path(aws: Aws, tmp_path: Path, monkeypatch: Any) -> None:
    ecs = aws.client("ecs")
    for family, memory, tag in (("mre-staging", 2048, "2025.11.3"), ("mre-production", 512, "2025.10.1")):
        ecs.register_task_definition(
            family=family,
            containerDefinitions=[
                {
                    "name": "web",
                    "image": f"ghcr.io/acme/mre:{tag}",
                    "memory": memory,
                    "portMappings": [{"containerPort": 3001}],
                }
            ],
        )
    aws.create_function("mre-api-staging", {"A": "1"})
    aws.create_function("mre-api-production", {"A": "1"})
    aws.client("lambda").update_function_configuration(FunctionName="mre-api-production", MemorySize=1024)
    environments = "".join(
        f'[environments.{env}]\n{AWS}\nsources = [{{ type = "ecs", task_definition = "mre-{env}" }}, '
        f'{{ type = "lambda", function = "mre-api-{env}" }}]\n'
        for env in ("staging", "production")
    )
    write_project(tmp_path, "A=1\n", environments)
    monkeypatch.chdir(tmp_path)
    found = settings_findings()
    assert (
        found["ecs:containerDefinitions[web].memory"]
        == "ecs containerDefinitions[web].memory: staging 2048, production 512"
    )
    assert found["ecs:containerDefinitions[web].image"].endswith("(staging runs the newer tag)")
    assert found["lambda:MemorySize"] == "lambda MemorySize: staging 128, production 1024"
    write_project(tmp_path, "A=1\n", environments + '[settings]\nallow = ["*.image", "MemorySize"]\n')
    assert set(settings_findings()) == {"ecs:containerDefinitions[web].memory"}


def test_kubernetes_workloads_compared(tmp_path: Path, monkeypatch: Any) -> None:
    for env, replicas, cpu in (("staging", 1, "250m"), ("production", 3, "500m")):
        (tmp_path / f"{env}.yaml").write_text(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n"
            "  template:\n    spec:\n      containers:\n        - name: web\n          image: acme/web:1.4.0\n"
            f"          resources: {{requests: {{cpu: {cpu}}}}}\n          env: [{{name: A, value: '1'}}]\n"
        )
    source = '{{ type = "kubernetes", manifests = "{}.yaml", workload = "Deployment/web" }}'
    config = "".join(f"[environments.{env}]\nsources = [{source.format(env)}]\n" for env in ("staging", "production"))
    write_project(tmp_path, "A=1\n", config + '[settings]\nallow = ["replicas"]\n')
    monkeypatch.chdir(tmp_path)
    assert settings_findings() == {
        "kubernetes:containers[web].resources.requests.cpu": "kubernetes containers[web].resources.requests.cpu: "
        "staging 250m, production 500m"
    }


def test_the_settings_table_is_validated(tmp_path: Path, monkeypatch: Any) -> None:
    write_project(
        tmp_path,
        "A=1\n",
        '[environments.staging]\nsources = [{ type = "process" }]\n'
        '[settings]\nallow = "x"\nenvironments = ["stagng"]\nalow = []\n',
    )
    monkeypatch.chdir(tmp_path)
    stderr = run(["check"], expect=2).stderr
    assert "allow must be a list of strings" in stderr
    assert "no environment 'stagng' (did you mean 'staging'?)" in stderr
    assert "unknown field 'alow' (did you mean 'allow'?)" in stderr
