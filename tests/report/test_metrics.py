"""Metrics for monitoring: the textfile node_exporter reads (parsed back with
prometheus_client's own parser) and a push to a real Pushgateway (Debian's
prometheus-pushgateway, started here on 127.0.0.1 and stopped after). A run that cannot read
a source keeps the last successful scan's time, so a dead-man's switch alerts on it; a
Pushgateway that is down is a warning, never a changed exit code."""

from __future__ import annotations

import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from devtools.sshd import free_port
from tests.conftest import Project, run

PUSHGATEWAY = shutil.which("prometheus-pushgateway") or "/usr/bin/prometheus-pushgateway"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def configure(project: Project, extra: str = "") -> None:
    project.write(".env.example", "A=1\n# @type int\nB=2\n")
    project.write("prod.env", "A=1\nB=two\n")
    project.write(
        "drift.toml",
        '[drift]\nname = "shop"\n[environments.prod]\nsources = [{ type = "dotenv", path = "prod.env" }]\n' + extra,
    )


def test_the_textfile_node_exporter_reads(project: Project) -> None:
    configure(project)
    run(["check", "--output", "openmetrics:metrics/drift.prom"], expect=1)
    first = samples((project.root / "metrics" / "drift.prom").read_text())
    assert (
        first[
            (
                "drift_findings",
                frozenset({"project": "shop", "environment": "prod", "severity": "error", "rule": "invalid"}.items()),
            )
        ]
        == 1
    )
    source = {"project": "shop", "environment": "prod", "type": "dotenv", "source": "prod.env"}
    assert first[("drift_source_up", frozenset(source.items()))] == 1
    assert first[("drift_exit_code", frozenset({"project": "shop"}.items()))] == 1
    success = first[("drift_last_success_timestamp_seconds", frozenset({"project": "shop"}.items()))]
    assert success == first[("drift_scan_timestamp_seconds", frozenset({"project": "shop"}.items()))]
    (project.root / "prod.env").unlink()  # the next run cannot read its source
    run(["check", "--output", "openmetrics:metrics/drift.prom"], expect=3)
    second = samples((project.root / "metrics" / "drift.prom").read_text())
    assert second[("drift_source_up", frozenset(source.items()))] == 0
    assert second[("drift_last_success_timestamp_seconds", frozenset({"project": "shop"}.items()))] == success


@pytest.fixture
def pushgateway(tmp_path: Path) -> Iterator[str]:
    if not Path(PUSHGATEWAY).exists():
        pytest.skip("prometheus-pushgateway is not installed (.ci/run installs it)")
    port = free_port()
    server = subprocess.Popen(
        [PUSHGATEWAY, f"--web.listen-address=127.0.0.1:{port}", f"--persistence.file={tmp_path / 'push.data'}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        for line in server.stderr:  # it says when it listens; a line at a time, until then
            if 'msg="Listening on"' in line:
                break
        else:
            pytest.fail("the Pushgateway ended before it listened")
        threading.Thread(target=server.stderr.read, daemon=True).start()  # its later lines, unread
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def scraped(gateway: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """What Prometheus would scrape from the Pushgateway."""
    with urllib.request.urlopen(f"{gateway}/metrics", timeout=10) as response:
        return samples(response.read().decode())


def test_every_run_pushes_to_the_pushgateway(project: Project, pushgateway: str) -> None:
    configure(project, f'[metrics]\npushgateway = "{pushgateway}"\njob = "drift-nightly"\n')
    run(["check"], expect=1)
    found = scraped(pushgateway)
    grouped = {"project": "shop", "job": "drift-nightly", "instance": ""}  # the gateway's grouping labels
    key = (
        "drift_findings",
        frozenset({**grouped, "environment": "prod", "severity": "error", "rule": "invalid"}.items()),
    )
    assert found[key] == 1
    success = found[("drift_last_success_timestamp_seconds", frozenset(grouped.items()))]
    (project.root / "prod.env").unlink()
    run(["scan"], expect=3)
    found = scraped(pushgateway)
    source = {**grouped, "environment": "prod", "type": "dotenv", "source": "prod.env"}
    assert found[("drift_source_up", frozenset(source.items()))] == 0
    assert found[("drift_last_success_timestamp_seconds", frozenset(grouped.items()))] == success


def test_a_pushgateway_that_is_down_is_a_warning(project: Project) -> None:
    configure(project, f'[metrics]\npushgateway = "http://127.0.0.1:{free_port()}"\n')
    result = run(["check"], expect=1)
    assert "did not take the metrics" in result.stderr
