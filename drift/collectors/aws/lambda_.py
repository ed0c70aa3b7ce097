"""The `lambda` source: a function's environment variables (optionally of a version or alias)."""

from __future__ import annotations

from typing import ClassVar

from drift.collectors.aws.base import AWS_OPTIONS, AwsCollector
from drift.collectors.base import CollectorError, Option, SourceData
from drift.model import Entry
from drift.platform.aws import aws_errors


class LambdaCollector(AwsCollector):
    """GetFunctionConfiguration: one call, variables are plaintext to anyone who can read it."""

    kind: ClassVar[str] = "lambda"
    options: ClassVar[dict[str, Option]] = {
        "function": Option((str,), required=True, help="function name or ARN"),
        "qualifier": Option((str,), help="version or alias"),
        **AWS_OPTIONS,
    }

    def name(self) -> str:
        qualifier = self.source.options.get("qualifier")
        return f"lambda:{self.source.options['function']}" + (f":{qualifier}" if qualifier else "")

    def collect(self) -> SourceData:
        arguments = {"FunctionName": self.source.options["function"]}
        if "qualifier" in self.source.options:
            arguments["Qualifier"] = self.source.options["qualifier"]
        with aws_errors("reading the function configuration"):
            config = self.client("lambda").get_function_configuration(**arguments)
        environment = config.get("Environment", {})
        if environment.get("Error"):
            code = environment["Error"].get("ErrorCode", "Error")
            raise CollectorError(f"the environment cannot be decrypted ({code})")
        arn = str(config.get("FunctionArn"))
        metadata = {"version": config.get("Version"), "last_changed": config.get("LastModified")}
        with aws_errors("reading the function's reserved concurrency"):
            concurrency = self.client("lambda").get_function_concurrency(FunctionName=self.source.options["function"])
        settings = {
            k: config[k] for k in ("Runtime", "MemorySize", "Timeout", "Architectures", "Handler") if k in config
        }
        settings["Layers"] = sorted(str(layer.get("Arn")) for layer in config.get("Layers", []))
        settings["ReservedConcurrentExecutions"] = concurrency.get("ReservedConcurrentExecutions")
        return SourceData(
            [
                Entry(key, str(value), f"lambda:{arn}", arn, plaintext_store=True, metadata=dict(metadata))
                for key, value in environment.get("Variables", {}).items()
            ],
            facts={"settings:lambda": settings},
        )
