"""What every AWS source shares: its options, its target and its clients."""

from __future__ import annotations

from typing import Any, ClassVar

from drift.collectors.base import Collector, Option
from drift.platform.aws import AwsTarget, SessionPool

AWS_OPTIONS: dict[str, Option] = {
    "region": Option((str,), help="AWS region (default: the environment's aws table, then boto3's)"),
    "profile": Option((str,), help="named profile"),
    "role_arn": Option((str,), help="role to assume for reading"),
    "endpoint_url": Option((str,), help="endpoint (default: AWS_ENDPOINT_URL, then AWS)"),
    "retry_mode": Option((str,), help="adaptive (default) or standard"),
    "max_attempts": Option((int,), help="total attempts per request (default 4)"),
}


class AwsCollector(Collector):
    """Base of the AWS collectors: reads happen on the scan's thread pool."""

    waits_on_network: ClassVar[bool] = True

    @property
    def target(self) -> AwsTarget:
        """The source's AWS options over its environment's `aws` table."""
        return AwsTarget.of(self.source.options, self.context.settings.get("aws", {}))

    def client(self, service: str) -> Any:
        """A client for `service` from the scan's session pool."""
        pool: SessionPool = self.context.resources.setdefault("aws.sessions", SessionPool())
        return pool.client(service, self.target)
