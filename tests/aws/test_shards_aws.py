"""A configuration spanning an emulated organisation (accounts reached through
`sts:AssumeRole`, three regions) scanned as shards into an S3 history and merged: the merged
scan is the one process's scan, and each shard assumed only its own accounts' roles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from devtools import organisation
from drift.secrets import FINGERPRINT_ENV
from tests.aws.conftest import Aws
from tests.conftest import run

ACCOUNTS = 6
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
KEY = {FINGERPRINT_ENV: "organisation-key"}


def report(config: Path) -> dict[str, Any]:
    document = json.loads((config.parent / "reports" / "drift-report.json").read_text())
    return {
        "findings": [{k: v for k, v in f.items() if k != "first_seen"} for f in document["findings"]],
        "matrix": document["matrix"],
        "environments": document["environments"],
        "summary": document["summary"],
    }


def test_an_organisation_in_shards_merges_to_the_one_process_scan(aws: Aws, tmp_path: Path) -> None:
    aws.client("s3").create_bucket(Bucket="platform-drift")
    organisation.seed(aws.endpoint, ACCOUNTS, REGIONS)
    single = organisation.project(tmp_path / "single", ACCOUNTS, REGIONS, "s3://platform-drift/single")
    split = organisation.project(tmp_path / "split", ACCOUNTS, REGIONS, "s3://platform-drift/split")
    run(["scan", "--config", str(single), "--quiet"], expect=1, env=KEY)
    assert aws.proxy.calls("sts", "AssumeRole") == ACCOUNTS  # one session a role, whatever the region
    aws.proxy.reset()
    for number in range(4):  # an Indexed Job's JOB_COMPLETION_INDEX: 0..3
        run(["scan", "--config", str(split), "--shard", f"{number}/4"], expect=0, env={**KEY, "JOB_NAME": "nightly-7"})
    # an account's regions may fall in different shards: each assumes the role once
    assert ACCOUNTS <= aws.proxy.calls("sts", "AssumeRole") <= ACCOUNTS * len(REGIONS)
    objects = aws.client("s3").list_objects_v2(Bucket="platform-drift", Prefix="split/shards/nightly-7/")
    assert sorted(o["Key"].rsplit("/", 1)[1] for o in objects["Contents"]) == [f"{n}.json.gz" for n in (1, 2, 3, 4)]
    run(["merge", "--config", str(split), "--run", "nightly-7", "--quiet"], expect=1, env=KEY)
    merged, expected = report(split), report(single)
    assert merged == expected
    rules = {f["rule"] for f in expected["findings"]}
    assert {"parity", "secret-reuse", "missing"} <= rules, rules
    assert "pw-" not in json.dumps(merged)
    left = aws.client("s3").list_objects_v2(Bucket="platform-drift", Prefix="split/shards/")
    assert left.get("KeyCount", 0) == 0  # merged: the run's shards are removed
