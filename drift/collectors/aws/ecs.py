"""The `ecs` source: one container of a task definition (its latest ACTIVE revision, or the
revision of a service's PRIMARY deployment): `environmentFiles`, `environment` and
`secrets`, in ECS's own order of precedence."""

from __future__ import annotations

from typing import Any, ClassVar

from drift.collectors.aws.base import AWS_OPTIONS, AwsCollector
from drift.collectors.aws.references import Reference, resolve
from drift.collectors.base import CollectorError, Option, SourceData
from drift.collectors.parsers import read_env_text
from drift.model import Entry, Problem
from drift.platform.aws import aws_errors

#: Larger environment files are refused rather than read into memory whole.
MAX_ENVIRONMENT_FILE = 5 * 1024 * 1024


class EcsCollector(AwsCollector):
    """DescribeTaskDefinition (via DescribeServices for a service), then references resolved."""

    kind: ClassVar[str] = "ecs"
    options: ClassVar[dict[str, Option]] = {
        "task_definition": Option((str,), help="family, family:revision or ARN (latest ACTIVE revision)"),
        "cluster": Option((str,), help="with service: read the PRIMARY deployment's task definition"),
        "service": Option((str,), help="the service in cluster"),
        "container": Option((str,), help="container name (optional when there is one container)"),
        "dialect": Option((str,), help="how environment files on S3 are read (default: [drift] dialect)"),
        **AWS_OPTIONS,
    }

    def name(self) -> str:
        options = self.source.options
        where = options.get("task_definition") or f"{options.get('cluster')}/{options.get('service')}"
        container = options.get("container")
        return f"ecs:{where}" + (f"#{container}" if container else "")

    def collect(self) -> SourceData:
        ecs = self.client("ecs")
        definition = self._task_definition(ecs)
        container = self._container(definition)
        arn = str(definition["taskDefinitionArn"])
        metadata = {"revision": definition.get("revision"), "task_definition": arn}
        entries: list[Entry] = []
        problems: list[Problem] = []
        malformed = False
        for file in container.get("environmentFiles", []):
            read = self._environment_file(str(file.get("value", "")), metadata)
            entries.extend(read.entries)
            problems.extend(read.problems)
            malformed = malformed or read.malformed
        for variable in container.get("environment", []):
            entries.append(
                Entry(
                    str(variable["name"]),
                    str(variable.get("value", "")),
                    f"ecs:{arn}",
                    arn,
                    plaintext_store=True,
                    metadata=dict(metadata),
                )
            )
        references = [Reference(str(s["name"]), str(s["valueFrom"])) for s in container.get("secrets", [])]
        if references:
            resolved = resolve(self.client("ssm"), self.client("secretsmanager"), references)
            for ref in references:
                found = resolved.get(ref.key)
                if found is None:
                    problems.append(
                        Problem(
                            "unresolved-reference",
                            ref.key,
                            f"{ref.key} in {self.name()} references {ref.value_from}, which does not exist",
                            arn,
                            discriminator=self.name(),
                        )
                    )
                    entries.append(
                        Entry(
                            ref.key,
                            None,
                            f"ecs:{arn}",
                            arn,
                            store_secret=True,
                            plaintext_store=False,
                            metadata={**metadata, "reference": ref.value_from},
                        )
                    )
                    continue
                entries.append(
                    Entry(
                        ref.key,
                        found.value,
                        f"ecs:{arn}",
                        arn,
                        store_secret=True,
                        plaintext_store=False,
                        metadata={**metadata, **found.metadata, "reference": found.target},
                    )
                )
        return SourceData(entries, problems, malformed, facts={"settings:ecs": _settings(definition)})

    def _task_definition(self, ecs: Any) -> dict[str, Any]:
        options = self.source.options
        family = options.get("task_definition")
        if family is None:
            if not (options.get("cluster") and options.get("service")):
                raise CollectorError("set task_definition, or cluster and service")
            with aws_errors("describing the service"):
                answer = ecs.describe_services(cluster=options["cluster"], services=[options["service"]])
            services = answer.get("services", [])
            if not services:
                raise CollectorError("service not found")
            primary = [d for d in services[0].get("deployments", []) if d.get("status") == "PRIMARY"]
            family = (primary[0] if primary else services[0]).get("taskDefinition")
            if not family:
                raise CollectorError("the service has no task definition")
        with aws_errors("describing the task definition"):
            return dict(ecs.describe_task_definition(taskDefinition=family)["taskDefinition"])

    def _container(self, definition: dict[str, Any]) -> dict[str, Any]:
        containers = definition.get("containerDefinitions", [])
        wanted = self.source.options.get("container")
        if wanted is None:
            if len(containers) != 1:
                names = ", ".join(str(c.get("name")) for c in containers)
                raise CollectorError(f"set container (one of: {names})")
            return dict(containers[0])
        for container in containers:
            if container.get("name") == wanted:
                return dict(container)
        raise CollectorError(f"no container named {wanted!r} in the task definition")

    def _environment_file(self, arn: str, metadata: dict[str, Any]) -> SourceData:
        """An S3 environment file (`arn:aws:s3:::bucket/key.env`), read by the same dotenv
        reader as files, so a bad line is `malformed` and the environment partial."""
        if not arn.startswith("arn:aws:s3:::") or "/" not in arn:
            raise CollectorError(f"environment file {arn} is not an S3 object ARN")
        bucket, _, key = arn.removeprefix("arn:aws:s3:::").partition("/")
        shown = f"s3://{bucket}/{key}"
        with aws_errors(f"reading environment file {shown}"):
            body = self.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read(MAX_ENVIRONMENT_FILE + 1)
        if len(body) > MAX_ENVIRONMENT_FILE:
            raise CollectorError(f"environment file {shown} is over the {MAX_ENVIRONMENT_FILE:,}-byte limit")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise CollectorError(f"environment file {shown} is not UTF-8") from None
        dialect = str(self.source.options.get("dialect", self.context.dialect))
        read = read_env_text(text, dialect, False, shown, source=shown)
        entries = [e._replace(plaintext_store=True, metadata=dict(metadata)) for e in read.entries]
        return SourceData(entries, read.problems, read.malformed)


#: The container settings compared across environments (`settings-drift`).
CONTAINER_SETTINGS = ("image", "cpu", "memory", "memoryReservation", "healthCheck", "logConfiguration", "ulimits",
                      "portMappings", "essential")  # fmt: skip


def _settings(definition: dict[str, Any]) -> dict[str, Any]:
    """A task definition's deployment settings, containers by name (never their environment)."""
    containers = {
        str(c.get("name")): {k: c[k] for k in CONTAINER_SETTINGS if k in c}
        for c in definition.get("containerDefinitions", [])
    }
    found: dict[str, Any] = {
        k: definition[k] for k in ("cpu", "memory", "networkMode", "requiresCompatibilities") if k in definition
    }
    found["containerDefinitions"] = containers
    return found
