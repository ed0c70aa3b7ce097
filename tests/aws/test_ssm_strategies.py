"""How the `ssm` source reads a path (by path, by name, or chosen per path), what each costs in
calls, and the pacing that keeps a scan inside SSM's throughput: against moto's server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools.aws_local import Fault
from drift import api
from drift.model import Entry, ScanResult
from drift.platform import aws as drift_aws
from drift.secrets import Fingerprinter
from tests.aws.conftest import Aws, write_project
from tests.conftest import run

AWS = 'aws = { region = "us-east-1", retry_mode = "standard" }'
#: 120 parameters, some under sub-paths, every seventh a SecureString.
NAMES = [f"/big/{'sub/' if i % 5 == 0 else ''}KEY_{i:03d}" for i in range(120)]


def seed(aws_: Aws, names: list[str] = NAMES) -> None:
    aws_.put_parameters({name: f"value-{i}" for i, name in enumerate(names)}, secure=tuple(names[::7]))


def project(root: Path, strategy: str | None = None, path: str = "/big/") -> Path:
    option = f', strategy = "{strategy}"' if strategy else ""
    return write_project(
        root, "", f'[environments.p]\n{AWS}\nsources = [{{ type = "ssm", path = "{path}"{option} }}]\n'
    )


def scan(root: Path) -> ScanResult:
    return api.scan(api.load_project(root / "drift.toml", root), fingerprinter=Fingerprinter(b"k"))


def facts(entry: Entry) -> tuple[object, ...]:
    return (entry.key, entry.value, entry.store_secret, entry.location, entry.source, sorted(entry.metadata.items()))


@pytest.mark.parametrize("strategy", ["by-name", "auto"])
def test_every_strategy_reads_what_the_paginator_reads(aws: Aws, tmp_path: Path, strategy: str) -> None:
    seed(aws)
    project(tmp_path, "by-path")
    by_path = scan(tmp_path).environments[0].entries
    project(tmp_path, strategy)
    other = scan(tmp_path).environments[0].entries
    assert len(by_path) == 120 and "sub_KEY_000" in by_path
    assert list(other) == list(by_path)  # same keys, same (sorted) order
    assert [facts(e) for e in other.values()] == [facts(e) for e in by_path.values()]


def test_a_large_path_not_seen_before_goes_on_by_name_after_three_pages(aws: Aws, tmp_path: Path) -> None:
    seed(aws)
    project(tmp_path)
    aws.proxy.reset()
    assert len(scan(tmp_path).environments[0].entries) == 120
    assert aws.proxy.calls("ssm", "GetParametersByPath") == 3
    assert aws.proxy.calls("ssm", "DescribeParameters") == 3  # 120 names, 50 a page
    assert aws.proxy.calls("ssm", "GetParameters") == 9  # the 90 not read yet, 10 a call
    assert aws.proxy.calls("ssm") <= 1.3 * 13  # the paginator: 12 pages (13 with an empty last one)


def test_a_small_path_is_read_by_path_only(aws: Aws, tmp_path: Path) -> None:
    seed(aws, NAMES[:25])
    project(tmp_path)
    aws.proxy.reset()
    assert len(scan(tmp_path).environments[0].entries) == 25
    assert aws.proxy.calls("ssm") == aws.proxy.calls("ssm", "GetParametersByPath") == 3


def test_with_history_a_large_path_is_fetched_by_name_from_the_start(aws: Aws, tmp_path: Path) -> None:
    seed(aws)
    project(tmp_path)
    config = str(tmp_path / "drift.toml")
    run(["scan", "--config", config], expect=0)
    client = aws.client("ssm")
    client.delete_parameter(Name=NAMES[3])
    client.put_parameter(Name="/big/NEW_ONE", Value="new", Type="String")
    aws.proxy.reset()
    run(["scan", "--config", config], expect=0)
    assert aws.proxy.calls("ssm", "GetParametersByPath") == 0
    assert aws.proxy.calls("ssm", "DescribeParameters") == 3
    # the 120 names the last scan saw (one of them gone: InvalidParameters), then the new one
    assert aws.proxy.calls("ssm", "GetParameters") == 13
    document = json.loads((tmp_path / "reports" / "drift-report.json").read_text())
    events = {(f["rule"], f["key"]) for f in document["findings"]}
    assert {("removed", "KEY_003"), ("added", "NEW_ONE")} <= events


def test_an_unknown_strategy_is_a_configuration_error(aws: Aws, tmp_path: Path) -> None:
    project(tmp_path, "fastest")
    done = run(["check", "--config", str(tmp_path / "drift.toml")], expect=2)
    assert "`strategy` must be one of auto, by-path, by-name" in done.stderr


def test_requests_are_paced_to_the_throughput(aws: Aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Four threads fetching values would outrun SSM's throughput; the pacer holds the scan's
    requests to the rate (5 a second here, to keep the test short: 15 requests, 3 s)."""
    seed(aws)
    project(tmp_path, "by-name")
    monkeypatch.setattr(drift_aws, "PACED", {})
    aws.proxy.reset()
    scan(tmp_path)
    assert aws.proxy.peak_rate("ssm") > 5  # unpaced, the same reads go faster than that
    monkeypatch.setattr(drift_aws, "PACED", {"ssm": 5.0})
    aws.proxy.reset()
    scan(tmp_path)
    assert aws.proxy.calls("ssm") == 3 + 12
    assert aws.proxy.peak_rate("ssm") <= 5


@pytest.mark.parametrize("operation", ["DescribeParameters", "GetParameters"])
def test_a_refused_call_while_reading_by_name_fails_the_source(aws: Aws, tmp_path: Path, operation: str) -> None:
    """A listing page or a value batch refused midway is source-unavailable naming the code,
    never a path read in part: no key the path holds is reported missing."""
    seed(aws)
    (tmp_path / ".env.example").write_text("KEY_001=\n")
    (tmp_path / "drift.toml").write_text(
        f'[environments.p]\n{AWS}\nsources = [{{ type = "ssm", path = "/big/", strategy = "by-name" }}]\n'
    )
    aws.proxy.plan.faults.append(Fault("ssm", "deny", operation=operation, times=100, skip=1))
    result = scan(tmp_path)
    source = result.environments[0].sources[0]
    assert source.status == "failed" and source.error is not None and "AccessDeniedException" in source.error
    assert {(f.rule, f.key) for f in result.findings} == {("source-unavailable", None)}
    assert result.exit_code == 3


class Recorder:
    """A progress display that keeps what it is told."""

    def __init__(self) -> None:
        self.advanced: list[tuple[int, int]] = []
        self.done: list[tuple[str | None, int, int]] = []

    def __call__(
        self, env: str, source: str, status: str | None, keys: int = 0, seconds: float = 0.0, requests: int = 0
    ) -> None:
        self.done.append((status, keys, requests))

    def advance(self, env: str, source: str, items: int, requests: int) -> None:
        self.advanced.append((items, requests))


@pytest.mark.parametrize("strategy", ["by-path", "by-name"])
def test_progress_counts_what_was_read_and_every_request(aws: Aws, tmp_path: Path, strategy: str) -> None:
    seed(aws)
    project(tmp_path, strategy)
    aws.proxy.reset()
    recorder = Recorder()
    api.scan(api.load_project(tmp_path / "drift.toml", tmp_path), fingerprinter=Fingerprinter(b"k"), progress=recorder)
    made = sum(aws.proxy.calls("ssm", op) for op in ("GetParametersByPath", "DescribeParameters", "GetParameters"))
    assert recorder.done == [(None, 0, 0), ("ok", 120, made)]
    assert recorder.advanced[-1] == (120, made) and len(recorder.advanced) == made
    assert [r for _, r in recorder.advanced] == sorted(r for _, r in recorder.advanced)  # it only grows
