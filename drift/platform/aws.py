"""AWS sessions, clients and error mapping for the AWS collectors: the only place that
knows how drift talks to AWS (ScoutSuite's "facade").

boto3 and botocore are imported inside functions, never at module level, so the local check
path never pays for them. One botocore session per profile and per assumed role for a whole scan,
sharing one loader of the service models, with assumed-role
credentials that refresh themselves; clients with the adaptive retry mode, a bounded number
of attempts and connect / read timeouts so an unreachable endpoint is given up in seconds.
Sessions live in a SessionPool made per scan: no module-level client caches.

SSM's requests are paced per account and region (a Pacer shared by the scan's SSM clients),
so that a scan reading several large paths in parallel stays inside SSM's default throughput
instead of relying on throttling errors and retries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from drift.errors import CollectorError

DEFAULT_MAX_ATTEMPTS = 4
CONNECT_TIMEOUT = 3
READ_TIMEOUT = 10
#: The throughput a scan stays inside, per account and region, in requests per second: SSM's
#: default for the parameter reads (GetParameters, GetParametersByPath, DescribeParameters)
#: is 40 transactions per second.
PACED = {"ssm": 40.0}
#: The pacer sends at this share of the throughput: requests leave evenly spaced but arrive
#: with some jitter, and two that arrive closer than they left must not make 41 in a second.
HEADROOM = 0.9


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


class Pacer:
    """Spaces request starts evenly across threads, at HEADROOM of `rate` a second, so no
    window of one second holds more than `rate` of them as they arrive (retries included:
    they are requests)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / (rate * HEADROOM)
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self, **_: Any) -> None:
        """Block until this request may start (a botocore `before-send` handler)."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)  # pacing requests to the service's throughput, not a retry


class SessionPool:
    """One botocore session per profile and per role it assumes for the life of one scan, all sharing
    one loader of AWS's service models: a session of its own loads and keeps its own copy (the
    SSM model alone is megabytes of JSON), so an organisation of 150 accounts and regions took
    3 GB and a minute of parsing before it shared one (benchmarks/shards.py)."""

    def __init__(self) -> None:
        #: (profile, role, endpoint) -> session; (profile, None, None) is the profile's own
        self._sessions: dict[tuple[str | None, str | None, str | None], Any] = {}
        self._loader: Any = None
        self._clients: dict[tuple[str, AwsTarget], Any] = {}
        self._pacers: dict[tuple[str, str | None, str | None, str | None, str | None], Pacer] = {}
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
            created = session.create_client(
                service, region_name=target.region, endpoint_url=target.endpoint_url, config=client_config(target)
            )
        with self._lock:
            found = self._clients.setdefault(key, created)
            if found is created and service in PACED:
                # one pacer per account and region (as near as the target tells them apart)
                account = (service, target.region, target.endpoint_url, target.profile, target.role_arn)
                pacer = self._pacers.setdefault(account, Pacer(PACED[service]))
                created.meta.events.register("before-send", pacer.wait)
            return found

    def _session(self, target: AwsTarget) -> Any:
        """The session of the target's profile, or of the role it assumes through it: one per
        role, whatever the region (clients are made per region), so one AssumeRole a role."""
        with self._lock:
            with aws_errors("creating the AWS session"):
                base = self._sessions.get((target.profile, None, None))
                if base is None:
                    from botocore.loaders import create_loader

                    self._loader = self._loader or create_loader()
                    base = self._sessions[(target.profile, None, None)] = _base_session(target, self._loader)
                role = target.role_arn
                if not role:
                    return base
                session = self._sessions.get((target.profile, role, target.endpoint_url))
                if session is None:
                    session = _role_session(target, role, base, self._loader)
                    self._sessions[(target.profile, role, target.endpoint_url)] = session
            return session


def client_config(target: AwsTarget) -> Any:
    """Retries (adaptive by default, bounded attempts) and timeouts for every client."""
    from botocore.config import Config

    retries: Any = {"mode": target.retry_mode, "total_max_attempts": target.max_attempts}
    return Config(retries=retries, connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT, max_pool_connections=32)


def _base_session(target: AwsTarget, loader: Any) -> Any:
    """The botocore session of the target's profile, with the pool's model loader."""
    import botocore.session

    base = botocore.session.Session(profile=target.profile)
    base.register_component("data_loader", loader)
    return base


def _role_session(target: AwsTarget, role: str, base: Any, loader: Any) -> Any:
    """A botocore session whose credentials assume the target's role with the profile's."""
    import botocore.session
    from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials

    source = base.get_credentials()
    if source is None:
        raise CollectorError("no AWS credentials to assume the role with")

    def sts_client(service: str, **kwargs: Any) -> Any:
        kwargs.setdefault("region_name", target.region)
        kwargs.setdefault("endpoint_url", target.endpoint_url)
        kwargs.setdefault("config", client_config(target))
        return base.create_client(service, **kwargs)

    fetcher = AssumeRoleCredentialFetcher(
        client_creator=sts_client,
        source_credentials=source,
        role_arn=role,
        extra_args={"RoleSessionName": "drift"},
    )
    core = botocore.session.Session()
    core.register_component("data_loader", loader)
    core._credentials = DeferredRefreshableCredentials(  # type: ignore[attr-defined]
        method="assume-role", refresh_using=fetcher.fetch_credentials
    )
    if base.get_config_variable("region"):
        core.set_config_variable("region", base.get_config_variable("region"))
    return core


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
