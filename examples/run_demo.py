"""`make run`: the reference example, checked twice.

1. examples/mre as committed: three dotenv environments with planted drift.
2. The same application deployed on an emulated AWS account: a local moto server
   (127.0.0.1 only) seeded from examples/mre, scanned with staging on SSM and production on
   SSM, Secrets Manager, ECS and Lambda, then stopped.

Reports go to reports/. The example drifts on purpose, so drift's exit code 1 is reported,
not treated as a failure; anything else (2, 3) fails the demo.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.aws_local import MotoServer  # noqa: E402
from examples.mre import aws_seed  # noqa: E402

MRE = ROOT / "examples" / "mre"
REPORTS = ROOT / "reports"
DEMO = REPORTS / "demo-aws"

AWS_ENVIRONMENTS = f"""
[environments.staging]
aws = {{ region = "{aws_seed.REGION}" }}
sources = [{{ type = "ssm", path = "/mre/staging/" }}]

[environments.production]
aws = {{ region = "{aws_seed.REGION}" }}
sources = [
  {{ type = "ssm", path = "/mre/production/" }},
  {{ type = "secretsmanager", secret_id = "mre/production/app" }},
  {{ type = "ecs", task_definition = "mre-web", container = "web" }},
  {{ type = "lambda", function = "mre-api" }},
]
"""


def aws_config() -> Path:
    """examples/mre/drift.toml with staging and production read from the emulated account."""
    text = (MRE / "drift.toml").read_text(encoding="utf-8")
    head, _, rest = text.partition("[environments.staging]")
    _, _, keys = rest.partition("# --- Runtime and URLs")
    head = head.replace('schema = ".env.example"', f'schema = "{(MRE / ".env.example").as_posix()}"')
    head = head.replace('path = "envs/development.env"', f'path = "{(MRE / "envs/development.env").as_posix()}"')
    DEMO.mkdir(parents=True, exist_ok=True)
    config = DEMO / "drift.toml"
    config.write_text(head + AWS_ENVIRONMENTS + "\n# --- Runtime and URLs" + keys, encoding="utf-8")
    return config


def drift(config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drift", "check", "--config", str(config), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def report(title: str, config: Path, json_name: str, env: dict[str, str] | None = None) -> int:
    print(f"=== {title}")
    terminal = drift(config, env=env)
    print(terminal.stdout, end="")
    print(terminal.stderr, end="", file=sys.stderr)
    as_json = drift(config, "--format", "json", env=env)
    (REPORTS / json_name).write_text(as_json.stdout, encoding="utf-8")
    print(f"drift exited {terminal.returncode}; wrote reports/{json_name}\n")
    return terminal.returncode


def main() -> int:
    REPORTS.mkdir(exist_ok=True)
    codes = [report("examples/mre: dotenv files", MRE / "drift.toml", "drift-report.json")]
    server = MotoServer()
    try:
        aws_env = {
            "AWS_ENDPOINT_URL": server.url,
            "AWS_ACCESS_KEY_ID": "demo",
            "AWS_SECRET_ACCESS_KEY": "demo",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }
        os.environ.update(aws_env)
        aws_seed.seed(server.url)
        codes.append(
            report(
                "examples/mre deployed on an emulated AWS account", aws_config(), "drift-report-aws.json", env=aws_env
            )
        )
    finally:
        server.stop()
    return 0 if all(code == 1 for code in codes) else 1


if __name__ == "__main__":
    sys.exit(main())
