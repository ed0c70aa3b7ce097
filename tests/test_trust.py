"""Issue #8's trust guarantees, one by one: what may be shown, what a hostile drift.toml may
read, how a broken configuration fails, and what a dialect or an option changes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Project, run


def check_json(*args: str, expect: int = 1) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(run(["check", "--format", "json", *args], expect=expect).stdout)
    return document


def cells(document: dict[str, Any], env: str) -> dict[str, str | None]:
    return {row["key"]: row["cells"][env]["display"] for row in document["matrix"] if env in row["cells"]}


def test_a_value_is_shown_only_when_drift_knows_it_is_no_secret(project: Project) -> None:
    project.write(
        ".env.example",
        """
        PORT=3000
        DEBUG=false
        # @type enum(a,b)
        MODE=a
        APP_URL=http://localhost:3000
        BANNER=
        # @not-secret
        GREETING=
        REGION=eu-west-1
        """,
    )
    project.write(
        "drift.toml",
        '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n[keys."REG*"]\nsecret = false\n',
    )
    project.write(
        "p.env",
        "PORT=8080\nDEBUG=true\nMODE=b\nAPP_URL=https://u:CANARY-pw@app.io/?token=CANARY-tok&x=1\n"
        "BANNER=CANARY-banner\nGREETING=hello\nREGION=eu-central-1\nUNDECLARED=CANARY-undeclared\n",
    )
    document = check_json(expect=0)
    shown = cells(document, "production")
    assert shown["PORT"] == "8080" and shown["DEBUG"] == "true" and shown["MODE"] == "b"
    assert shown["GREETING"] == "hello" and shown["REGION"] == "eu-central-1"
    assert str(shown["APP_URL"]).startswith("https://••••••@app.io/?token=••••••&x=•••••• (")
    assert str(shown["BANNER"]).startswith("•••••• ") and str(shown["UNDECLARED"]).startswith("•••••• ")
    assert "CANARY" not in json.dumps(document)


def test_an_invalid_value_of_a_valid_type_is_masked(project: Project) -> None:
    project.write(".env.example", "PORT=3000\n")
    project.write("drift.toml", '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    project.write("p.env", "PORT=CANARY-not-a-port\n")
    document = check_json(expect=0)  # inferred: a warning
    (finding,) = document["findings"]
    assert finding["basis"] == "inferred" and finding["severity"] == "warning"
    assert "CANARY" not in json.dumps(document)
    assert "CANARY" not in run(["check", "--strict"], expect=1).output


def test_an_invalid_url_scheme_is_not_quoted(project: Project) -> None:
    project.write(".env.example", "# @secret @type url(postgres)\nDATABASE_URL=\n")
    project.write("drift.toml", '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    project.write("p.env", "DATABASE_URL=canaryscheme://u:pw@host/db\n")
    document = check_json()
    assert "canaryscheme" not in json.dumps(document)
    assert "not allowed (allowed: postgres)" in document["findings"][0]["message"]


def test_a_credential_line_without_equals_is_never_echoed(project: Project) -> None:
    project.write(".env.example", "A=1\nCANARY-sk_live_0123456789abcdef\nB=2\n")
    project.write(".env", "A=1\nB=2\n")
    for args in (["check"], ["schema", "lint"], ["schema", "show"]):
        result = run(args, expect=1 if args[0] != "schema" or args[1] == "lint" else 0)
        assert "CANARY" not in result.output
    assert ".env.example:2" in run(["schema", "lint"], expect=1).stdout


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('schema = "../outside.example"', "leaves the project folder"),
        ('schema = "/etc/hostname"', "leaves the project folder"),
        ('schema = ".git/config"', "never reads or writes files under .git/"),
        ('reports_dir = "../reports"', "leaves the project folder"),
        ('history = "/tmp/drift-history.sqlite"', "leaves the project folder"),
    ],
)
def test_paths_in_drift_toml_stay_in_the_project(project: Project, setting: str, message: str) -> None:
    project.write(".env.example", "A=1\n")
    project.write(".git/config", "[remote]\nurl = https://CANARY-token@git.example/x\n")
    project.write("drift.toml", f'[drift]\n{setting}\n[environments.p]\nsources = [{{ type = "process" }}]\n')
    result = run(["check"], expect=2)
    assert message in result.stderr and "CANARY" not in result.output


def test_a_source_under_git_is_refused_even_when_outside_paths_are_allowed(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write(".git/config", "url = https://CANARY-token@git.example/x\n")
    project.write(
        "drift.toml",
        '[drift]\nallow_outside = true\n[environments.p]\nsources = [{ type = "dotenv", path = ".git/config" }]\n',
    )
    result = run(["check"], expect=2)
    assert "under .git/" in result.stderr and "CANARY" not in result.output


def test_allow_outside_lets_a_path_leave_the_project(project: Project) -> None:
    (project.root.parent / "outside.example").write_text("A=1\n")
    project.write("p.env", "A=1\n")
    project.write(
        "drift.toml",
        '[drift]\nschema = "../outside.example"\nallow_outside = true\n'
        '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n',
    )
    run(["check"], expect=0)


def test_a_broken_pyproject_is_an_error_not_a_silent_default(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write(".env", "A=1\n")
    project.write("pyproject.toml", '[tool.drift]\nname = "x"\n[tool.drift.environments.p\n')
    result = run(["check"], expect=2)
    assert "pyproject.toml: TOML syntax error (line 3)" in result.stderr


def test_an_unknown_dialect_is_a_configuration_error(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write(
        "drift.toml",
        '[drift]\ndialect = "nodejs"\n'
        '[environments.p]\nsources = [{ type = "dotenv", path = "p.env", dialect = "bash" }]\n',
    )
    stderr = run(["check"], expect=2).stderr
    assert (
        "dialect must be one of node, python, compose, shell, systemd, php, ruby, go (did you mean 'node'?)" in stderr
    )
    assert "sources[0]: dialect must be one of" in stderr


def test_the_dialect_decides_what_a_line_means(project: Project) -> None:
    project.write(".env.example", 'MAIL_FROM="Team" <team@corp.io>\n')
    project.write("p.env", 'MAIL_FROM="Team" <team@corp.io>\n')
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    python = check_json()  # python-dotenv rejects the line in both files
    assert {f["rule"] for f in python["findings"]} == {"malformed"}
    project.write("package.json", "{}")
    node = check_json(expect=0)
    assert node["dialect"] == "node (detected from package.json)" and node["findings"] == []


def test_expand_resolves_from_the_files_own_keys_only(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOST_FROM_DRIFTS_OWN_ENVIRONMENT", "CANARY-leak")
    project.write(".env.example", "# @not-secret\nHOST=\n# @not-secret\nURL=\n# @not-secret\nOTHER=\n")
    project.write("p.env", "HOST=db.internal\nURL=postgres://${HOST}/app\nOTHER=${HOST_FROM_DRIFTS_OWN_ENVIRONMENT}\n")
    project.write(
        "drift.toml",
        '[drift]\ndialect = "node"\nexpand = true\n[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n',
    )
    shown = cells(check_json(expect=0), "p")
    assert shown["URL"] == "postgres://db.internal/app" and shown["OTHER"] == ""
    project.write(
        "drift.toml",
        '[drift]\ndialect = "node"\n[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n',
    )
    assert cells(check_json(expect=0), "p")["URL"] == "postgres://${HOST}/app"


def test_a_random_value_under_an_unknown_name_is_masked_and_its_reuse_a_warning(project: Project) -> None:
    token = "Zq8Lm2Xv7Tn4Wp9Kr3Hs6Bd1Fy5Gc0Ja"
    project.write(".env.example", "WEBHOOK_VERIFIER=\n")
    project.write("s.env", f"WEBHOOK_VERIFIER={token}\n")
    project.write("p.env", f"WEBHOOK_VERIFIER={token}\n")
    project.write(
        "drift.toml",
        '[environments.staging]\nsources = [{ type = "dotenv", path = "s.env" }]\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n',
    )
    document = check_json(expect=0)
    (reuse,) = document["findings"]
    assert (reuse["rule"], reuse["severity"], reuse["basis"]) == ("secret-reuse", "warning", "inferred")
    assert token not in json.dumps(document)


def test_schema_show_masks_a_secret_default_and_equals(project: Project) -> None:
    project.write(
        ".env.example", "# @secret @default CANARY-default-secret\nTOKEN=\n# @type port @default 8080\nPORT=80\n"
    )
    project.write(
        "drift.toml",
        '[environments.production]\nsources = [{ type = "process" }]\n'
        '[keys.TOKEN.env.production]\nequals = "CANARY-equals-secret"\n',
    )
    for fmt in ("terminal", "json"):
        out = run(["schema", "show", "--format", fmt], expect=0).stdout
        assert "CANARY" not in out and "8080" in out


def test_an_equals_violation_never_shows_a_secret_equals(project: Project) -> None:
    project.write(".env.example", "# @secret\nTOKEN=\n# @type enum(auto,always)\nMODE=auto\n")
    project.write("p.env", "TOKEN=other\nMODE=auto\n")
    project.write(
        "drift.toml",
        '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n'
        '[keys.TOKEN.env.production]\nequals = "CANARY-equals-secret"\n'
        '[keys.MODE.env.production]\nequals = "always"\n',
    )
    document = check_json()
    messages = {f["key"]: f["message"] for f in document["findings"] if f["rule"] == "invalid"}
    assert messages["MODE"] == "MODE must equal 'always' in this environment"
    assert messages["TOKEN"] == "TOKEN must equal its declared value in this environment"
    assert "CANARY" not in json.dumps(document)
