"""Hostile input for the sources that reach deployments: whatever a Compose file, a set of
manifests, a unit file or a program's output holds, reading it ends in entries or a
CollectorError (a `source-unavailable` finding), never another exception."""

from __future__ import annotations

import contextlib
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drift import dialects
from drift.collectors.base import CollectContext, CollectorError
from drift.collectors.command import from_json, names
from drift.collectors.compose import ComposeCollector
from drift.collectors.kubernetes import KubernetesCollector
from drift.collectors.systemd import SystemdCollector
from drift.platform.yamlfile import YamlError, load_all
from drift.settings import SourceConfig
from tests.fuzz.profile import FUZZ

#: YAML made of the pieces real Compose files and manifests are made of, in any order.
YAML_PIECES = st.sampled_from(
    ["services:", "  web:", "    environment:", "      - A=1", "      B: ${X:-y}", "      C: $${D}",
     "    env_file:", "      - path: e.env", "        required: false", "    extends: web", "    profiles: [p]",
     "  <<: *x", "x: &x {a: 1}", "kind: Deployment", "kind: ConfigMap", "kind: Secret", "kind: List",
     "apiVersion: v1", "metadata: {name: web}", "spec:", "  template:", "    spec:", "      containers:",
     "        - name: web", "          env:", "            - name: K", "              value: $(K)",
     "              valueFrom: {secretKeyRef: {name: s, key: k}}",
     "          envFrom: [{configMapRef: {name: c}, prefix: P_}]", "data: {k: '!!!'}", "stringData: {k: v}",
     "items: []", "- ", "!reset", "!override x", "!Ref y", "? complex", "'unterminated", "\t", "---", "${",
     "&a [*a]", "{", "]"]
)  # fmt: skip
YAML = st.lists(YAML_PIECES | st.text(max_size=12), max_size=25).map("\n".join)


@FUZZ
@given(YAML)
def test_any_yaml_reads_or_is_a_yaml_error(text: str) -> None:
    try:
        load_all(text, "f.yaml")
    except YamlError as exc:
        assert "f.yaml" in str(exc)


@FUZZ
@given(YAML, YAML)
def test_any_compose_files(tmp_path_factory: pytest.TempPathFactory, compose: str, overlay: str) -> None:
    root = tmp_path_factory.mktemp("compose")
    (root / "compose.yaml").write_text(compose)
    (root / "over.yaml").write_text(overlay)
    (root / "e.env").write_text("A=1\n")
    source = SourceConfig("compose", {"service": "web", "files": ["compose.yaml", "over.yaml"], "profiles": ["p"]})
    with contextlib.suppress(CollectorError):  # the one way a source may fail
        ComposeCollector(source, CollectContext(root, "p")).collect()


@FUZZ
@given(YAML)
def test_any_manifests(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    root = tmp_path_factory.mktemp("k8s")
    (root / "m.yaml").write_text(text)
    source = SourceConfig("kubernetes", {"manifests": "m.yaml", "workload": "Deployment/web"})
    with contextlib.suppress(CollectorError):  # the one way a source may fail
        KubernetesCollector(source, CollectContext(root, "p")).collect()


UNIT_PIECES = st.sampled_from(
    ["[Service]", "[Unit]", "Environment=", "Environment=A=1 'B=2 3' \"C=\\x41\"", "Environment=\"unbalanced",
     "Environment=D=%n E=%H F=%h G=%", "EnvironmentFile=", "EnvironmentFile=-/nonexistent", "EnvironmentFile=%q",
     "UnsetEnvironment=A", "UnsetEnvironment='", "\\", "# c \\", "; c", "Environment=\\u0000 \\x00 \\777 \\q"]
)  # fmt: skip


@FUZZ
@given(st.lists(UNIT_PIECES | st.text(max_size=15), max_size=15).map("\n".join))
def test_any_unit_file(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    root = tmp_path_factory.mktemp("units")
    (root / "units").mkdir()
    (root / "units" / "mre.service").write_text(text, errors="surrogateescape")
    source = SourceConfig("systemd", {"unit": "mre.service", "root": "units"})
    with contextlib.suppress(CollectorError):  # the one way a source may fail
        SystemdCollector(source, CollectContext(root, "p")).collect()


@FUZZ
@given(st.text(max_size=200))
def test_any_environment_file_in_the_systemd_dialect(text: str) -> None:
    read = dialects.read(text, "systemd", False, "f")
    assert all(isinstance(a.value, str) for a in read.values.values())


JSON_KEYS = st.sampled_from(["name", "Name", "value", "kind", "apiVersion", "data", "stringData", "A", "digest"])
JSON_PIECES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_KEYS, inner, max_size=5),
    max_leaves=20,
)


@FUZZ
@given(JSON_PIECES | st.just({"apiVersion": "v1", "kind": "Secret", "data": {"a": "%%"}}))
def test_any_json_a_program_prints(data: Any) -> None:
    import json

    with contextlib.suppress(CollectorError):  # the one way a source may fail
        from_json(json.dumps(data), "command:x")


@FUZZ
@given(st.text(max_size=200))
def test_any_names_a_program_prints(text: str) -> None:
    read = names(text, "command:x")
    assert all(entry.value is None for entry in read.entries)


def test_recursion_is_bounded() -> None:
    """5,000 nested lists are a named refusal from the YAML reader and the JSON parser, and
    neither raised the interpreter's recursion limit to get there."""
    limit = sys.getrecursionlimit()
    deep = "[" * 5000 + "]" * 5000
    with pytest.raises(YamlError, match=r"deep\.yaml: "):
        load_all("a: " + deep, "deep.yaml")
    with pytest.raises(CollectorError, match="nested too deeply"):
        from_json(deep, "command:x")
    assert sys.getrecursionlimit() == limit
