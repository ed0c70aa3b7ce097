"""The `secretsmanager` source: one secret (`secret_id`) or every secret under `name_prefix`.

A JSON object secret becomes one key per member; a plain-string secret is one key, named by
`key` (for `secret_id`) or by the last segment of its name (under `name_prefix`). Values are
read with BatchGetSecretValue, 20 at a time.
"""

from __future__ import annotations

from typing import Any, ClassVar

from drift.collectors.aws.base import AWS_OPTIONS, AwsCollector
from drift.collectors.base import CollectorError, Option, SourceConfig, SourceData
from drift.collectors.parsers import json_object, json_text
from drift.model import Entry
from drift.platform.aws import aws_errors, iso

BATCH = 20
LIST_PAGE = 100


class SecretsManagerCollector(AwsCollector):
    """GetSecretValue for one secret, ListSecrets + BatchGetSecretValue for a prefix."""

    kind: ClassVar[str] = "secretsmanager"
    options: ClassVar[dict[str, Option]] = {
        "secret_id": Option((str,), help="name or ARN of one secret"),
        "name_prefix": Option((str,), help="read every secret whose name starts with this"),
        "key": Option((str,), help="the key a plain-string secret_id becomes"),
        **AWS_OPTIONS,
    }

    @classmethod
    def namespaces(cls, source: SourceConfig) -> tuple[str, ...]:
        scope = source.options.get("secret_id") or source.options.get("name_prefix")
        return (f"secretsmanager:{scope}",) if scope else ()

    def name(self) -> str:
        if "secret_id" in self.source.options:
            return f"secretsmanager:{self.source.options['secret_id']}"
        return f"secretsmanager:{self.source.options.get('name_prefix', '')}*"

    def collect(self) -> SourceData:
        options = self.source.options
        if ("secret_id" in options) == ("name_prefix" in options):
            raise CollectorError("set exactly one of secret_id and name_prefix")
        client = self.client("secretsmanager")
        if "secret_id" in options:
            with aws_errors("reading the secret"):
                secret = client.get_secret_value(SecretId=options["secret_id"])
            return SourceData(self._entries(secret, options.get("key"), {}))
        return SourceData(self._prefix(client, str(options["name_prefix"])))

    def _prefix(self, client: Any, prefix: str) -> list[Entry]:
        listed: list[dict[str, Any]] = []
        with aws_errors("listing secrets"):
            for page in client.get_paginator("list_secrets").paginate(
                Filters=[{"Key": "name", "Values": [prefix]}],
                PaginationConfig={"PageSize": LIST_PAGE},
            ):
                self.tally.add(requests=1)
                listed += (s for s in page.get("SecretList", []) if str(s.get("Name", "")).startswith(prefix))
        entries: list[Entry] = []
        for start in range(0, len(listed), BATCH):
            batch = {s["ARN"]: s for s in listed[start : start + BATCH]}
            with aws_errors("reading secrets"):
                answer = client.batch_get_secret_value(SecretIdList=list(batch))
            self.tally.add(len(answer.get("SecretValues", [])), requests=1)
            if answer.get("Errors"):
                codes = sorted({str(e.get("ErrorCode")) for e in answer["Errors"]})
                raise CollectorError(f"{len(answer['Errors'])} secrets unreadable ({', '.join(codes)})")
            for secret in answer.get("SecretValues", []):
                listing = batch.get(secret["ARN"], {})
                name = str(secret["Name"])
                entries.extend(self._entries(secret, name.rsplit("/", 1)[-1], listing))
        return entries

    def _entries(self, secret: dict[str, Any], plain_key: str | None, listing: dict[str, Any]) -> list[Entry]:
        name = str(secret.get("Name"))
        if "SecretString" not in secret:
            raise CollectorError(f"secret {name} is binary; drift reads string secrets")
        text = str(secret["SecretString"])
        changed = [d for d in (listing.get("LastChangedDate"), listing.get("LastRotatedDate")) if d]
        metadata = {
            "secret": name,
            "version": secret.get("VersionId"),
            "last_changed": iso(max(changed)) if changed else iso(secret.get("CreatedDate")),
            "last_rotated": iso(listing.get("LastRotatedDate")),
        }
        arn = str(secret.get("ARN") or name)
        members = None if plain_key and "secret_id" in self.source.options else json_object(text)
        if members is None:
            if not plain_key:
                raise CollectorError(f'secret {name} is not a JSON object; set key = "NAME" for a plain string')
            pairs: list[tuple[str, str | None]] = [(plain_key, text)]
        else:
            pairs = [(key, json_text(value)) for key, value in members.items()]
        return [
            Entry(
                key,
                value,
                f"secretsmanager:{name}",
                arn,
                store_secret=True,
                plaintext_store=False,
                metadata=dict(metadata),
            )
            for key, value in pairs
        ]
