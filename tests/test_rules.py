"""Each rule as a table of cases: (schema, toml, environments) -> exactly these findings."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from drift.cli import main
from drift.engine import catalog
from drift.engine.evaluate import Inputs, evaluate
from drift.engine.lint import lint
from drift.engine.rule import EnvironmentView, Rule
from drift.model import (
    CodeRead,
    Entry,
    EntryRecord,
    EnvSnapshot,
    Finding,
    Migration,
    MigrationFacts,
    Problem,
    Severity,
    SourceStatus,
)
from drift.schema import KeySpec, load_schema
from drift.secrets import Fingerprinter
from tests.conftest import Project, run
from tests.helpers import Triple, make_project, scan, triples


@dataclass
class Case:
    id: str
    example: str
    envs: dict[str, str]
    expected: set[Triple]
    toml: str = ""
    deployed: dict[str, bool] = field(default_factory=dict)


SETTINGS_NAMED_LIKE_SECRETS = (
    "NEXT_PUBLIC_DISABLE_EMAIL_PASSWORD_SIGNUP=false\nPASSWORD_RESET_DISABLED=0\nPASSWORD_MIN_LENGTH=12\n"
)

CASES = [
    # --- missing / required semantics --------------------------------------------------
    Case("non-empty example is required", "A=1\n", {"production": ""}, {("missing", "production", "A")}),
    Case("empty example is optional", "A=\n", {"production": ""}, set()),
    Case(
        "empty example but secret by name is required",
        "API_TOKEN=\n",
        {"production": ""},
        {("missing", "production", "API_TOKEN")},
    ),
    Case(
        "@required makes an empty example required",
        "# @required\nA=\n",
        {"production": ""},
        {("missing", "production", "A")},
    ),
    Case("@optional relaxes", "# @optional\nA=1\n", {"production": ""}, set()),
    Case(
        "required list limits environments",
        "A=1\n",
        {"staging": "", "production": ""},
        {("missing", "production", "A")},
        toml='[keys.A]\nrequired = ["production"]\n',
    ),
    Case(
        "config-only key is required by default",
        "",
        {"production": ""},
        {("missing", "production", "B")},
        toml="[keys.B]\ntype = 'int'\n",
    ),
    Case(
        "config-only deprecated key is never required",
        "",
        {"production": ""},
        set(),
        toml="[keys.B]\ndeprecated = 'use C'\n",
    ),
    Case(
        "commented-out assignment is optional and declared", "# LOG_DIR=_logs\n", {"production": "LOG_DIR=/x\n"}, set()
    ),
    Case(
        "required_if holds: missing",
        "# @required-if TRACING=true\nEP=\nTRACING=false\n",
        {"production": "TRACING=TRUE\n"},
        {("missing", "production", "EP")},
        toml="[keys.TRACING]\ntype='bool'\n",
    ),
    Case(
        "required_if holds with typed bool 1",
        "TRACING=false\n# @required-if TRACING=true\nEP=http://x\n",
        {"production": "TRACING=1\n"},
        {("missing", "production", "EP")},
        toml="[keys.TRACING]\ntype='bool'\n",
    ),
    Case(
        "required_if not holding: optional even with example",
        "TRACING=false\n# @required-if TRACING=true\nEP=http://x\n",
        {"production": "TRACING=0\n"},
        set(),
        toml="[keys.TRACING]\ntype='bool'\n",
    ),
    Case(
        "required_if holds: empty is `empty`",
        "TRACING=false\n# @required-if TRACING=true\nEP=\n",
        {"production": "TRACING=yes\nEP=\n"},
        {("empty", "production", "EP")},
        toml="[keys.TRACING]\ntype='bool'\n",
    ),
    # --- empty ---------------------------------------------------------------------------
    Case("nonempty flags an empty value", "# @nonempty\nA=x\n", {"production": "A=\n"}, {("empty", "production", "A")}),
    Case("empty value skips type checks", "# @type int\nA=\n", {"production": "A=\n"}, set()),
    Case("required key present but empty is present", "A=1\n", {"production": "A=\n"}, set()),
    # --- invalid ------------------------------------------------------------------------
    Case(
        "int rejects underscores", "# @type int\nA=1\n", {"production": "A=1_000\n"}, {("invalid", "production", "A")}
    ),
    Case("int accepts a sign", "# @type int\nA=1\n", {"production": "A=-5\n"}, set()),
    Case("float rejects nan", "# @type float\nA=1\n", {"production": "A=nan\n"}, {("invalid", "production", "A")}),
    Case("port range", "# @type port\nA=1\n", {"production": "A=70000\n"}, {("invalid", "production", "A")}),
    Case(
        "bool", "# @type bool\nA=1\n", {"production": "A=On\n", "staging": "A=maybe\n"}, {("invalid", "staging", "A")}
    ),
    Case(
        "enum is case-sensitive",
        "# @type enum(auto,always)\nA=auto\n",
        {"production": "A=Auto\n"},
        {("invalid", "production", "A")},
    ),
    Case(
        "pattern is a full match",
        "# @pattern ^[^@]+@corp\\.com$\nA=a@corp.com\n",
        {"production": "A=a@corp.com.evil\n", "staging": "A=b@corp.com\n"},
        {("invalid", "production", "A")},
    ),
    Case(
        "url schemes",
        "# @type url(postgres,postgresql)\nA=\n",
        {"production": "A=mysql://h/db\n"},
        {("invalid", "production", "A")},
    ),
    Case(
        "min / max",
        "# @type int @min 1 @max 10\nA=5\n",
        {"production": "A=0\n", "staging": "A=11\n"},
        {("invalid", "production", "A"), ("invalid", "staging", "A")},
    ),
    Case("min-length", "# @min-length 4\nA=abcd\n", {"production": "A=abc\n"}, {("invalid", "production", "A")}),
    Case(
        "equals per environment, typed",
        "A=1\n",
        {"production": "A=yes\n", "staging": "A=0\n"},
        {("invalid", "staging", "A")},
        toml="[keys.A]\ntype='bool'\n[keys.A.env.production]\nequals='true'\n[keys.A.env.staging]\nequals='1'\n",
    ),
    Case(
        "equals does not skip empty",
        "A=\n",
        {"production": "A=\n"},
        {("invalid", "production", "A")},
        toml="[keys.A.env.production]\nequals='always'\n",
    ),
    Case(
        "glob applies, exact wins",
        "FEATURE_A=1\nFEATURE_B=x\n",
        {"production": "FEATURE_A=maybe\nFEATURE_B=x\n"},
        {("invalid", "production", "FEATURE_A")},
        toml='[keys."FEATURE_*"]\ntype="bool"\n[keys.FEATURE_B]\ntype="str"\n',
    ),
    Case(
        "duration and csv count",
        "# @type duration @max 1h\nT=5m\n# @type csv @min 2\nL=a,b\n",
        {"production": "T=2h\nL=a\n"},
        {("invalid", "production", "T"), ("invalid", "production", "L")},
    ),
    # --- undeclared / deprecated / duplicate --------------------------------------------
    Case("undeclared", "A=1\n", {"production": "A=1\nB=2\n"}, {("undeclared", "production", "B")}),
    Case(
        "deprecated",
        "# @deprecated use NEW_SETTING instead\nOLD=\nNEW_SETTING=\n",
        {"production": "OLD=1\n"},
        {("deprecated", "production", "OLD")},
    ),
    Case("duplicate in an env file", "A=a\n", {"production": "A=a\nA=b\n"}, {("duplicate", "production", "A")}),
    Case("duplicate in the example", "A=a\nA=b\n", {"production": "A=a\n"}, {("duplicate", None, "A")}),
    # --- placeholder ---------------------------------------------------------------------
    *[
        Case(f"placeholder {value!r}", "A=\n", {"production": f"A={value}\n"}, {("placeholder", "production", "A")})
        for value in [
            "change-me",
            "CHANGEME",
            "change_me",
            "TODO",
            "tbd",
            "xxx",
            "XXXXXXXX",
            "replace-me",
            "<your-key>",
            "your-api-key-here",
            "YOUR_TOKEN_HERE",
            "postgres://u:change-me@db/x",
        ]
    ],
    Case("placeholder only in deployed environments", "A=\n", {"development": "A=change-me\n"}, set()),
    Case("not a placeholder", "A=\n", {"production": "A=exchange-merge\n"}, set()),
    Case(
        "secret equal to its example",
        "API_SECRET=s3cr3t-example\n",
        {"production": "API_SECRET=s3cr3t-example\n"},
        {("placeholder", "production", "API_SECRET")},
    ),
    Case("non-secret equal to example is fine", "HOST=0.0.0.0\n", {"production": "HOST=0.0.0.0\n"}, set()),
    Case("empty never placeholder", "# @not-secret\nA=\n", {"production": "A=\n"}, set()),
    # --- local-value (issue #19) -----------------------------------------------------------
    *[
        Case(
            f"local-value {value!r}",
            "API_URL=https://api.acme.io\n",
            {"production": f"API_URL={value}\n"},
            {("local-value", "production", "API_URL")},
        )
        for value in (
            "http://localhost:4000",
            "http://127.0.0.1:4000/v1",
            "http://[::1]:8080",
            "http://0.0.0.0:3000",
            "http://host.docker.internal:5432",
            "https://api.local",
            "https://app.localhost",
        )
    ],
    Case(
        "local-value for a *_HOST",
        "DB_HOST=db\n",
        {"production": "DB_HOST=127.0.0.1\n"},
        {("local-value", "production", "DB_HOST")},
    ),
    Case(
        "a bind address is no local-value",
        "HOST=0.0.0.0\nLISTEN_ADDR=0.0.0.0:80\n",
        {"production": "HOST=0.0.0.0\nLISTEN_ADDR=127.0.0.1:80\n"},
        set(),
    ),
    Case(
        "a list with real hosts is no local-value",
        "ORIGINS=https://a.io\n",
        {"production": "ORIGINS=https://a.io,http://localhost:3000\n"},
        set(),
    ),
    Case(
        "local-value only in deployed environments",
        "API_URL=http://localhost:4000\n",
        {"development": "API_URL=http://localhost:4000\n"},
        set(),
    ),
    # --- settings named like secrets, and the example's own words (issue #19) -----------------
    Case(
        "a flag named after a password is a setting",
        SETTINGS_NAMED_LIKE_SECRETS,
        {"staging": SETTINGS_NAMED_LIKE_SECRETS, "production": SETTINGS_NAMED_LIKE_SECRETS},
        set(),
    ),
    Case(
        "secret-reuse never on a flag or a small number",
        "# @secret\nA_SECRET=\n# @secret\nB_SECRET=\n",
        {"staging": "A_SECRET=true\nB_SECRET=8080\n", "production": "A_SECRET=true\nB_SECRET=8080\n"},
        set(),
    ),
    Case(
        "strong compounds under a browser prefix",
        "NEXT_PUBLIC_API_TOKEN=\nVITE_REFRESH_TOKEN=\n",
        {"production": "NEXT_PUBLIC_API_TOKEN=x\nVITE_REFRESH_TOKEN=y\n"},
        {("secret-public", None, "NEXT_PUBLIC_API_TOKEN"), ("secret-public", None, "VITE_REFRESH_TOKEN")},
    ),
    *[
        Case(
            f"the example says optional: {block!r}",
            f"{block}\nSTRIPE_SECRET_KEY=\nSTRIPE_WEBHOOK_SECRET=\n",
            {"production": ""},
            set(),
        )
        for block in (
            "# Stripe (optional)",
            "# OPTIONAL: payments",
            "# [optional] payments",
            "# ---- Optional integrations ----\n",
            "# End-to-end tests\n",
            "# Payments\n# Not required unless you sell tickets",
        )
    ],
    Case(
        "the example says required",
        "# Required: the signing key\nSIGNING_PHRASE=\n",
        {"production": ""},
        {("missing", "production", "SIGNING_PHRASE")},
    ),
    # --- secret-public -------------------------------------------------------------------
    Case(
        "secret declared under a public prefix",
        "NEXT_PUBLIC_API_SECRET=\n",
        {"production": ""},
        {("secret-public", None, "NEXT_PUBLIC_API_SECRET"), ("missing", "production", "NEXT_PUBLIC_API_SECRET")},
    ),
    Case(
        "credential value under a public prefix",
        "VITE_STRIPE=\n",
        {"production": "VITE_STRIPE=sk_live_abcdefghijklmnop1234\n"},
        {("secret-public", "production", "VITE_STRIPE")},
    ),
    Case(
        "public DSN and publishable key are fine",
        "NEXT_PUBLIC_SENTRY_DSN=\nNEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=\n",
        {"production": "NEXT_PUBLIC_SENTRY_DSN=https://k@o1.ingest.sentry.io/1\n"},
        set(),
    ),
    # --- secret-in-example ---------------------------------------------------------------
    Case(
        "AWS key id in the example",
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
        {"production": "AWS_ACCESS_KEY_ID=x\n"},
        {("secret-in-example", None, "AWS_ACCESS_KEY_ID")},
    ),
    Case(
        "high-entropy token in the example",
        "SIGNING=Zx8Qp2Lm9Vt4Rw7Ks1Nb6Hd3Fg5Jc0Ya\n",
        {"production": "SIGNING=x\n"},
        {("secret-in-example", None, "SIGNING")},
    ),
    Case(
        "localhost URL password is fine",
        "DATABASE_URL=postgresql://u:hunter2@localhost/db\n",
        {"production": "DATABASE_URL=postgresql://u:p@db/x\n"},
        set(),
    ),
    Case(
        "words and hostnames are not tokens",
        "NAME=my_app_v2_production_2024\nU=https://api.example.com/v1/items\n",
        {"production": "NAME=a\nU=https://api.acme.io/v2/items\n"},
        set(),
    ),
    # --- parity / secret-reuse -------------------------------------------------------------
    Case("parity same, typed", "# @same @type bool\nA=1\n", {"staging": "A=true\n", "production": "A=1\n"}, set()),
    Case("parity same differs", "# @same\nA=a\n", {"staging": "A=b\n", "production": "A=a\n"}, {("parity", None, "A")}),
    Case("parity differ", "# @differ\nA=1\n", {"staging": "A=1\n", "production": "A=1\n"}, {("parity", None, "A")}),
    Case(
        "secret reuse between deployed",
        "API_KEY=\n",
        {"staging": "API_KEY=0123456789abcdef0123\n", "production": "API_KEY=0123456789abcdef0123\n"},
        {("secret-reuse", None, "API_KEY")},
    ),
    Case(
        "non-deployed environments may share",
        "API_KEY=\n",
        {"development": "API_KEY=same-local-value\n", "test": "API_KEY=same-local-value\n"},
        set(),
    ),
    Case("empty secrets are not reuse", "API_KEY=\n", {"staging": "API_KEY=\n", "production": "API_KEY=\n"}, set()),
    Case(
        "URL with password counts as secret",
        "DB=\n",
        {"staging": "DB=postgres://u:pw1@h/d\n", "production": "DB=postgres://u:pw1@h/d\n"},
        {("secret-reuse", None, "DB")},
    ),
    Case(
        "@not-secret overrides",
        "# @not-secret\nPUBLIC_TOKEN=\n",
        {"staging": "PUBLIC_TOKEN=abc\n", "production": "PUBLIC_TOKEN=abc\n"},
        set(),
    ),
    # --- malformed / duplicate -------------------------------------------------------------
    Case("malformed line", "A=1\n", {"production": "A=1\nthis is not valid\n"}, {("malformed", "production", None)}),
    Case("malformed example line", "A=1\nnot valid\n", {"production": "A=1\n"}, {("malformed", None, None)}),
    Case("duplicate assignment", "A=a\n", {"production": "A=a\nA=b\n"}, {("duplicate", "production", "A")}),
    Case("duplicate in the example", "A=a\nA=b\n", {"production": "A=a\n"}, {("duplicate", None, "A")}),
    # --- sources -----------------------------------------------------------------------------
    Case(
        "unreadable source",
        "A=1\n",
        {},
        {("source-unavailable", "production", None)},
        toml='[environments.production]\nsources = [{ type = "dotenv", path = "gone.env" }]\n',
    ),
    Case(
        "two sources disagree",
        "A=a\n",
        {"extra": "A=b\n"},
        {("source-conflict", "production", "A")},
        toml='[environments.production]\nsources = [{ type = "dotenv", path = "extra.env" }, '
        '{ type = "dotenv", path = ".env.example" }]\n',
    ),
    # --- defaults and assertions -------------------------------------------------------------
    Case(
        "an absent key falls back to its default",
        "# @default console\nMAILER=smtp\n",
        {"production": ""},
        {("default-applied", "production", "MAILER")},
    ),
    Case(
        "a required key with a default is still missing",
        "# @default x @required\nA=1\n",
        {"production": ""},
        {("missing", "production", "A")},
    ),
    Case(
        "a false assertion",
        "# @type int\nLOW=1\n# @type int\nHIGH=2\n",
        {"production": "LOW=3\nHIGH=2\n"},
        {("assertion", "production", None)},
        toml='[[assert]]\nname = "ordered"\ncheck = "LOW <= HIGH"\nmessage = "LOW must not exceed HIGH"\n',
    ),
    # --- suppressions --------------------------------------------------------------------------
    Case(
        "an expired suppression",
        "A=1\n",
        {"production": ""},
        {("missing", "production", "A"), ("suppression-expired", None, None)},
        toml='[[ignore]]\nrule = "missing"\nkey = "A"\nreason = "r"\nexpires = 2020-01-01\n',
    ),
    Case(
        "a suppression that matches nothing",
        "A=1\n",
        {"production": "A=1\n"},
        {("suppression-unused", None, None)},
        toml='[[ignore]]\nrule = "missing"\nkey = "A"\nreason = "r"\n',
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule(case: Case, tmp_path: Path) -> None:
    make_project(tmp_path, case.example, case.envs, case.toml, case.deployed)
    assert triples(scan(tmp_path)) == case.expected


NOW = datetime(2026, 11, 29, tzinfo=UTC)
NAMESPACES = {"production": ("ssm:/mre/production/",), "staging": ("ssm:/mre/staging/",)}


class Crashing(Rule):
    """A rule with a bug, to show that the engine isolates it."""

    slug = "crashing"
    severity = Severity.ERROR
    title = explanation = fix = "crashes"
    scope = "entry"

    def check_entry(self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None) -> Finding:
        raise ZeroDivisionError


@dataclass
class StoreCase:
    """A rule on what stores and history hand over (store flags, metadata, facts, previous
    entries), checked on hand-made snapshots: the engine is pure."""

    id: str
    example: str
    entries: list[Entry]
    expected: set[Triple]
    problems: tuple[Problem, ...] = ()
    previous: list[EntryRecord] | None = None
    extra: tuple[Rule, ...] = ()
    code: tuple[CodeRead, ...] | None = None
    facts: dict[str, object] = field(default_factory=dict)
    #: Facts of a second deployed environment, `staging`, for the rules across environments.
    staging: dict[str, object] | None = None


def _record(key: str, fingerprint: str | None) -> EntryRecord:
    return EntryRecord("production", key, fingerprint, None)


STORE_CASES = [
    StoreCase(
        "stale secret",
        "# @max-age 90d\nAPI_KEY=\n",
        [Entry("API_KEY", "v" * 20, "secretsmanager:x", store_secret=True, metadata={"last_changed": "2026-06-01"})],
        {("stale", "production", "API_KEY")},
    ),
    StoreCase(
        "recently rotated secret",
        "# @max-age 90d\nAPI_KEY=\n",
        [Entry("API_KEY", "v" * 20, "secretsmanager:x", store_secret=True, metadata={"last_changed": "2026-11-01"})],
        set(),
    ),
    StoreCase(
        "secret in a plaintext store",
        "# @optional\nAPI_TOKEN=\n# @optional\nLOG_LEVEL=\n",
        [
            Entry("API_TOKEN", "t", "ssm:/x/API_TOKEN", plaintext_store=True),
            Entry("LOG_LEVEL", "info", "ssm:/x/LOG_LEVEL", plaintext_store=True),
        ],
        {("secret-plaintext", "production", "API_TOKEN")},
    ),
    StoreCase(
        "reference into another environment's store",
        "# @optional\nDB=\n# @optional\nOK=\n",
        [
            Entry("DB", "d" * 20, "ecs:t", store_secret=True, metadata={"reference": "ssm:/mre/staging/DB"}),
            Entry("OK", "y" * 20, "ecs:t", store_secret=True, metadata={"reference": "ssm:/mre/production/OK"}),
        ],
        {("cross-env-reference", "production", "DB")},
    ),
    StoreCase(
        "reference to nothing",
        "# @optional\nDB=\n",
        [Entry("DB", None, "ecs:t")],
        {("dangling-reference", "production", "DB")},
        problems=(Problem("unresolved-reference", "DB", "DB references a parameter that does not exist", "ecs:t"),),
    ),
    StoreCase(
        "changed, added and removed since the last scan",
        "# @optional\nA=\n# @optional\nB=\n# @optional\nC=\n",
        [Entry("A", "new", "dotenv:p"), Entry("B", "b", "dotenv:p")],
        {("changed", "production", "A"), ("added", "production", "B"), ("removed", "production", "C")},
        previous=[_record("A", "old-fingerprint"), _record("C", "c")],
    ),
    StoreCase(
        "no history, no events",
        "# @optional\nA=\n",
        [Entry("A", "new", "dotenv:p")],
        set(),
    ),
    StoreCase(
        "code reads a key nobody declared, and one this environment lacks",
        "# @optional\nDATABASE_URL=\n",
        [Entry("DATABASE_URL", "postgres://db/app", "dotenv:p")],
        {("used-undeclared", None, "STRIPE_KEY"), ("used-missing", "production", "STRIPE_KEY")},
        code=(CodeRead("DATABASE_URL", "src/db.ts", 3, "direct"), CodeRead("STRIPE_KEY", "src/pay.ts", 9, "direct")),
    ),
    StoreCase(
        "a declared key nothing reads; a read with a fallback needs nothing",
        "# @optional\nDATABASE_URL=\n# @optional\nLEGACY_FLAG=\n# @optional\nPORT=\n",
        [Entry("DATABASE_URL", "postgres://db/app", "dotenv:p")],
        {("declared-unused", None, "LEGACY_FLAG")},  # PORT: libraries and runtimes read it themselves
        code=(CodeRead("DATABASE_URL", "src/db.ts", 3, "direct"), CodeRead("DATABASE_URL", "a.py", 1, "default")),
    ),
    StoreCase(
        "migrations: pending, failed, edited, unknown",
        "# @optional\nDATABASE_URL=\n",
        [],
        {
            ("migration-pending", "production", "0003_laps"),
            ("migration-failed", "production", "0002_sessions"),
            ("migration-modified", "production", "0001_init"),
            ("migration-unknown", "production", "0000_hotfix"),
        },
        facts={
            "migrations": MigrationFacts(
                "prisma",
                (("0001_init", "a" * 64), ("0002_sessions", "b" * 64), ("0003_laps", "c" * 64)),
                (
                    Migration("0000_hotfix", "f" * 64, True, False),
                    Migration("0001_init", "0" * 64, True, False),
                    Migration("0002_sessions", "b" * 64, False, False),
                ),
                "prisma/migrations",
            )
        },
    ),
    StoreCase(
        "production ahead of staging by a migration",
        "# @optional\nDATABASE_URL=\n",
        [],
        {("migration-parity", None, None), ("migration-pending", "staging", "0001")},
        facts={"migrations": MigrationFacts("prisma", (("0001", None),), (Migration("0001", None, True, False),), "m")},
        staging={"migrations": MigrationFacts("prisma", (("0001", None),), (), "m")},
    ),
    StoreCase(
        "deployment settings that differ",
        "# @optional\nDATABASE_URL=\n",
        [],
        {("settings-drift", None, "ecs:containerDefinitions[web].memory")},
        facts={"settings:ecs": {"containerDefinitions": {"web": {"memory": 512, "image": "mre:1"}}}},
        staging={"settings:ecs": {"containerDefinitions": {"web": {"memory": 2048, "image": "mre:1"}}}},
    ),
    StoreCase(
        "a rule that raises",
        "A=\nB=\n",
        [Entry("A", "a", "dotenv:p"), Entry("B", "b", "dotenv:p")],
        {("rule-error", "production", None)},
        extra=(Crashing(),),
    ),
]


@pytest.mark.parametrize("case", STORE_CASES, ids=[c.id for c in STORE_CASES])
def test_store_rule(case: StoreCase, tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text(case.example)
    schema = load_schema(tmp_path / ".env.example", ".env.example", {}, ["production"], "drift.toml")
    source = (SourceStatus("ssm", "ssm:/mre/production/", "ok"),)
    snapshot = EnvSnapshot(
        "production", True, {e.key: e for e in case.entries}, source, case.problems, facts=case.facts
    )
    others = [EnvSnapshot("staging", True, {}, source, facts=case.staging)] if case.staging is not None else []
    fingerprint = Fingerprinter(b"k")
    current = [_record(e.key, fingerprint(e.value) if e.value else None) for e in case.entries]
    found = evaluate(
        Inputs(
            schema,
            [snapshot, *others],
            fingerprint,
            NOW,
            NAMESPACES,
            plugin_rules=case.extra,
            previous=case.previous,
            current=current,
            code=case.code,
        )
    )
    assert {(f.rule, f.env, f.key) for f in found} == case.expected


LINT_CASES = [
    ("a glob that matches nothing", "A=1\n", {"B*": {"secret": True}}, {("unused-glob", None, "B*")}),
    ("an example that breaks its own type", "# @type int\nA=abc\n", {}, {("invalid", None, "A")}),
]


@pytest.mark.parametrize(("name", "example", "keys", "expected"), LINT_CASES, ids=[c[0] for c in LINT_CASES])
def test_lint_rule(
    name: str, example: str, keys: dict[str, dict[str, object]], expected: set[Triple], tmp_path: Path
) -> None:
    (tmp_path / ".env.example").write_text(example)
    schema = load_schema(tmp_path / ".env.example", ".env.example", keys, [], "drift.toml")
    assert {(f.rule, f.env, f.key) for f in lint(schema)} == expected


def test_every_rule_has_a_row_in_the_tables() -> None:
    """Adding a rule is one module plus one row here: a rule no row raises is untested."""
    rows = {t[0] for c in CASES for t in c.expected} | {t[0] for c in STORE_CASES for t in c.expected}
    rows |= {t[0] for c in LINT_CASES for t in c[3]}
    assert rows >= set(catalog.RULES), sorted(set(catalog.RULES) - rows)


def test_missing_not_raised_when_a_source_failed(tmp_path: Path) -> None:
    make_project(tmp_path, "A=1\nB=2\n", {"production": "A=1\n"})
    (tmp_path / "drift.toml").write_text(
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" },'
        ' { type = "dotenv", path = "gone.env", include = ["B*"] }]\n'
    )
    result = scan(tmp_path)
    assert triples(result) == {("source-unavailable", "production", None)}
    assert result.environments[0].status == "partial"
    assert result.exit_code == 3


def test_missing_still_raised_for_keys_the_failed_source_could_not_provide(tmp_path: Path) -> None:
    make_project(tmp_path, "A=1\nB=2\n", {"production": ""})
    (tmp_path / "drift.toml").write_text(
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" },'
        ' { type = "dotenv", path = "gone.env", include = ["B*"] }]\n'
    )
    assert triples(scan(tmp_path)) == {("source-unavailable", "production", None), ("missing", "production", "A")}


def test_source_conflict(tmp_path: Path) -> None:
    make_project(tmp_path, "A=a\n", {"production": "A=a\n"})
    (tmp_path / "extra.env").write_text("A=b\n")
    (tmp_path / "drift.toml").write_text(
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" },'
        ' { type = "dotenv", path = "extra.env" }]\n'
    )
    result = scan(tmp_path)
    assert triples(result) == {("source-conflict", "production", "A")}
    assert result.environments[0].entries["A"].value == "b"


def test_did_you_mean_for_a_near_miss(tmp_path: Path) -> None:
    make_project(tmp_path, "SESSION_SECRET=\n", {"production": "SESION_SECRET=x\nsession_secret=y\nUNRELATED=z\n"})
    messages = {f.key: f.message for f in scan(tmp_path).findings}
    assert "did you mean SESSION_SECRET?" in messages["SESION_SECRET"]
    assert "did you mean SESSION_SECRET?" in messages["session_secret"]
    assert "did you mean" not in messages["UNRELATED"]


def test_env_selection_limits_cross_environment_rules(tmp_path: Path) -> None:
    same = "API_KEY=0123456789abcdef0123\n"
    make_project(tmp_path, "API_KEY=\n", {"staging": same, "production": same, "development": same})
    assert triples(scan(tmp_path, ("production",))) == set()
    assert triples(scan(tmp_path, ("staging", "production"))) == {("secret-reuse", None, "API_KEY")}


def test_finding_ids_are_unique_and_stable(tmp_path: Path) -> None:
    make_project(tmp_path, "A=1\n# @same\nB=1\n", {"staging": "B=1\nX=1\n", "production": "B=2\nX=1\n"})
    first = [f.id for f in scan(tmp_path).findings]
    assert len(first) == len(set(first))
    assert first == [f.id for f in scan(tmp_path).findings]
    assert "missing:production:A" in first


def test_findings_are_ordered(tmp_path: Path) -> None:
    make_project(tmp_path, "A=1\nB=1\n", {"staging": "C=1\n", "production": "D=1\n"})
    findings = scan(tmp_path).findings
    assert [f.sort_key() for f in findings] == sorted(f.sort_key() for f in findings)
    assert findings[0].severity.label == "error"


class CountingByValue(Rule):
    """A `by_value` rule that fires on the value "bad" and counts its calls."""

    slug = "counting"
    severity = Severity.WARNING
    title = explanation = fix = "counts"
    scope = "entry"
    by_value = True

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert entry is not None and entry.value is not None
        self.calls.append((view.env, entry.value))
        return self.finding(view.env, name, f"{name} is bad in {view.env}") if entry.value == "bad" else None


def test_a_by_value_rule_runs_once_per_distinct_quiet_value_and_fires_in_every_environment(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text("A=\nB=\n")
    envs = [f"env{i}" for i in range(6)]
    schema = load_schema(tmp_path / ".env.example", ".env.example", {}, envs, "drift.toml")
    source = (SourceStatus("dotenv", "dotenv:x", "ok"),)
    snapshots = [
        EnvSnapshot(
            env,
            True,
            {"A": Entry("A", "same", f"dotenv:{env}"), "B": Entry("B", "bad" if i % 2 else "fine", f"dotenv:{env}")},
            source,
        )
        for i, env in enumerate(envs)
    ]
    rule = CountingByValue()
    found = evaluate(Inputs(schema, snapshots, Fingerprinter(b"k"), NOW, plugin_rules=(rule,)))
    assert {(f.env, f.key) for f in found if f.rule == "counting"} == {("env1", "B"), ("env3", "B"), ("env5", "B")}
    # "same" and "fine" are checked once each; "bad" in each environment that holds it (its finding names the env)
    assert sorted(value for _, value in rule.calls) == ["bad", "bad", "bad", "fine", "same"]


EXAMPLES = [rule for rule in catalog.RULES.values() if rule.example is not None]


@pytest.mark.parametrize("rule", EXAMPLES, ids=[r.slug for r in EXAMPLES])
def test_each_rules_example_fires_and_its_fix_does_not(project: Project, rule: Rule) -> None:
    """The example `drift explain RULE` shows is true: the rule fires on the bad files, and
    not once they are fixed."""
    example = rule.example
    assert example is not None

    def fired(schema: str, envs: Mapping[str, str]) -> bool:
        project.write(".env.example", schema)
        project.write(
            "drift.toml",
            "".join(
                f'[environments.{env}]\ndeployed = true\nsources = [{{ type = "dotenv", path = "{env}.env" }}]\n'
                for env in envs
            ),
        )
        for env, text in envs.items():
            project.write(f"{env}.env", text)
        result = CliRunner().invoke(main, ["check", "--format", "json", "--fail-on", "none"])
        assert result.exit_code in (0, 3), result.output  # 3: a malformed line leaves a source partial
        return rule.slug in {f["rule"] for f in json.loads(result.stdout)["findings"]}

    assert fired(example.schema, example.bad)
    assert not fired(example.good_schema or example.schema, example.good)


def test_explain_shows_the_example() -> None:
    text = run(["explain", "invalid"], expect=0).stdout
    assert "WORKERS=four" in text and "WORKERS=8" in text
