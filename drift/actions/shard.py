"""Sharding a scan over the engines teams already run (a CI matrix, a Kubernetes Indexed
Job): which environments shard I of N reads, and which run the shards belong to.

The split is a hash of what `[drift] shard_by` keeps together (the environment's name, or its
AWS account and region), never of the configured order: adding or moving an environment
moves only that one. I is taken modulo N, so shards numbered from 1 (a matrix of 1..N) and
from 0 (Kubernetes' `JOB_COMPLETION_INDEX`) are the same N shards.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from typing import NamedTuple

from drift.config import Project
from drift.errors import ConfigError
from drift.history.shards import MAX_SHARDS
from drift.settings import EnvironmentConfig

#: Where a CI system says which run this is, in the order asked: drift's own, GitHub Actions,
#: GitLab CI, Buildkite, CircleCI, Jenkins (`BUILD_TAG` is `jenkins-JOB-NUMBER`), and a
#: Kubernetes Job's name passed down by the recipe.
RUN_VARIABLES = (
    "DRIFT_RUN_ID",
    "GITHUB_RUN_ID",
    "CI_PIPELINE_ID",
    "BUILDKITE_BUILD_ID",
    "CIRCLE_WORKFLOW_ID",
    "BUILD_TAG",
    "JOB_NAME",
)


class Shard(NamedTuple):
    """Shard `number` (1..`total`) of `total`."""

    number: int
    total: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`I/N`, I from 0 or 1 (0 is shard N)."""
        number, slash, total = text.partition("/")
        if not slash or not number.strip().isdigit() or not total.strip().isdigit():
            raise ConfigError(f"--shard {text!r}: write I/N, e.g. 1/8 (or 0/8: I counts from 0 or 1)")
        index, count = int(number), int(total)
        if not 1 <= count <= MAX_SHARDS or index > count:
            raise ConfigError(f"--shard {text!r}: N must be 1 to {MAX_SHARDS}, and I at most N")
        return cls(index % count or count, count)

    def __str__(self) -> str:
        return f"{self.number}/{self.total}"


def run_id(given: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """`--run`, else the CI's run id; a ConfigError naming the variables when there is none."""
    if given:
        return given
    for name in RUN_VARIABLES:
        if environ.get(name):
            return environ[name]
    raise ConfigError(f"no run id: pass --run ID (or set one of {', '.join(RUN_VARIABLES)})")


def members(project: Project, shard: Shard) -> list[str]:
    """The environments shard `shard` reads, in configured order."""
    return [
        name
        for name, env in project.environments.items()
        if _slot(_group(env, project.shard_by), shard.total) == shard.number
    ]


def _slot(group: str, total: int) -> int:
    number = int.from_bytes(hashlib.sha256(group.encode("utf-8", "surrogatepass")).digest()[:8], "big")
    return number % total + 1


def _group(env: EnvironmentConfig, by: str) -> str:
    """What is kept in one shard: the environment, or (by account) the AWS account and
    region its sources read, from the environment's `aws` table or its first AWS source."""
    if by != "account":
        return f"environment:{env.name}"
    found: dict[str, str] = {}
    for options in (env.settings.get("aws", {}), *(s.options for s in env.sources)):
        for field in ("role_arn", "profile", "region", "endpoint_url"):
            value = options.get(field)
            if isinstance(value, str) and value and field not in found:
                found[field] = value
    if not found:
        return f"environment:{env.name}"
    role = found.get("role_arn", "")
    account = role.split(":")[4] if role.count(":") >= 5 else found.get("profile", "")
    return f"account:{account}/{found.get('region', '')}/{found.get('endpoint_url', '')}"
