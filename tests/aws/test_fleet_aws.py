"""`drift fleet` over an S3 prefix that 50 projects' nightly scans write to (real scans, saved
through drift's S3 history, on moto's server): one report, a damaged project reported
without hiding the others."""

from __future__ import annotations

import json
from pathlib import Path

from drift import api
from drift.history.s3 import S3History
from drift.secrets import Fingerprinter
from tests.aws.conftest import Aws
from tests.conftest import run

PROJECTS = 50


def test_fifty_projects_under_one_prefix(aws: Aws, tmp_path: Path) -> None:
    aws.client("s3").create_bucket(Bucket="platform-drift")
    fingerprint = Fingerprinter(b"platform-key")
    for index in range(PROJECTS):
        root = tmp_path / f"service-{index:02}"
        root.mkdir()
        (root / ".env.example").write_text("# @type int\nWORKERS=4\nAPI_TOKEN=\n")
        (root / "production.env").write_text(f"WORKERS={'four' if index % 5 == 0 else 4}\nAPI_TOKEN=t-{index}\n")
        (root / "drift.toml").write_text(
            f'[drift]\nname = "service-{index:02}"\nhistory = "s3://platform-drift/nightly/service-{index:02}"\n'
            '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" }]\n'
        )
        project = api.load_project(root / "drift.toml", root)
        store = api.history_for(project)
        assert isinstance(store, S3History)
        api.save_scan(api.scan(project, history=store, fingerprinter=fingerprint), store, fingerprint)
    aws.client("s3").put_object(Bucket="platform-drift", Key="nightly/service-99/meta.json", Body=b"{}")
    aws.client("s3").put_object(Bucket="platform-drift", Key="nightly/service-99/scans/20260101.json.gz", Body=b"no")
    done = run(["fleet", "s3://platform-drift/nightly/", "--format", "json"], expect=1)
    document = json.loads(done.stdout)
    projects = {p["name"]: p for p in document["projects"]}
    assert len(projects) == PROJECTS + 1
    assert document["summary"]["with_errors"] == PROJECTS // 5  # every fifth has WORKERS=four
    assert document["summary"]["unreadable"] == 1
    damaged = next(p for p in document["projects"] if p["error"] is not None)
    assert damaged["location"] == "s3://platform-drift/nightly/service-99" and "cannot be read" in damaged["error"]
    assert projects["service-05"]["environments"]["production"]["error"] == 1
    # one key for all: the tokens differ, so nothing is shared
    assert document["secrets_comparable"] is True and document["shared_secrets"] == []
    assert "t-1" not in run(["fleet", "s3://platform-drift/nightly/", "--format", "html"], expect=1).stdout
