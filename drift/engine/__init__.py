"""The engine: schema + snapshots -> findings. Imports neither boto3, click nor jinja2."""

from drift.engine.evaluate import evaluate

__all__ = ["evaluate"]
