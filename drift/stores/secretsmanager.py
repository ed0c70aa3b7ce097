"""Secrets Manager: a JSON secret (`secret_id`) set member by member; the target is
`secret_id#KEY`. Only secrets go here."""

from __future__ import annotations

import json
from typing import Any

from drift.errors import CollectorError
from drift.platform.aws import AwsTarget, aws_errors
from drift.settings import SourceConfig
from drift.stores import Store, Target


class SecretsManagerStore(Store):
    kind = "secretsmanager"

    @classmethod
    def held(cls, name: str, key: str, secret: bool) -> Target | None:
        return Target(cls.kind, f"{name}#{key}", True)

    @classmethod
    def new(cls, source: SourceConfig, key: str, secret: bool) -> Target | None:
        if not secret or "secret_id" not in source.options:
            return None
        return Target(cls.kind, f"{source.options['secret_id']}#{key}", True)

    @classmethod
    def owns(cls, source: SourceConfig, name: str, key: str) -> bool:
        return "secret_id" in source.options and name == f"{source.options['secret_id']}#{key}"

    def _client(self) -> Any:
        options = next((s.options for s in self.env.sources if s.type == self.kind), {})
        return self.place.pool.client(self.kind, AwsTarget.of(options, self.env.settings.get("aws", {})))

    def _members(self, secret_id: str) -> tuple[dict[str, Any], str | None]:
        with aws_errors(f"reading secret {secret_id}"):
            client = self._client()
            try:
                found = client.get_secret_value(SecretId=secret_id)
            except client.exceptions.ResourceNotFoundException:
                return {}, None
        try:
            members = json.loads(found.get("SecretString") or "{}")
        except json.JSONDecodeError:
            members = None
        if not isinstance(members, dict):
            raise CollectorError(f"secret {secret_id} is not a JSON object: drift sets JSON secrets member by member")
        return members, str(found.get("VersionId"))

    def read(self, name: str, key: str) -> tuple[str | None, str | None]:
        secret_id, _, member = name.partition("#")
        members, version = self._members(secret_id)
        value = members.get(member)
        return (None if value is None else str(value)), version

    def write(self, name: str, key: str, value: str | None, secure: bool) -> None:
        secret_id, _, member = name.partition("#")
        members, version = self._members(secret_id)
        if value is None:
            members.pop(member, None)
        else:
            members[member] = value
        with aws_errors(f"writing secret {secret_id}"):
            client = self._client()
            if version is None:
                client.create_secret(Name=secret_id, SecretString=json.dumps(members))
            else:
                client.put_secret_value(SecretId=secret_id, SecretString=json.dumps(members))
