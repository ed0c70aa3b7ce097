"""An emulated AWS organisation on moto's server, for the sharding test and benchmark: one
role per account (moto keeps each account's parameters apart, reached through
`sts:AssumeRole`), SSM parameters in each account and region, and the drift project that
scans them all (an environment per account and region, `[drift] shard_by = "account"`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: The schema every service of the organisation declares.
EXAMPLE = """\
# @same
LOG_FORMAT=json
# @type int
WORKERS=4
# @secret
DB_PASSWORD=
# @type bool
FEATURE_SEARCH=false
API_BASE_URL=https://api.internal.example
"""


def account(number: int) -> str:
    return f"{100000000000 + number:012d}"


def role(number: int) -> str:
    return f"arn:aws:iam::{account(number)}:role/drift-read"


def values(number: int, region: str) -> dict[str, str]:
    """An account-region's parameters: most agree; every seventh account logs as text
    (parity), every fifth region pair shares its password with the next account
    (secret-reuse), every eleventh lacks WORKERS (missing)."""
    found = {
        "LOG_FORMAT": "text" if number % 7 == 3 else "json",
        "WORKERS": str(4 + number % 3),
        "DB_PASSWORD": f"pw-{number // 2 if number % 5 == 0 else number}-{region}-Xq81Lm2W",
        "FEATURE_SEARCH": "true" if region.startswith("eu") else "false",
        "API_BASE_URL": f"https://api.{region}.internal.example",
    }
    if number % 11 == 4:
        del found["WORKERS"]
    return found


def seed(endpoint: str, accounts: int, regions: tuple[str, ...]) -> None:
    """Every account's parameters in every region, written through an assumed role."""
    import boto3

    sts: Any = boto3.client("sts", region_name=regions[0], endpoint_url=endpoint)
    for number in range(accounts):
        credentials = sts.assume_role(RoleArn=role(number), RoleSessionName="seed")["Credentials"]
        for region in regions:
            ssm: Any = boto3.client(
                "ssm",
                region_name=region,
                endpoint_url=endpoint,
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials["SessionToken"],
            )
            for key, value in values(number, region).items():
                kind = "SecureString" if key == "DB_PASSWORD" else "String"
                ssm.put_parameter(Name=f"/shop/{key}", Value=value, Type=kind, Overwrite=True)


def project(root: Path, accounts: int, regions: tuple[str, ...], history: str) -> Path:
    """The project that scans the organisation: an environment per account and region."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ".env.example").write_text(EXAMPLE)
    lines = [f'[drift]\nname = "shop"\nhistory = "{history}"\nshard_by = "account"\n']
    for number in range(accounts):
        for region in regions:
            lines.append(
                f"[environments.acct-{number:02}-{region}]\n"
                f'aws = {{ region = "{region}", role_arn = "{role(number)}", retry_mode = "standard" }}\n'
                'sources = [{ type = "ssm", path = "/shop/" }]\n'
            )
    config = root / "drift.toml"
    config.write_text("".join(lines))
    return config
