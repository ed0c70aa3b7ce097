"""A nightly scan whose history is on S3 with 30 saved scans (moto's server behind the suite's
fault proxy, 50 ms added to every request): the trend reads the last 29 scans' objects, and
`drift merge` a run's shards. Timed in one process, best of 3, with the objects read one at a
time (`READERS = 1`, how drift read them before) and 8 at a time (the default)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from devtools.aws_local import local_aws  # noqa: E402

SCANS = 30
LATENCY = 0.05


def main() -> None:
    from drift import api
    from drift.history import s3
    from drift.secrets import Fingerprinter

    with local_aws("us-east-1") as (server, proxy, _):
        os.environ["AWS_ENDPOINT_URL"] = server.url
        client: Any = boto3.client("s3", region_name="us-east-1", endpoint_url=server.url)
        client.create_bucket(Bucket="trend-history")
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / ".env.example").write_text("".join(f"K{i}=v\n" for i in range(500)))
            (root / "p.env").write_text("".join(f"K{i}=v{i % 7}\n" for i in range(500)))
            (root / "drift.toml").write_text(
                '[drift]\nhistory = "s3://trend-history/p"\n'
                '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n'
            )
            fingerprint = Fingerprinter(b"bench")
            project = api.load_project(root / "drift.toml", root)
            for _ in range(SCANS):
                store = api.history_for(project)
                assert store is not None
                api.save_scan(api.scan(project, history=store, fingerprinter=fingerprint), store, fingerprint)
            os.environ["AWS_ENDPOINT_URL"] = proxy.url
            proxy.plan.latency = LATENCY
            for readers in (1, s3.READERS):
                s3.READERS = readers
                best = float("inf")
                for _ in range(3):
                    began = time.perf_counter()
                    result = api.scan(project, history=api.history_for(project), fingerprinter=fingerprint)
                    best = min(best, time.perf_counter() - began)
                print(
                    f"  scan with {SCANS} saved scans on S3, {LATENCY * 1000:.0f} ms a request, {readers} at a time: "
                    f"{best:.2f} s (a trend of {len(result.trend)})"
                )


if __name__ == "__main__":
    main()
