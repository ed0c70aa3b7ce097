"""boto3 sessions, clients and error mapping for the AWS collectors: the only place that
knows how drift talks to AWS (ScoutSuite's "facade").

boto3 is imported inside functions, never at module level, so the local check path never
pays for it. One session per (profile, role, region) for a whole scan, with assumed-role
credentials that refresh themselves; clients with the adaptive retry mode, a bounded number
of attempts and connect / read timeouts so an unreachable endpoint is given up in seconds.
Sessions live in a SessionPool made per scan: no module-level client caches.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drift.errors import CollectorError

if TYPE_CHECKING:
    import boto3

DEFAULT_MAX_ATTEMPTS = 4
CONNECT_TIMEOUT = 3
READ_TIMEOUT = 10


@dataclass(frozen=True)
class AwsTarget:
    """Where and as whom a source reads: its own options over the environment's `aws` table."""

    region: str | None
    profile: str | None
    role_arn: str | None
    endpoint_url: str | None
    retry_mode: str
    max_attempts: int

    @classmethod
    def of(cls, options: Mapping[str, Any], defaults: Mapping[str, Any]) -> AwsTarget:
        def pick(name: str) -> Any:
            return options.get(name, defaults.get(name))

        return cls(
            region=pick("region"),
            profile=pick("profile"),
            role_arn=pick("role_arn"),
            endpoint_url=pick("endpoint_url"),
            retry_mode=pick("retry_mode") or "adaptive",
            max_attempts=int(pick("max_attempts") or DEFAULT_MAX_ATTEMPTS),
        )


class SessionPool:
    """One boto3 session per (profile, role, region) for the life of one scan."""

    def __init__(self) -> None:
        self._sessions: dict[tuple[str | None, str | None, str | None, str | None], boto3.Session] = {}
        self._clients: dict[tuple[str, AwsTarget], Any] = {}
        self._lock = threading.Lock()

    def client(self, service: str, target: AwsTarget) -> Any:
        """A client for `service` with drift's retry and timeout settings, shared by every
        source of the scan with the same target (boto3 clients are thread-safe; creating one
        costs tens of milliseconds)."""
        key = (service, target)
        with self._lock:
            found = self._clients.get(key)
        if found is not None:
            return found
        session: Any = self._session(target)
        with aws_errors(f"creating the {service} client"):
            created = session.client(service, endpoint_url=target.endpoint_url, config=client_config(target))
        with self._lock:
            return self._clients.setdefault(key, created)

    def _session(self, target: AwsTarget) -> boto3.Session:
        key = (target.profile, target.role_arn, target.region, target.endpoint_url)
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                with aws_errors("creating the AWS session"):
                    session = _make_session(target)
                self._sessions[key] = session
            return session


def client_config(target: AwsTarget) -> Any:
    """Retries (adaptive by default, bounded attempts) and timeouts for every client."""
    from botocore.config import Config

    retries: Any = {"mode": target.retry_mode, "total_max_attempts": target.max_attempts}
    return Config(retries=retries, connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT, max_pool_connections=32)


def _make_session(target: AwsTarget) -> boto3.Session:
    import boto3
    import botocore.session
    from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials

    base = boto3.Session(profile_name=target.profile, region_name=target.region)
    if not target.role_arn:
        return base
    source = base.get_credentials()
    if source is None:
        raise CollectorError("no AWS credentials to assume the role with")

    def sts_client(service: str, **kwargs: Any) -> Any:
        kwargs.setdefault("endpoint_url", target.endpoint_url)
        kwargs.setdefault("config", client_config(target))
        return base.client(service, **kwargs)  # type: ignore[call-overload]

    fetcher = AssumeRoleCredentialFetcher(
        client_creator=sts_client,
        source_credentials=source,
        role_arn=target.role_arn,
        extra_args={"RoleSessionName": "drift"},
    )
    core = botocore.session.Session()
    core._credentials = DeferredRefreshableCredentials(  # type: ignore[attr-defined]
        method="assume-role", refresh_using=fetcher.fetch_credentials
    )
    return boto3.Session(botocore_session=core, region_name=target.region or base.region_name)


@contextmanager
def aws_errors(doing: str) -> Iterator[None]:
    """Turn botocore's exceptions into a CollectorError naming the AWS error code.

    The message is drift's own words plus the code, never AWS's message text, which may
    quote request parameters.
    """
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectionError,
        NoCredentialsError,
        NoRegionError,
        ParamValidationError,
        PartialCredentialsError,
    )

    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = error.get("Code") or "UnknownError"
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        raise CollectorError(f"{doing}: AWS error {code}" + (f" (HTTP {status})" if status else "")) from None
    except (NoCredentialsError, PartialCredentialsError):
        raise CollectorError(f"{doing}: no AWS credentials found") from None
    except NoRegionError:
        raise CollectorError(f"{doing}: no AWS region (set region in the source or environment)") from None
    except ConnectionError as exc:
        raise CollectorError(f"{doing}: endpoint unreachable ({type(exc).__name__})") from None
    except ParamValidationError:
        raise CollectorError(f"{doing}: invalid request parameters (check the source's options)") from None
    except BotoCoreError as exc:
        raise CollectorError(f"{doing}: {type(exc).__name__}") from None


def iso(value: Any) -> str | None:
    """A datetime from boto3 as ISO 8601 text (JSON- and history-friendly)."""
    return value.isoformat() if hasattr(value, "isoformat") else None
