"""SSM Parameter Store: one parameter per key under the source's `path`; a secret is a
SecureString."""

from __future__ import annotations

from typing import Any

from drift.platform.aws import AwsTarget, aws_errors
from drift.settings import EnvironmentConfig, SourceConfig
from drift.stores import Fix, Store, Target, quote, region


class SsmStore(Store):
    kind = "ssm"

    @classmethod
    def held(cls, name: str, key: str, secret: bool) -> Target | None:
        return Target(cls.kind, name, secret)

    @classmethod
    def new(cls, source: SourceConfig, key: str, secret: bool) -> Target | None:
        return Target(cls.kind, f"{str(source.options['path']).rstrip('/')}/{key}", secret)

    @classmethod
    def owns(cls, source: SourceConfig, name: str, key: str) -> bool:
        prefix = str(source.options.get("path", "")).rstrip("/") + "/"
        return name.startswith(prefix) and name[len(prefix) :].replace("/", "_") == key

    def _client(self) -> Any:
        options = next((s.options for s in self.env.sources if s.type == self.kind), {})
        return self.place.pool.client(self.kind, AwsTarget.of(options, self.env.settings.get("aws", {})))

    def read(self, name: str, key: str) -> tuple[str | None, str | None]:
        with aws_errors(f"reading {name}"):
            client = self._client()
            try:
                found = client.get_parameter(Name=name, WithDecryption=True)["Parameter"]
            except client.exceptions.ParameterNotFound:
                return None, None
        return str(found["Value"]), str(found.get("Version"))

    def write(self, name: str, key: str, value: str | None, secure: bool) -> None:
        with aws_errors(f"writing {name}"):
            client = self._client()
            if value is None:
                client.delete_parameter(Name=name)
            else:
                kind = "SecureString" if secure else "String"
                client.put_parameter(Name=name, Value=value, Type=kind, Overwrite=True)

    @classmethod
    def set_command(cls, env: EnvironmentConfig, target: Target, key: str, fix: Fix, syncable: bool) -> str | None:
        shown = quote(fix.printable) if fix.printable is not None else f'"${key}"'
        kind = "SecureString" if target.secure else "String"
        where = f"--name {quote(target.name)} --type {kind} --overwrite{region(env)}"
        return f"aws ssm put-parameter {where} --value {shown}"

    @classmethod
    def remove_command(cls, env: EnvironmentConfig, target: Target) -> str:
        return f"aws ssm delete-parameter --name {quote(target.name)}{region(env)}"

    @classmethod
    def secure_command(cls, env: EnvironmentConfig, target: Target) -> str | None:
        name, where = quote(target.name), region(env)
        return (
            f"aws ssm put-parameter --name {name} --type SecureString --overwrite{where} --value "
            f'"$(aws ssm get-parameter --name {name}{where} --query Parameter.Value --output text)"'
        )
