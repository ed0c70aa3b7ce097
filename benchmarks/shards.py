"""A whole organisation scanned by one process against 8 shards and a merge (moto's server
behind the suite's fault proxy, 50 ms added to every request): 50 accounts, each reached
through its own `sts:AssumeRole` role, in three regions (150 environments of SSM
parameters, `shard_by = "account"`). Each `drift` run is a fresh process, timed with its peak
RSS (`os.wait4`); the 8 shards run at once, as a CI matrix or an Indexed Job runs them, each
alone on its machine there but sharing this machine's 2 cores here. The merged scan's
findings and matrix are checked against the one process's."""

from __future__ import annotations

import json
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

from devtools import organisation  # noqa: E402
from devtools.aws_local import local_aws  # noqa: E402

ACCOUNTS = 50
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
SHARDS = 8
LATENCY = 0.05


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "drift", *args, "--quiet"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def waited(process: subprocess.Popen[bytes]) -> tuple[int, float]:
    """Exit code and peak RSS (MB) of a started run (its error output shown if it failed)."""
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        print(errors.decode(errors="replace"), file=sys.stderr)
    return code, usage.ru_maxrss / 1024


def findings(config: Path) -> Any:
    document = json.loads((config.parent / "reports" / "drift-report.json").read_text())
    return [{k: v for k, v in f.items() if k != "first_seen"} for f in document["findings"]], document["matrix"]


def main() -> None:
    with local_aws(REGIONS[0]) as (server, proxy, env):
        env = {**env, "DRIFT_FINGERPRINT_KEY": "bench"}
        os.environ.update(env)
        boto3.client("s3", region_name=REGIONS[0], endpoint_url=server.url).create_bucket(Bucket="org")
        organisation.seed(server.url, ACCOUNTS, REGIONS)
        run_env = {**env, "AWS_ENDPOINT_URL": proxy.url}
        proxy.plan.latency = LATENCY
        with tempfile.TemporaryDirectory() as tmp:
            single = organisation.project(Path(tmp) / "single", ACCOUNTS, REGIONS, "s3://org/single")
            split = organisation.project(Path(tmp) / "split", ACCOUNTS, REGIONS, "s3://org/split")
            began = time.perf_counter()
            code, peak = waited(start(["scan", "--config", str(single)], run_env))
            one = time.perf_counter() - began
            assert code == 1, code
            print(f"  one process: {one:.2f} s, peak RSS {peak:.0f} MB ({ACCOUNTS * len(REGIONS)} environments)")
            began = time.perf_counter()
            shards = [
                start(["scan", "--config", str(split), "--shard", f"{n}/{SHARDS}", "--run", "bench"], run_env)
                for n in range(1, SHARDS + 1)
            ]
            peaks = [waited(p) for p in shards]
            scanned = time.perf_counter() - began
            assert all(code == 0 for code, _ in peaks), peaks
            began = time.perf_counter()
            code, merge_peak = waited(start(["merge", "--config", str(split), "--run", "bench"], run_env))
            merged = time.perf_counter() - began
            assert code == 1, code
            print(
                f"  {SHARDS} shards at once: {scanned:.2f} s (peak RSS {max(p for _, p in peaks):.0f} MB each at most),"
                f" then the merge {merged:.2f} s (peak RSS {merge_peak:.0f} MB): {scanned + merged:.2f} s in all"
            )
            alone = []
            for n in range(1, SHARDS + 1):  # each alone, as on its own CI machine
                began = time.perf_counter()
                args = ["scan", "--config", str(split), "--shard", f"{n}/{SHARDS}", "--run", "alone"]
                code, _ = waited(start(args, run_env))
                alone.append(time.perf_counter() - began)
                assert code == 0, code
            print(f"  each shard alone: {max(alone):.2f} s at most, {min(alone):.2f} s at least")
            same = findings(single) == findings(split)
            print(f"  merged result identical to the one process's: {same} ({proxy.calls('sts')} AssumeRole calls)")
            assert same


if __name__ == "__main__":
    main()
