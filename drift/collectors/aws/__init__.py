"""AWS collectors (SSM, Secrets Manager, ECS, Lambda); boto3 is imported only when they run."""

from __future__ import annotations

from drift.collectors.base import Collector

AWS_COLLECTORS: tuple[type[Collector], ...] = ()
