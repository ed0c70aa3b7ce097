"""The `ssm` source: every parameter under a path, recursively, SecureStrings decrypted."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from drift.aws import aws_errors, iso
from drift.collectors.aws.base import AWS_OPTIONS, AwsCollector
from drift.collectors.base import CollectorError, Option, SourceConfig, SourceData
from drift.model import Entry

#: GetParametersByPath's largest page: 1,000 parameters cost 100 calls.
PAGE_SIZE = 10
#: DescribeParameters' largest page (and its limit on Name filter values).
DESCRIBE_BATCH = 50


def key_for(name: str, path: str) -> str:
    """The key of a parameter: its name after `path`, leading `/` dropped, `/` turned to `_`."""
    rest = name[len(path) :] if name.startswith(path) else name
    return rest.lstrip("/").replace("/", "_")


def normalise_path(path: str) -> str:
    """`/mre/production` and `/mre/production/` name the same path."""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


class SsmCollector(AwsCollector):
    """GetParametersByPath, recursive, with decryption, at the largest page size."""

    kind: ClassVar[str] = "ssm"
    options: ClassVar[dict[str, Option]] = {
        "path": Option((str,), required=True, help="parameter path, e.g. /mre/production/"),
        **AWS_OPTIONS,
    }

    @classmethod
    def namespaces(cls, source: SourceConfig) -> tuple[str, ...]:
        return (f"ssm:{normalise_path(str(source.options['path']))}",)

    def name(self) -> str:
        return f"ssm:{normalise_path(str(self.source.options['path']))}"

    def collect(self) -> SourceData:
        path = normalise_path(str(self.source.options["path"]))
        if not path.startswith("/"):
            raise CollectorError("an SSM path starts with '/'")
        entries: list[Entry] = []
        with aws_errors("reading parameters"):
            client = self.client("ssm")
            pages = client.get_paginator("get_parameters_by_path").paginate(
                Path=path.rstrip("/") or "/",
                Recursive=True,
                WithDecryption=True,
                PaginationConfig={"PageSize": PAGE_SIZE},
            )
            for page in pages:
                for parameter in page.get("Parameters", []):
                    entries.append(self._entry(parameter, path))
        return SourceData(self._with_authors(client, entries))

    def _with_authors(self, client: Any, entries: list[Entry]) -> list[Entry]:
        """Who changed each parameter whose version moved since the last saved scan
        (DescribeParameters, 50 names a call): nothing is asked when nothing changed."""
        moved = [
            e
            for e in entries
            if self.context.previous.get(e.key, {}).get("version") not in (None, e.metadata.get("version"))
        ]
        authors: dict[str, str] = {}
        for start in range(0, len(moved), DESCRIBE_BATCH):
            names = [str(e.metadata["name"]) for e in moved[start : start + DESCRIBE_BATCH]]
            with aws_errors("describing changed parameters"):
                answer = client.describe_parameters(
                    ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": names}], MaxResults=DESCRIBE_BATCH
                )
            for parameter in answer.get("Parameters", []):
                if parameter.get("LastModifiedUser"):
                    authors[str(parameter["Name"])] = str(parameter["LastModifiedUser"])
        if not authors:
            return entries
        return [
            dataclasses.replace(e, metadata={**e.metadata, "changed_by": authors[e.metadata["name"]]})
            if e.metadata.get("name") in authors
            else e
            for e in entries
        ]

    def _entry(self, parameter: dict[str, object], path: str) -> Entry:
        name = str(parameter["Name"])
        kind = str(parameter.get("Type", "String"))
        return Entry(
            key=key_for(name, path),
            value=str(parameter.get("Value", "")),
            source=f"ssm:{name}",
            location=str(parameter.get("ARN") or name),
            store_secret=kind == "SecureString",
            plaintext_store=kind != "SecureString",
            metadata={
                "type": kind,
                "version": parameter.get("Version"),
                "last_changed": iso(parameter.get("LastModifiedDate")),
                "name": name,
            },
        )
