"""What the code rules (`used-undeclared`, `declared-unused`, `used-missing`) share: the
code's reads grouped by key, and the keys well-known libraries read themselves."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from drift.engine.rule import RuleContext
from drift.model import CodeRead

#: Keys libraries and runtimes read on their own, so the application's code never names
#: them: not `declared-unused`.
LIBRARY_KEYS = (
    "NODE_ENV", "PORT", "HOST", "HOSTNAME", "TZ", "DEBUG", "NODE_OPTIONS",
    "DATABASE_URL", "SHADOW_DATABASE_URL", "DIRECT_URL", "PRISMA_*",  # Prisma
    "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_PROFILE", "AWS_ENDPOINT_URL",  # the AWS SDKs
    "NEXTAUTH_URL", "NEXTAUTH_SECRET", "AUTH_SECRET", "AUTH_URL",  # NextAuth / Auth.js
    "NEXT_TELEMETRY_DISABLED", "NEXT_PUBLIC_*",  # Next.js inlines NEXT_PUBLIC_ at build time
    "SENTRY_DSN", "SENTRY_ENVIRONMENT", "SENTRY_RELEASE", "SENTRY_AUTH_TOKEN",  # Sentry
    "OTEL_*",  # OpenTelemetry
    "PYTHON*", "DJANGO_SETTINGS_MODULE", "GOOGLE_APPLICATION_CREDENTIALS",
)  # fmt: skip


def by_key(context: RuleContext, changed_only: bool = False) -> dict[str, list[CodeRead]]:
    """Every read with a key, by key, in file order; empty when no `[code]` was scanned.
    `changed_only`: with `--changed-since`, only the reads on added lines."""
    found: dict[str, list[CodeRead]] = {}
    state = context.engine
    reads = state.changed if changed_only and state is not None and state.changed is not None else _reads(context)
    for read in reads:
        if read.key is not None:
            found.setdefault(read.key, []).append(read)
    return found


def scanned(context: RuleContext) -> bool:
    """Whether the project's code was scanned at all (the code rules say nothing otherwise)."""
    return context.engine is not None and context.engine.code is not None


def read_by_library(key: str, extra: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(key, pattern) for pattern in (*LIBRARY_KEYS, *extra))


def _reads(context: RuleContext) -> Sequence[CodeRead]:
    state = context.engine
    return state.code if state is not None and state.code is not None else ()
