"""`.env.schema` (@env-spec, varlock's format) as drift's schema, on a file shaped like the
format's own documentation: root and item decorators, defaults, resolver functions (never
run), and line numbers that point into the .env.schema itself."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from drift import dialects
from drift.dialects.lines import Assignment
from drift.schema import envspec
from tests.conftest import Project, run
from tests.fuzz.profile import FUZZ

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "envspec" / ".env.schema"


def test_the_schema_as_drift_reads_it(project: Project) -> None:
    shutil.copy(FIXTURE, project.root / ".env.schema")  # found first, with no drift.toml
    keys = {k["name"]: k for k in json.loads(run(["schema", "show", "--format", "json"], expect=0).stdout)["keys"]}
    assert keys["APP_ENV"]["type"] == "enum" and keys["APP_ENV"]["values"] == [
        "development",
        "preview",
        "staging",
        "production",
    ]
    assert keys["APP_ENV"]["required"] is False  # a value is a default
    assert keys["PORT"]["type"] == "port" and keys["PUBLIC_URL"]["required"] is True
    assert keys["WORKERS"]["type"] == "float" and keys["WORKERS"]["min"] == 1 and keys["WORKERS"]["max"] == 64
    assert keys["STRIPE_SECRET_KEY"]["secret"] is True and keys["STRIPE_SECRET_KEY"]["pattern"] == r"^sk_.*"
    assert keys["STRIPE_PUBLISHABLE_KEY"]["secret"] is False  # @public
    assert keys["DATABASE_PASSWORD"]["required"] is False and keys["DATABASE_PASSWORD"]["secret"] is True
    assert keys["SENTRY_DSN"]["required"] is False  # forEnv: per environment, in drift.toml
    assert keys["BASE_URL"]["deprecated"] == "use PUBLIC_URL"
    assert keys["PUBLIC_URL"]["location"] == ".env.schema:17"


def test_a_deployment_checked_against_it(project: Project) -> None:
    shutil.copy(FIXTURE, project.root / ".env.schema")
    project.write("prod.env", "APP_ENV=production\nSTRIPE_SECRET_KEY=pk_live_CANARY0123\nWORKERS=99\nBASE_URL=x\n")
    project.write("drift.toml", '[environments.prod]\nsources = [{ type = "dotenv", path = "prod.env" }]\n')
    result = run(["check", "--format", "json"], expect=1)
    found = {(f["rule"], f["key"]) for f in json.loads(result.stdout)["findings"]}
    assert {
        ("missing", "PUBLIC_URL"),
        ("invalid", "STRIPE_SECRET_KEY"),
        ("invalid", "WORKERS"),
        ("deprecated", "BASE_URL"),
    } <= found
    assert ("missing", "DATABASE_PASSWORD") not in found and ("missing", "SENTRY_DSN") not in found
    assert "CANARY" not in result.output


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "# @required @sensitive",
                "# @type=enum(a, b)",
                "# @type=number(min=1)",
                "# @type=string(startsWith=x",
                "# ---",
                "# @defaultRequired=true",
                "# @deprecated",
                "A=",
                "B=exec(')",
                "C=1",
                "",
                "# @required=forEnv(",
                "# @=",
                "D=x # y",
            ]
        )
        | st.text(max_size=30),
        max_size=12,
    ).map("\n".join)
)
def test_any_schema_text_translates_line_for_line(text: str) -> None:
    read = dialects.parse(text, "python")
    translated = envspec.lines(read)
    assert [k.key for k in translated if isinstance(k, Assignment)] == [
        k.key for k in read if isinstance(k, Assignment)
    ]
    assert {line.line for line in translated} <= {line.line for line in read}
