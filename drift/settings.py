"""What the configuration says about environments and their sources, as plain data.

Apart from config.py (which reads and validates it) so that the collectors can use it
without importing the configuration reader, which imports them: the layers point one way.
"""

import fnmatch
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from drift.model import Severity

#: Options every AWS source (and an environment's `aws` table) accepts.
AWS_FIELDS = ("region", "profile", "role_arn", "endpoint_url", "retry_mode", "max_attempts")


class SourceConfig(NamedTuple):
    """One entry of an environment's `sources` list, validated."""

    type: str
    options: Mapping[str, Any]
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    #: Where it is configured, for error messages: `drift.toml: environments.prod.sources[0]`.
    where: str = ""

    def admits(self, key: str) -> bool:
        """Whether the include / exclude globs let this key through."""
        if self.include and not any(fnmatch.fnmatchcase(key, p) for p in self.include):
            return False
        return not any(fnmatch.fnmatchcase(key, p) for p in self.exclude)


class EnvironmentConfig(NamedTuple):
    """One `[environments.NAME]` table."""

    name: str
    deployed: bool
    sources: tuple[SourceConfig, ...]
    #: Settings shared by the environment's sources, by family: `{"aws": {...}}`.
    settings: Mapping[str, Mapping[str, Any]] = MappingProxyType({})

    @property
    def has_secret_store(self) -> bool:
        """Whether a source is a secret store (SSM or Secrets Manager): where `plan`, `apply`
        and the fix commands send a secret instead of a plaintext file."""
        return any(s.type in SECRET_STORES for s in self.sources)


#: Source types that keep secrets encrypted.
SECRET_STORES = ("ssm", "secretsmanager")


class Assertion(NamedTuple):
    """One `[[assert]]` table (compiled by drift.engine.assertions, only for projects that
    have one: the CEL runtime is not on the check path otherwise)."""

    name: str
    check: str
    message: str
    severity: Severity = Severity.ERROR
    when: str | None = None
    #: Environments it applies to; empty means all.
    envs: tuple[str, ...] = ()
    #: `drift.toml:LINE` of the table.
    location: str | None = None
