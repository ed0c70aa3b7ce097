"""Notifications of new drift: a Slack-compatible webhook on a local HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from devtools.sshd import free_port
from tests.conftest import Project, run


class Hook:
    """A webhook receiver on 127.0.0.1 that records what it is sent."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.received.append(json.loads(body))
                self.send_response(hook.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/SECRET-TOKEN"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook() -> Iterator[Hook]:
    receiver = Hook()
    yield receiver
    receiver.stop()


@pytest.fixture
def notifying(project: Project, hook: Hook, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("DRIFT_WEBHOOK_URL", hook.url)
    project.write(".env.example", "A=1\nAPI_TOKEN=\n")
    project.write("p.env", "A=1\nAPI_TOKEN=CANARY-notify-token\n")
    project.write(
        "drift.toml",
        '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n'
        '[notify]\nwebhook_url = "${DRIFT_WEBHOOK_URL}"\n',
    )
    return project


def test_posts_only_new_errors(notifying: Project, hook: Hook) -> None:
    run(["scan"], expect=0)
    assert hook.received == []  # nothing wrong, nothing sent
    notifying.write("p.env", "API_TOKEN=CANARY-notify-token\n")
    run(["scan"], expect=1)
    assert len(hook.received) == 1
    message = hook.received[0]
    assert "1 new finding" in message["text"] and "missing" in message["text"]
    assert message["blocks"][0]["type"] == "header"
    assert "reports/drift-report.html" in message["text"]
    assert "CANARY" not in json.dumps(message)
    run(["scan"], expect=1)
    assert len(hook.received) == 1  # persisting drift wakes nobody


def test_a_failed_notification_keeps_the_scan(notifying: Project, hook: Hook) -> None:
    hook.status = 500
    notifying.write("p.env", "API_TOKEN=x\n")
    result = run(["scan"], expect=1)
    assert "notification failed: webhook answered HTTP 500" in result.stderr
    assert "SECRET-TOKEN" not in result.stdout + result.stderr
    assert len(json.loads(run(["history", "--format", "json"], expect=0).stdout)) == 1


def test_unreachable_webhook_and_missing_variable(notifying: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    notifying.write("p.env", "API_TOKEN=x\n")
    monkeypatch.setenv("DRIFT_WEBHOOK_URL", "http://127.0.0.1:9/hooks/SECRET-TOKEN")
    result = run(["scan"], expect=1)
    assert "webhook unreachable" in result.stderr and "SECRET-TOKEN" not in result.stderr
    notifying.write("p.env", "A=1\nAPI_TOKEN=change-me\n")  # a new error: a placeholder in a deployed env
    monkeypatch.delenv("DRIFT_WEBHOOK_URL")
    assert "DRIFT_WEBHOOK_URL for [notify] webhook_url is not set" in run(["scan"], expect=1).stderr


def test_threshold(notifying: Project, hook: Hook) -> None:
    notifying.write(
        "drift.toml",
        (notifying.root / "drift.toml").read_text().replace("[notify]\n", '[notify]\non = "warning"\n'),
    )
    notifying.write("p.env", "A=1\nAPI_TOKEN=x\nEXTRA=1\n")
    run(["scan"], expect=0)
    assert len(hook.received) == 1 and "undeclared" in hook.received[0]["text"]


def test_notify_needs_a_target(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "process" }]\n[notify]\non = "error"\n')
    assert "set webhook_url, sns_topic_arn or urls" in run(["check"], expect=2).stderr


class Mailbox:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it is sent."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[str] = []
        box = self

        class Handler:
            async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
                box.messages.append(envelope.content.decode("utf-8", "replace"))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    yield box
    box.controller.stop()


def test_apprise_urls_reach_email_and_any_webhook(project: Project, hook: Hook, mailbox: Mailbox) -> None:
    """`[notify] urls` through Apprise: an email to a local SMTP server and Apprise's JSON
    webhook to a local receiver (Microsoft Teams and the others go the same way, to hosts a
    test cannot reach). No value in either message; a URL, which holds tokens, in no error."""
    json_url = hook.url.replace("http://", "json://")
    mail_url = f"mailto://drift@127.0.0.1:{mailbox.port}?to=ops@acme.io&from=drift@acme.io&mode=insecure"
    project.write(".env.example", "A=1\nC=2\nAPI_TOKEN=\n")
    project.write("p.env", "C=2\nAPI_TOKEN=CANARY-apprise-token\n")
    project.write(
        "drift.toml",
        '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n'
        f'[notify]\nurls = ["{json_url}", "{mail_url}"]\n',
    )
    run(["scan"], expect=1)
    (posted,) = hook.received
    assert "1 new finding" in posted["title"] and "missing" in posted["message"]
    (mail,) = mailbox.messages
    assert "Subject: drift: 1 new finding" in mail and "missing" in mail
    assert "CANARY" not in json.dumps(posted) + mail
    hook.stop()  # the receiver is gone: the next new finding cannot be posted there
    project.write("p.env", "API_TOKEN=CANARY-apprise-token\n")  # C missing now: new
    result = run(["scan"], expect=1)
    assert "[notify] urls[1] (json://...) was not delivered" in result.stderr
    assert "SECRET-TOKEN" not in result.output and len(mailbox.messages) == 2
