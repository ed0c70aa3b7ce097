"""The `kubernetes` source on realistic manifests (tests/fixtures/kubernetes): envFrom with
prefixes and optional sources, key references, base64 Secrets, dangling references, the
downward API, namespaces, `kubectl get -o yaml` lists, a `command`; canaries everywhere."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from drift.collectors.base import CollectContext, CollectorError
from drift.collectors.kubernetes import KubernetesCollector
from drift.model import Entry
from drift.settings import SourceConfig
from tests.conftest import Project, run
from tests.helpers import every_output

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kubernetes"


@pytest.fixture(autouse=True)
def _commands_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """These sources run programs: the user allows it from outside drift.toml (issue #20)."""
    monkeypatch.setenv("DRIFT_ALLOW_COMMANDS", "1")


@pytest.fixture
def manifests(project: Project) -> Project:
    shutil.copytree(FIXTURE, project.root, dirs_exist_ok=True)
    return project


def read(root: Path, **options: Any) -> tuple[dict[str, Entry], list[str]]:
    settings = {"manifests": ["k8s/"], "workload": "Deployment/web", "container": "web", "namespace": "prod"}
    source = SourceConfig("kubernetes", {**settings, **options})
    data = KubernetesCollector(source, CollectContext(root, "production")).collect()
    return {e.key: e for e in data.entries}, [p.message for p in data.problems]


def test_the_container_environment_as_the_kubelet_builds_it(manifests: Project) -> None:
    entries, problems = read(manifests.root)
    values = {k: e.value for k, e in entries.items()}
    assert values["APP_HOST"] == "app.acme.io"  # the prod ConfigMap, not the staging one
    assert values["APP_URL"] == "https://app.acme.io"  # $(APP_HOST) from envFrom, defined before
    assert values["PRICE_LABEL"] == "$(PRICE) per month"  # $$ keeps it literal
    assert values["LOG_LEVEL"] == "info"
    assert values["SESSION_SECRET"] == "CANARY-k8s-session-7QkLm2p9"  # base64 data
    assert values["WEBHOOK_TOKEN"] == "CANARY-k8s-webhook-tok"  # stringData
    assert values["DATABASE_URL"] == "postgres://mre:CANARY-k8s-db@db.prod:5432/mre"
    assert values["STRIPE_SECRET_KEY"] == "CANARY-stripe-unlisted-9"  # envFrom prefix
    assert entries["SESSION_SECRET"].store_secret and entries["STRIPE_PUBLISHABLE_KEY"].store_secret
    assert not entries["APP_HOST"].store_secret
    assert "SMTP_PASSWORD" not in values  # optional reference to a missing Secret: not set
    assert values["POD_NAME"] is None  # the downward API: known only to the pod
    assert values["REDIS_URL"] is None and problems == [
        "REDIS_URL references Secret mre-redis, which is not among the manifests"
    ]
    assert entries["DATABASE_URL"].location == "k8s/deployment.yaml:39"
    assert entries["APP_HOST"].location == "k8s/config.yaml:7"


def test_a_kubectl_list_and_a_command(manifests: Project) -> None:
    documents = []
    for name in ("deployment.yaml", "config.yaml", "secrets.yaml"):
        documents += [d for d in (FIXTURE / "k8s" / name).read_text().split("---\n") if d.strip()]
    items = "".join("- " + doc.strip().replace("\n", "\n  ") + "\n" for doc in documents)
    manifests.write("cluster.yaml", "apiVersion: v1\nkind: List\nitems:\n" + items)
    listed, _ = read(manifests.root, manifests="cluster.yaml")
    direct, _ = read(manifests.root)
    assert {k: e.value for k, e in listed.items()} == {k: e.value for k, e in direct.items()}
    manifests.write("helm", f"#!{sys.executable}\nimport sys\nsys.stdout.write(open('cluster.yaml').read())\n")
    (manifests.root / "helm").chmod(0o755)
    by_command, _ = read(manifests.root, manifests=None, command=["./helm", "template", "mre", "chart/"])
    assert {k: e.value for k, e in by_command.items()} == {k: e.value for k, e in direct.items()}


@pytest.mark.parametrize(
    ("options", "cause"),
    [
        ({"workload": "Deployment/api"}, "no Deployment/api among the manifests in namespace prod"),
        ({"container": None}, "has several containers (web, cloudsql-proxy): set `container`"),
        ({"container": "app"}, "has no container 'app'"),
        ({"manifests": ["missing.yaml"]}, "missing.yaml: file not found"),
        ({"manifests": None, "command": ["false"]}, "false exited with status 1"),
    ],
)
def test_what_stops_the_source(manifests: Project, options: dict[str, Any], cause: str) -> None:
    settings = {"manifests": ["k8s/"], "workload": "Deployment/web", "container": "web", "namespace": "prod"}
    settings.update(options)
    source = SourceConfig("kubernetes", {k: v for k, v in settings.items() if v is not None})
    with pytest.raises(CollectorError, match=cause.replace("(", r"\(").replace(")", r"\)")):
        KubernetesCollector(source, CollectContext(manifests.root, "production")).collect()


def test_a_scan_reports_dangling_references_and_never_a_secret(manifests: Project) -> None:
    manifests.write(
        "drift.toml",
        "[environments.production]\n"
        'sources = [{ type = "kubernetes", manifests = ["k8s/"], workload = "Deployment/web", container = "web", '
        'namespace = "prod" }]\n',
    )
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    found = {(f["rule"], f["key"]) for f in document["findings"]}
    assert ("dangling-reference", "REDIS_URL") in found
    cells = {row["key"]: row["cells"]["production"] for row in document["matrix"]}
    assert cells["POD_NAME"]["state"] == "unreadable" and cells["REDIS_URL"]["state"] == "unreadable"
    assert cells["STRIPE_SECRET_KEY"]["display"].startswith("••••••")
    assert "missing" not in {f["rule"] for f in document["findings"] if f["key"] == "POD_NAME"}
    assert "CANARY" not in every_output(run, 0)


def test_a_thousand_resources(manifests: Project) -> None:
    """1,000 objects in one stream read as the handful that matter (the time it takes is in
    benchmarks/README.md, never asserted here)."""
    parts = [(FIXTURE / "k8s" / name).read_text() for name in ("deployment.yaml", "config.yaml", "secrets.yaml")]
    for i in range(997):
        parts.append(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra-{i}\n  namespace: prod\ndata:\n  K{i}: v\n"
        )
    manifests.write("big.yaml", "---\n".join(parts))
    big, _ = read(manifests.root, manifests="big.yaml")
    direct, _ = read(manifests.root)
    assert {k: e.value for k, e in big.items()} == {k: e.value for k, e in direct.items()}
