"""`drift fleet` over 500 projects' histories under one S3 prefix (moto's server, behind the
suite's fault proxy at 0 and 20 ms a request): one real scan saved through drift's S3
history, its record copied under 500 project prefixes (each project's object is read and
parsed whole, as a real one would be). Times `drift fleet ... --format html` from a fresh
process with its peak RSS, with the reads concurrent (16 readers, the default) and one at a
time (`DRIFT_FLEET_READERS=1`, the alternative)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from devtools.aws_local import local_aws  # noqa: E402

PROJECTS = 500
REGION = "us-east-1"


def seed(endpoint: str, root: Path) -> None:
    """One real scan, saved, then copied under PROJECTS prefixes."""
    from drift import api
    from drift.history.s3 import S3History
    from drift.secrets import Fingerprinter

    s3: Any = boto3.client("s3", region_name=REGION, endpoint_url=endpoint)
    s3.create_bucket(Bucket="fleet")
    (root / ".env.example").write_text("".join(f"# @type int\nSETTING_{i:03d}=1\n" for i in range(100)))
    (root / "production.env").write_text("".join(f"SETTING_{i:03d}={'x' if i % 9 == 0 else i}\n" for i in range(100)))
    (root / "staging.env").write_text("".join(f"SETTING_{i:03d}={i}\n" for i in range(90)))
    (root / "drift.toml").write_text(
        '[drift]\nhistory = "s3://fleet/seed"\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" }]\n'
        '[environments.staging]\nsources = [{ type = "dotenv", path = "staging.env" }]\n'
    )
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    project = api.load_project(root / "drift.toml", root)
    store = api.history_for(project)
    assert isinstance(store, S3History)
    fingerprint = Fingerprinter(b"bench")
    api.save_scan(api.scan(project, history=store, fingerprinter=fingerprint), store, fingerprint)
    objects = s3.list_objects_v2(Bucket="fleet", Prefix="seed/")["Contents"]
    for index in range(PROJECTS):
        for item in objects:
            key = item["Key"].replace("seed/", f"nightly/service-{index:03d}/", 1)
            s3.copy_object(Bucket="fleet", Key=key, CopySource={"Bucket": "fleet", "Key": item["Key"]})


def fleet(env: dict[str, str], out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `drift fleet` run."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "drift", "fleet", "s3://fleet/nightly/", "--format", "html"],
        env=env,
        stdout=out.open("w"),
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 1
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    with local_aws(REGION) as (server, proxy, env), tempfile.TemporaryDirectory() as tmp:
        seed(server.url, Path(tmp))
        page = Path(tmp) / "fleet.html"
        for latency in (0.0, 0.02):
            proxy.plan.latency = latency
            for readers in ("16", "1"):
                run_env = {**env, "AWS_ENDPOINT_URL": proxy.url, "DRIFT_FLEET_READERS": readers}
                seconds, peak = min(fleet(run_env, page) for _ in range(3))
                print(
                    f"  {PROJECTS} projects, {latency * 1000:.0f} ms a request, {readers:>2} reader(s): "
                    f"{seconds:.2f} s, peak RSS {peak:.0f} MB, page {page.stat().st_size / 1024:.0f} KB"
                )


if __name__ == "__main__":
    main()
