"""AWS scan benchmark: three environments through a proxy adding 50 ms to every request.

Compares `drift check` (all three environments), once per SSM strategy (`auto` without a
previous scan, `auto` with one, `by-path`, `by-name`), with the AWS CLI making the same reads
one after another, and with a bare boto3 paginator reading only the largest path (the floor
when pages are fetched in order). Counts the SSM calls of each and the most that arrived at
the proxy within one second (SSM's default throughput is 40 a second).
"""

from __future__ import annotations

import json
import os
import shutil
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

LATENCY = 0.05
REGION = "us-east-1"
PATHS = {
    "development": ("/bench/development/", 40),
    "staging": ("/bench/staging/", 40),
    "production": ("/bench/production/", 1000),
}
SECRET = "bench/production/app"
FLOOR = (
    "import boto3, sys\n"
    "ssm = boto3.client('ssm', region_name='us-east-1', endpoint_url=sys.argv[1])\n"
    "n = sum(len(p['Parameters']) for p in ssm.get_paginator('get_parameters_by_path').paginate("
    "Path='/bench/production', Recursive=True, WithDecryption=True, PaginationConfig={'PageSize': 10}))\n"
)


def seed(endpoint: str) -> None:
    ssm: Any = boto3.client("ssm", region_name=REGION, endpoint_url=endpoint)
    for path, count in PATHS.values():
        for i in range(count):
            kind = "SecureString" if i % 10 == 0 else "String"
            ssm.put_parameter(Name=f"{path}KEY_{i:04d}", Value=f"value-{i}", Type=kind, Overwrite=True)
    boto3.client("secretsmanager", region_name=REGION, endpoint_url=endpoint).create_secret(
        Name=SECRET, SecretString=json.dumps({f"SECRET_{i}": f"s-{i}" for i in range(20)})
    )


def config(root: Path, strategy: str, history: bool = False) -> Path:
    lines = [f'[drift]\nhistory = "{root / "history.db"}"\n' if history else ""]
    for env, (path, _) in PATHS.items():
        sources = [f'{{ type = "ssm", path = "{path}", strategy = "{strategy}" }}']
        if env == "production":
            sources.append(f'{{ type = "secretsmanager", secret_id = "{SECRET}" }}')
        lines.append(f'[environments.{env}]\naws = {{ region = "{REGION}" }}\nsources = [{", ".join(sources)}]\n')
    (root / ".env.example").write_text("KEY_0001=value-1\n")
    config_path = root / f"drift-{strategy}{'-history' if history else ''}.toml"
    config_path.write_text("\n".join(lines))
    return config_path


def timed(command: list[str], env: dict[str, str], repeat: int = 3) -> float:
    best = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        best.append(time.perf_counter() - start)
    return min(best)


def main() -> None:
    with local_aws(REGION) as (server, proxy, env):
        seed(server.url)
        proxy.plan.latency = LATENCY
        figures: dict[str, float] = {}
        drift_env = {**env, "AWS_ENDPOINT_URL": proxy.url}
        here = Path.cwd()
        with tempfile.TemporaryDirectory() as tmp:
            os.chdir(tmp)  # `drift scan` writes its reports under the working folder
            for strategy, history in (("auto", False), ("auto", True), ("by-path", False), ("by-name", False)):
                label = f"drift, {strategy}" + (", with a previous scan" if history else "")
                drift_config = config(Path(tmp), strategy, history)
                command = [sys.executable, "-m", "drift", "scan" if history else "check", "--config", str(drift_config)]
                if history:  # the previous scan the strategy reads the path sizes from
                    subprocess.run(command, env=drift_env, capture_output=True, check=False)
                proxy.plan.calls.clear()
                proxy.plan.arrivals.clear()
                subprocess.run(command, env=drift_env, capture_output=True, check=False)
                figures[f"{label}: SSM calls"] = float(proxy.calls("ssm"))
                figures[f"{label}: most SSM calls in one second"] = float(proxy.peak_rate("ssm"))
                figures[f"{label} (s)"] = timed(command, drift_env)
            os.chdir(here)
        floor_s = timed([sys.executable, "-c", FLOOR, proxy.url], env)
        figures["boto3 paginator, largest path alone (s)"] = floor_s
        proxy.plan.calls.clear()
        subprocess.run([sys.executable, "-c", FLOOR, proxy.url], env=env, capture_output=True, check=False)
        figures["boto3 paginator: SSM calls"] = float(proxy.calls("ssm"))
        aws = shutil.which("aws")
        if aws:

            def cli() -> None:
                for path, _ in PATHS.values():
                    subprocess.run(
                        [
                            aws,
                            "ssm",
                            "get-parameters-by-path",
                            "--path",
                            path,
                            "--recursive",
                            "--with-decryption",
                            "--endpoint-url",
                            proxy.url,
                        ],
                        env=env,
                        capture_output=True,
                        check=True,
                    )
                subprocess.run(
                    [aws, "secretsmanager", "get-secret-value", "--secret-id", SECRET, "--endpoint-url", proxy.url],
                    env=env,
                    capture_output=True,
                    check=True,
                )

            proxy.plan.calls.clear()
            start = time.perf_counter()
            cli()
            figures["AWS CLI, same reads in sequence (s)"] = time.perf_counter() - start
            figures["AWS CLI: SSM calls"] = float(proxy.calls("ssm"))
        drift_s = figures["drift, auto (s)"]
        if "AWS CLI, same reads in sequence (s)" in figures:
            figures["drift auto / AWS CLI"] = drift_s / figures["AWS CLI, same reads in sequence (s)"]
        figures["drift auto / boto3 floor"] = drift_s / floor_s
        figures["drift auto calls / by-path calls"] = (
            figures["drift, auto: SSM calls"] / figures["drift, by-path: SSM calls"]
        )
        for name, value in figures.items():
            print(f"  {name:<62} {value:.2f}")


if __name__ == "__main__":
    main()
