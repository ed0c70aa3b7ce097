"""Resolving ECS `secrets` references (valueFrom) to check that they exist.

A valueFrom is an SSM parameter (name or ARN) or a Secrets Manager ARN, optionally with a
JSON key (`arn:...:secret:NAME-AbCdEf:json-key:stage:version`). Values are resolved in
batches (GetParameters takes 10 names, BatchGetSecretValue 20 ids) so they can be
fingerprinted; they are masked everywhere. A reference that does not resolve is dangling.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from drift.collectors.parsers import json_object, json_text
from drift.platform.aws import aws_errors, iso

SSM_BATCH = 10
SECRETS_BATCH = 20


@dataclass(frozen=True)
class Reference:
    """One `secrets` entry of a container: the key and where its value lives."""

    key: str
    value_from: str

    @property
    def is_secrets_manager(self) -> bool:
        return self.value_from.startswith("arn:") and ":secretsmanager:" in self.value_from

    @property
    def secret_id(self) -> str:
        """The secret's ARN without the JSON key / stage / version suffix."""
        return ":".join(self.value_from.split(":")[:7])

    @property
    def json_key(self) -> str | None:
        parts = self.value_from.split(":")
        return parts[7] if len(parts) > 7 and parts[7] else None

    @property
    def parameter_name(self) -> str:
        """The SSM parameter's name (ARNs carry it after `parameter`)."""
        if not self.value_from.startswith("arn:"):
            return self.value_from
        rest = self.value_from.split(":", 5)[5].removeprefix("parameter")
        return rest if "/" in rest[1:] else rest.lstrip("/")


@dataclass(frozen=True)
class Resolved:
    """A reference that exists: its value (kept in memory only) and where it points."""

    value: str
    target: str
    metadata: dict[str, Any]


def resolve(ssm: Any, secrets: Any, references: list[Reference]) -> dict[str, Resolved]:
    """Resolved references by key; a key absent from the result is dangling."""
    found: dict[str, Resolved] = {}
    parameters = [r for r in references if not r.is_secrets_manager]
    by_name: dict[str, list[Reference]] = {}
    for ref in parameters:
        by_name.setdefault(ref.parameter_name, []).append(ref)
    names = list(by_name)
    for start in range(0, len(names), SSM_BATCH):
        with aws_errors("resolving SSM references"):
            answer = ssm.get_parameters(Names=names[start : start + SSM_BATCH], WithDecryption=True)
        for parameter in answer.get("Parameters", []):
            name = str(parameter["Name"])
            for ref in by_name.get(name, []):
                found[ref.key] = Resolved(
                    str(parameter.get("Value", "")),
                    f"ssm:{name}",
                    {
                        "type": parameter.get("Type"),
                        "version": parameter.get("Version"),
                        "last_changed": iso(parameter.get("LastModifiedDate")),
                    },
                )
    in_manager = [r for r in references if r.is_secrets_manager]
    ids = list(dict.fromkeys(r.secret_id for r in in_manager))
    values: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), SECRETS_BATCH):
        with aws_errors("resolving Secrets Manager references"):
            answer = secrets.batch_get_secret_value(SecretIdList=ids[start : start + SECRETS_BATCH])
        for secret in answer.get("SecretValues", []):
            values[str(secret["ARN"])] = secret
    for ref in in_manager:
        secret = values.get(ref.secret_id) or next(
            (s for arn, s in values.items() if arn.startswith(ref.secret_id)), None
        )
        if secret is None or "SecretString" not in secret:
            continue
        text = str(secret["SecretString"])
        if ref.json_key is not None:
            members = json_object(text)
            if members is None or ref.json_key not in members:
                continue
            member = json_text(members[ref.json_key])
            if member is None:  # null holds no value: the reference resolves to nothing
                continue
            text = member
        found[ref.key] = Resolved(
            text,
            f"secretsmanager:{secret['Name']}",
            {"version": secret.get("VersionId"), "last_changed": iso(secret.get("CreatedDate"))},
        )
    return found
