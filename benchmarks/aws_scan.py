"""AWS scan benchmark: three environments through a proxy adding 50 ms to every request.

Compares `drift check` (all three environments) with the AWS CLI making the same reads one
after another, and with a bare boto3 paginator reading only the largest path (the floor when
pages are fetched in order). Counts the SSM calls drift makes.
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

from devtools.aws_local import FaultProxy, MotoServer  # noqa: E402

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


def config(root: Path) -> Path:
    lines = []
    for env, (path, _) in PATHS.items():
        sources = [f'{{ type = "ssm", path = "{path}" }}']
        if env == "production":
            sources.append(f'{{ type = "secretsmanager", secret_id = "{SECRET}" }}')
        lines.append(f'[environments.{env}]\naws = {{ region = "{REGION}" }}\nsources = [{", ".join(sources)}]\n')
    (root / ".env.example").write_text("KEY_0001=value-1\n")
    config_path = root / "drift.toml"
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
    server = MotoServer()
    proxy = FaultProxy(server.url)
    try:
        env = {
            **os.environ,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }
        os.environ.update(env)
        seed(server.url)
        proxy.plan.latency = LATENCY
        with tempfile.TemporaryDirectory() as tmp:
            drift_config = config(Path(tmp))
            drift_env = {**env, "AWS_ENDPOINT_URL": proxy.url}
            proxy.plan.calls.clear()
            subprocess.run(
                [sys.executable, "-m", "drift", "check", "--config", str(drift_config)],
                env=drift_env,
                capture_output=True,
                check=False,
            )
            ssm_calls = proxy.calls("ssm")
            drift_s = timed([sys.executable, "-m", "drift", "check", "--config", str(drift_config)], drift_env)
        floor_s = timed([sys.executable, "-c", FLOOR, proxy.url], env)
        figures = {
            "drift check, 3 environments (s)": drift_s,
            "boto3 paginator, largest path alone (s)": floor_s,
            "drift SSM calls (1,080 parameters)": float(ssm_calls),
        }
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

            start = time.perf_counter()
            cli()
            figures["AWS CLI, same reads in sequence (s)"] = time.perf_counter() - start
            figures["drift / AWS CLI"] = drift_s / figures["AWS CLI, same reads in sequence (s)"]
        figures["drift / boto3 floor"] = drift_s / floor_s
        for name, value in figures.items():
            print(f"  {name:<42} {value:.2f}")
    finally:
        proxy.stop()
        server.stop()


if __name__ == "__main__":
    main()
