"""URL-borne secrets through every command and every format (issue #19).

Each canary sits in the part of a URL that carries it in real projects (a webhook's path, a
bot token, a token as the user name, a query parameter no list knows, a credential format in
any part), under key names no secret-word list holds, declared `@type url` (so drift shows the
URL) and undeclared. Every command that shows values, every report format, the plan file, the
history store and the webhook's payload are searched byte for byte; each one must still show
something (the host), so an output that printed nothing would fail too.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from drift.report.formats import Format
from tests.conftest import Project, run

#: name -> (URL, the canary inside it). Names hold no secret word on purpose.
URLS = {
    "ALERTS_ENDPOINT": "https://hooks.slack.com/services/T0CANARY1/B0CANARY2/CANARYslackhooktoken",
    "CHAT_RELAY": "https://discord.com/api/webhooks/112233445566778899/CANARYdiscordtoken",
    "TEAMS_CHANNEL": "https://acme.webhook.office.com/webhookb2/CANARYteamsid@t/IncomingWebhook/CANARYteams/x",
    "BOT_API": "https://api.telegram.org/bot123456789:CANARYtelegramAbcdefghij12345/sendMessage",
    "CACHE_ADDR": "rediss://CANARYuserinfotoken@cache.internal:6380/0",
    "DB_CONN": "postgresql://app@db.internal:5432/app?sslmode=require&sslpassword=CANARYsslpw",
    "EXPORT_LINK": "https://bucket.s3.amazonaws.com/r.csv?X-Amz-Signature=CANARYamzsig&X-Amz-Expires=60",
    "STORAGE_LINK": "https://acct.blob.core.windows.net/c/f?sv=2022-11-02&sig=CANARYsas",
    "REPO_LINK": "https://github.com/acme/app?ref=ghp_CANARYaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "HOOK_TARGET": "https://chat.acme.io/hooks/CANARYmattermost",
}
HOSTS = ["hooks.slack.com", "discord.com", "cache.internal", "db.internal", "github.com", "chat.acme.io"]


class _Capture(BaseHTTPRequestHandler):
    bodies: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        self.bodies.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Capture)
    _Capture.bodies = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


@pytest.fixture
def planted(project: Project, webhook: str) -> Project:
    declared = "".join(f"# @type url @same\n{name}=\n" for name in list(URLS)[:6])  # the rest are undeclared
    project.write(".env.example", "# @default " + URLS["ALERTS_ENDPOINT"] + "\nSPARE_HOOK=\n" + declared)
    production = "".join(f"{name}={url}\n" for name, url in URLS.items())
    staging = production.replace("CANARY", "CANARY2")  # different tokens: parity drift, copy refused
    project.write("production.env", production)
    project.write("staging.env", staging)
    project.write("dev.env", "")
    project.write(
        "drift.toml",
        f'[notify]\nwebhook_url = "{webhook}"\non = "warning"\n'
        '[environments.dev]\ndeployed = false\nsources = [{ type = "dotenv", path = "dev.env" }]\n'
        '[environments.staging]\nsources = [{ type = "dotenv", path = "staging.env" }]\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" }]\n',
    )
    return project


def assert_clean(text: str | bytes, where: str) -> None:
    data = text if isinstance(text, bytes) else text.encode()
    assert b"CANARY" not in data, f"a canary reached {where}"


def test_no_url_borne_secret_in_any_format(planted: Project) -> None:
    for fmt in Format:
        result = run(["check", "--format", fmt.value, "--fail-on", "none", "--output", f"{fmt.value}:out/r"], 0)
        written = (planted.root / "out" / "r").read_bytes()
        assert_clean(result.stdout_bytes + result.stderr_bytes + written, fmt.value)
        shows_values = fmt not in (Format.JUNIT, Format.SARIF, Format.CODEQUALITY, Format.OPENMETRICS)
        assert b"cache.internal" in result.stdout_bytes or not shows_values, fmt
    document = json.loads(run(["check", "--format", "json", "--fail-on", "none"], expect=0).stdout)
    cells = {row["key"]: row["cells"]["production"]["display"] for row in document["matrix"]}
    for host in ("hooks.slack.com/services/", "discord.com/api/webhooks/", "cache.internal:6380/0"):
        assert any(host in str(cell) for cell in cells.values()), host  # shown, part by part
    annotations = run(["check", "--fail-on", "none"], expect=0, env={"GITHUB_ACTIONS": "true"}).stdout
    assert_clean(annotations, "GitHub annotations")


def test_no_url_borne_secret_in_scan_history_report_and_webhook(planted: Project) -> None:
    result = run(["scan", "--fail-on", "none"], expect=0)
    assert_clean(result.stdout + result.stderr, "scan")
    for path in (planted.root / "reports").iterdir():
        assert_clean(path.read_bytes(), path.name)
    with sqlite3.connect(planted.root / ".drift" / "history.sqlite") as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            assert_clean(json.dumps(db.execute(f"SELECT * FROM {table}").fetchall(), default=repr), table)
    assert _Capture.bodies, "the webhook received nothing"
    for body in _Capture.bodies:
        assert_clean(body, "webhook")
    scan_id = json.loads(run(["history", "--format", "json"], expect=0).stdout)[0]["id"]
    for fmt in Format:
        assert_clean(run(["report", "--scan", scan_id, "--format", fmt.value], expect=0).stdout, f"report {fmt.value}")


def test_no_url_borne_secret_in_plan_sync_diff_schema_and_init(planted: Project) -> None:
    shown = run(["plan", "--env", "production", "--from", "staging", "--out", "plan.json"], expect=1).stdout
    plan = Path("plan.json").read_text()
    assert_clean(shown + plan, "plan")
    assert "needs a value" in shown  # --from copies nothing drift would not show whole
    assert '"env": "staging"' not in plan  # the reference is read, never planned
    outputs = [
        run(["sync", "--env", "dev", "--all"], expect=1).stdout,
        run(["diff", "production.env", "staging.env"], expect=1).stdout,
        run(["diff", "production.env", "staging.env", "--schema", ".env.example"], expect=1).stdout,
        run(["schema", "show"], expect=0).stdout,
        run(["schema", "show", "--format", "json"], expect=0).stdout,
    ]
    for output in outputs:
        assert_clean(output, output[:40])
    assert "hooks.slack.com/services/" in outputs[3]  # the default is shown, its token masked
    Path("drift.toml").unlink()
    Path(".env.production").write_text(Path("production.env").read_text())
    init = run(["init"], expect=0)
    assert_clean(init.stdout + Path("drift.toml").read_text(), "init")
