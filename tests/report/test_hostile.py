"""One table of hostile keys and values, run through every output channel (issue #9): each
must stay inert text in the terminal under GitHub Actions, Markdown, Slack, HTML, XML, SARIF
and JSON. Keys come through the `process` source (a name may hold anything but `=`), values
through a key declared @not-secret, so they are shown and must be escaped."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from drift.report.document import load_document
from drift.report.notify import message
from tests.conftest import Project, run

HOSTILE = [
    "x\n::error file=x.py,line=1::INJECTED\n::add-mask::info",
    "%0A::warning::ESCAPED-NEWLINE",
    "\x1b[2J\x1b]0;pwned\x07",
    "![img](https://attacker.example/p.png)",
    "[click](https://attacker.example/)",
    "@octo-org/security",
    "<!channel> <@U123>",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "a|b`c`*d*",
    "\x01\x0b\ufffe\u2028",
    "]]></failure><testcase name='forged'/>",
]


@pytest.fixture
def hostile(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    project.write(".env.example", "# @not-secret\nSHOWN=\n")
    project.write(
        "drift.toml",
        '[drift]\nname = "hostile"\n[environments.production]\nsources = [{ type = "process", prefix = "HX_" }]\n',
    )
    for index, text in enumerate(HOSTILE):
        monkeypatch.setenv(f"HX_K{index}_{text}".replace("=", ":"), "v")  # a name cannot hold "="
    monkeypatch.setenv("HX_SHOWN", " ".join(HOSTILE))
    return project


def output(fmt: str, github: bool = False) -> str:
    env = {"GITHUB_ACTIONS": "true"} if github else {}
    return run(["check", "--format", fmt, "--fail-on", "warning"], expect=1, env=env).stdout


def test_terminal_under_github_actions(hostile: Project) -> None:
    text = output("terminal", github=True)
    forged = [line for line in text.splitlines() if line.startswith("::") and "title=drift" not in line]
    assert forged == []
    assert "\x1b" not in text and "\x07" not in text and "\u2028" not in text


def test_markdown(hostile: Project) -> None:
    text = output("markdown")
    for needle in ("](", "![", "@octo", "<!channel>", "<@U", "<img", "<script", "\x1b"):
        assert needle not in text.replace("\\](", ""), needle


def test_html(hostile: Project) -> None:
    text = output("html")
    assert "<img src=x" not in text and "<script>alert" not in text and "\x1b" not in text


def test_junit(hostile: Project) -> None:
    root = ET.fromstring(output("junit"))
    names = [case.get("name") for case in root.iter("testcase")]
    assert "forged" not in names


def test_sarif_and_json(hostile: Project) -> None:
    json.loads(output("sarif"))
    document = load_document(json.loads(output("json")), "stdout")
    assert any("INJECTED" in str(f["key"]) for f in document["findings"])  # kept as data, exactly


def test_slack(hostile: Project) -> None:
    document = load_document(json.loads(output("json")), "stdout")
    for finding in document["findings"]:
        finding["status"] = "new"
    payload = json.dumps(message(document, document["findings"], "reports/x.html"))
    assert "<!" not in payload and "<@" not in payload and "<img" not in payload
