"""`[[assert]]`: cross-key assertions in CEL, typed by the schema (issue #10), and the
`default-applied` and `rule-error` rules."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from drift.engine.assertions import FUNCTIONS
from tests.conftest import Project, run

EXAMPLE = """
APP_URL=https://app.acme.io
ALLOWED_ORIGINS=https://app.acme.io
# @type int
WORKERS=2
# @type int
MAX_WORKERS=4
DEBUG=false
# @type duration
TIMEOUT=30s
# @secret
API_SECRET=
"""


def project_with(project: Project, asserts: str, production: str, staging: str = "") -> None:
    project.write(".env.example", EXAMPLE)
    project.write("p.env", production)
    project.write("s.env", staging or production.replace("s3cr3t-CANARY", "staging-CANARY"))
    project.write(
        "drift.toml",
        '[environments.staging]\nsources = [{ type = "dotenv", path = "s.env" }]\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n'
        '[keys."*"]\nrequired = false\n' + asserts,
    )


def findings(expect: int) -> list[dict[str, Any]]:
    document = json.loads(run(["check", "--format", "json", "--fail-on", "warning"], expect=expect).stdout)
    return [f for f in document["findings"] if f["rule"] in ("assertion", "rule-error", "default-applied")]


GOOD = "APP_URL=https://app.acme.io/login\nALLOWED_ORIGINS=https://app.acme.io,http://localhost:3000\nWORKERS=2\nMAX_WORKERS=4\nDEBUG=false\nTIMEOUT=30s\nAPI_SECRET=s3cr3t-CANARY\n"

CASES = [
    ("url_origin(APP_URL) in csv(ALLOWED_ORIGINS)", GOOD, True),
    ("url_origin(APP_URL) in csv(ALLOWED_ORIGINS)", GOOD.replace("https://app.acme.io,", "https://other.io,"), False),
    ("WORKERS <= MAX_WORKERS", GOOD, True),
    ("WORKERS <= MAX_WORKERS", GOOD.replace("WORKERS=2", "WORKERS=9"), False),
    ("DEBUG == false", GOOD, True),
    ("DEBUG == false", GOOD.replace("DEBUG=false", "DEBUG=on"), False),
    ("duration_seconds('1m') > TIMEOUT", GOOD, True),
    ("TIMEOUT <= 10.0", GOOD, False),
    ("url_host(APP_URL) == 'app.acme.io' && url_scheme(APP_URL) == 'https'", GOOD, True),
    ("APP_URL.matches('^https://')", GOOD, True),
    ("has(API_SECRET) && size(API_SECRET) >= 32", GOOD, False),
    ("!has(NOT_SET_ANYWHERE_KEY) || true", GOOD, True),
]


STAGING = GOOD.replace("s3cr3t-CANARY", "staging-CANARY")


@pytest.mark.parametrize(("check", "production", "holds"), CASES)
def test_assertions_are_typed_by_the_schema(project: Project, check: str, production: str, holds: bool) -> None:
    asserts = f"[[assert]]\nname = \"a\"\ncheck = '''{check}'''\nmessage = \"the relation\"\n"
    project_with(project, asserts.replace("NOT_SET_ANYWHERE_KEY", "WORKERS"), production, STAGING)
    found = findings(expect=0 if holds else 1)
    assert ("production" in [f["env"] for f in found]) is not holds
    for finding in found:
        assert finding["message"] == "the relation" and finding["id"] == f"assertion:{finding['env']}:*:a"
    assert "CANARY" not in json.dumps(found)


def test_when_envs_and_severity(project: Project) -> None:
    asserts = (
        '[[assert]]\nname = "pair"\ncheck = "has(WORKERS) == has(MAX_WORKERS)"\n'
        'when = "has(DEBUG)"\nenvs = ["production"]\nseverity = "warning"\n'
    )
    project_with(project, asserts, "DEBUG=false\nWORKERS=2\n", "DEBUG=false\nWORKERS=2\n")
    (finding,) = findings(expect=1)
    assert (finding["env"], finding["severity"], finding["message"]) == (
        "production",
        "warning",
        "assertion pair does not hold",
    )
    project_with(project, asserts, "WORKERS=2\n")  # `when` is false: nothing to check
    assert findings(expect=0) == []


def test_an_absent_key_without_has_cannot_be_evaluated(project: Project) -> None:
    project_with(project, '[[assert]]\nname = "w"\ncheck = "WORKERS > 1"\n', "DEBUG=false\n")
    found = findings(expect=1)
    assert {f["env"] for f in found} == {"staging", "production"}
    assert all("could not be evaluated" in f["message"] for f in found)


def test_an_empty_or_invalid_value_is_absent(project: Project) -> None:
    project_with(project, '[[assert]]\nname = "w"\ncheck = "!has(WORKERS)"\n', "WORKERS=\n", "WORKERS=many\n")
    assert findings(expect=1) == [] or all(f["rule"] != "assertion" for f in findings(expect=1))


@pytest.mark.parametrize(
    ("check", "reason"),
    [
        ("WORKERS + 'x' == 1", "no matching overload"),
        ("UNDECLARED_KEY == 1", "undeclared reference"),
        ("WORKERS", "must be a boolean"),
        ("(", "Syntax error"),
    ],
)
def test_an_assertion_that_does_not_compile_is_a_configuration_error(project: Project, check: str, reason: str) -> None:
    project_with(project, f"[[assert]]\nname = \"broken\"\ncheck = '''{check}'''\n", GOOD)
    stderr = run(["check"], expect=2).stderr
    assert "drift.toml: assertion 'broken'" in stderr and reason in stderr
    lint = run(["schema", "lint"], expect=1).stdout
    assert "assertion 'broken'" in lint and re.search(r"\(drift\.toml:\d+\)", lint)


@pytest.mark.parametrize(
    "table",
    [
        '[[assert]]\ncheck = "true"\n',
        '[[assert]]\nname = "x"\n',
        '[[assert]]\nname = "x"\ncheck = "true"\nenvs = ["prod"]\n',
        '[[assert]]\nname = "x"\ncheck = "true"\nseverity = "fatal"\n',
        '[[assert]]\nname = "x"\ncheck = "true"\nbogus = 1\n',
        '[[assert]]\nname = "x"\ncheck = "true"\n[[assert]]\nname = "x"\ncheck = "true"\n',
    ],
)
def test_assert_tables_are_strict(project: Project, table: str) -> None:
    project_with(project, table, GOOD)
    run(["check"], expect=2)


def test_the_function_library_is_documented() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for name in FUNCTIONS:
        assert f"`{name}(" in readme, name


def test_default_applied(project: Project) -> None:
    project.write(
        ".env.example",
        "# @type enum(console,smtp) @default console\nMAILER_DRIVER=smtp\n# @secret @default x\nTOKEN=\n",
    )
    project.write("p.env", "")
    project.write("drift.toml", '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    found = {f["key"]: f for f in findings(expect=0)}
    assert found["MAILER_DRIVER"]["message"].endswith("the application uses its default (console)")
    assert found["MAILER_DRIVER"]["severity"] == "info"
    assert found["TOKEN"]["message"].endswith("uses its default")  # a secret's default is not shown


def test_a_rule_that_raises_is_isolated(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.engine import catalog

    project_with(project, "", GOOD.replace("DEBUG=false", "DEBUG=flase"))

    def broken(*_: object) -> list[object]:
        raise KeyError("CANARY-in-a-rule")

    monkeypatch.setattr(catalog.rule("parity"), "check", broken)  # a rule across environments
    monkeypatch.setattr(catalog.rule("placeholder"), "check_entry", broken)  # a rule in the per-key pass
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    errors = sorted(f["message"] for f in document["findings"] if f["rule"] == "rule-error")
    assert errors == [
        "drift's parity rule failed (KeyError); its findings are missing",
        "drift's placeholder rule failed (KeyError) in production; its findings are missing",
        "drift's placeholder rule failed (KeyError) in staging; its findings are missing",
    ]  # once per environment, not once per key
    assert any(f["rule"] == "invalid" for f in document["findings"])  # the other checks still ran
    assert "CANARY" not in json.dumps(document)


def test_two_findings_with_one_id_are_a_rule_error() -> None:
    from drift.engine.evaluate import _unique
    from drift.model import Finding, Severity

    twice = [Finding("missing", Severity.ERROR, "p", "A", "m"), Finding("missing", Severity.ERROR, "p", "A", "m")]
    kept = _unique(twice)
    assert [f.rule for f in kept] == ["missing", "rule-error"]


def test_values_cel_cannot_hold_make_the_assertion_unevaluable_not_a_crash(project: Project) -> None:
    project.write(".env.example", "# @type int\nBIG=1\n# @type json\nDOC={}\n")
    project.write("p.env", "BIG=" + "9" * 40 + "\nDOC=" + json.dumps({"n": 10**40}) + "\n")
    project.write(
        "drift.toml",
        '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n'
        '[[assert]]\nname = "big"\ncheck = "BIG > 1"\n[[assert]]\nname = "doc"\ncheck = "DOC.n > 1"\n',
    )
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    assert sorted(f["id"] for f in document["findings"]) == ["assertion:production:*:big", "assertion:production:*:doc"]
    assert all("could not be evaluated" in f["message"] for f in document["findings"])
