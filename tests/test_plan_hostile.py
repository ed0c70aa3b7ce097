"""A plan is data drift checks, not instructions it trusts (issue #20): a plan edited by hand
is refused by its MAC; and even one sealed with the project's key (someone who holds it) can
only do what the current configuration could have planned. Every refusal is exit 2, naming
the item, and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drift.actions.plan import _mac
from drift.secrets import Fingerprinter
from tests.conftest import FINGERPRINT_KEY, Project, run

CONFIG = """\
[environments.production]
sources = [{ type = "dotenv", path = "prod.env" }, { type = "ssm", path = "/app/production" }]

[environments.dev]
deployed = false
sources = [{ type = "dotenv", path = "dev.env" }]

[keys.LOG_LEVEL.env.dev]
equals = "debug"
"""


@pytest.fixture
def planned(project: Project) -> dict[str, Any]:
    project.write(".env.example", "LOG_LEVEL=info\n# @secret\nAPI_SECRET=\n")
    project.write("drift.toml", CONFIG)
    project.write("prod.env", "LOG_LEVEL=info\n")
    project.write("dev.env", "LOG_LEVEL=info\nAPI_SECRET=x\n")
    project.write(".git/config", "[core]\n")
    run(["plan", "--env", "dev", "--out", "plan.json"], expect=1)
    data: dict[str, Any] = json.loads(Path("plan.json").read_text())
    assert [(i["env"], i["key"], i["target"]) for i in data["items"]] == [("dev", "LOG_LEVEL", "dev.env")]
    return data


def sealed(data: dict[str, Any]) -> None:
    """Write `data` as a plan with a valid MAC: what a holder of the key could forge."""
    body = {k: v for k, v in data.items() if k != "mac"}
    Path("plan.json").write_text(json.dumps({**body, "mac": _mac(body, Fingerprinter(FINGERPRINT_KEY.encode()))}))


def refused(expected: str) -> None:
    before = {p: p.read_bytes() for p in map(Path, ("dev.env", "prod.env", ".git/config"))}
    stderr = run(["apply", "plan.json", "--yes"], expect=2).stderr
    assert expected in stderr, stderr
    assert {p: p.read_bytes() for p in before} == before  # nothing written
    assert "Traceback" not in stderr


def test_a_plan_edited_by_hand_is_refused(planned: dict[str, Any]) -> None:
    planned["items"][0]["target"] = "prod.env"
    Path("plan.json").write_text(json.dumps(planned))
    refused("not a plan drift wrote with this project's fingerprint key")


def test_the_untouched_plan_applies(planned: dict[str, Any]) -> None:
    assert "applied: dev LOG_LEVEL (dotenv dev.env)" in run(["apply", "plan.json", "--yes"], expect=0).stdout
    assert "LOG_LEVEL=debug" in Path("dev.env").read_text()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("target", "../outside.env", "its target is not a source of it"),
        ("target", ".git/config", "its target is not a source of it"),
        ("target", "prod.env", "its target is not a source of it"),  # another environment's file
        ("env", "staging", "no such environment"),
        ("env", ["dev"], "`env` has the wrong type"),
        ("value", 123, "`value` has the wrong type"),
        ("action", "chmod", "unknown action or store"),
        ("store", "s3", "unknown action or store"),
        ("value_from", "env:AWS_SECRET_ACCESS_KEY; rm", "`value_from` is not one drift writes"),
    ],
)
def test_a_sealed_plan_can_only_do_what_the_configuration_could_plan(
    planned: dict[str, Any], field: str, value: Any, expected: str
) -> None:
    planned["items"][0][field] = value
    sealed(planned)
    refused(expected)


def test_an_ssm_name_outside_the_source_path_is_refused(planned: dict[str, Any]) -> None:
    item = planned["items"][0]
    item.update(env="production", store="ssm", target="/app/staging/LOG_LEVEL")
    sealed(planned)
    refused("its target is not a source of it")


def test_a_secret_never_travels_in_a_plan_or_to_a_new_plaintext_file(planned: dict[str, Any]) -> None:
    item = planned["items"][0]
    item.update(key="API_SECRET", secret=True, value="leaked")
    sealed(planned)
    refused("a secret's value is never in a plan")
    item.update(env="production", target="prod.env", value=None, value_from="env:HOME", observed="absent")
    sealed(planned)
    refused("a secret goes to a secret store")


def test_a_plan_that_is_not_json_or_not_an_object(planned: dict[str, Any]) -> None:
    for text in ("[1, 2]", '{"drift_plan": 1, "items": "x"}', "\u0000"):
        Path("plan.json").write_text(text)
        stderr = run(["apply", "plan.json", "--yes"], expect=2).stderr
        assert ("not a plan" in stderr or "cannot read the plan" in stderr) and "Traceback" not in stderr


@pytest.mark.parametrize("field", ["key", "env", "target"])
def test_apply_prints_a_plans_names_inert(planned: dict[str, Any], field: str) -> None:
    """A newline in a plan's key, environment or target would start a GitHub workflow command
    in apply's output (and in the `drift: error:` line); an escape sequence would reach the
    terminal."""
    planned["items"][0][field] += "\n::error::pwned\x1b]0;title\x07\u2028"
    sealed(planned)
    result = run(["apply", "plan.json", "--yes"], expect=2, env={"GITHUB_ACTIONS": "true"})
    for text in (result.stdout, result.stderr):
        assert not any(line.startswith("::error::pwned") for line in text.splitlines())
        assert "\x1b" not in text and "\x07" not in text and "\u2028" not in text
