"""The `compose` source on a realistic project (tests/fixtures/compose): interpolation from the
project's .env only, overlays, `!reset`, anchors and merge keys, `extends`, `env_file` lists
and objects, bare keys, profiles; failures; canaries through every output format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from drift.collectors.base import CollectContext, CollectorError
from drift.collectors.compose import ComposeCollector
from drift.model import Entry
from drift.settings import SourceConfig
from tests.conftest import Project, run
from tests.helpers import every_output

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "compose"


@pytest.fixture
def compose(project: Project) -> Project:
    shutil.copytree(FIXTURE, project.root, dirs_exist_ok=True)
    return project


def read(root: Path, **options: Any) -> dict[str, Entry]:
    source = SourceConfig("compose", {"service": "web", **options})
    data = ComposeCollector(source, CollectContext(root, "production")).collect()
    return {e.key: e for e in data.entries}


def test_the_service_environment_as_compose_resolves_it(compose: Project) -> None:
    entries = read(compose.root, files=["compose.yaml", "compose.prod.yaml"])
    values = {k: e.value for k, e in entries.items()}
    assert values["DATABASE_URL"] == "postgres://mre:CANARY-compose-pg-88@db:5432/mre"  # ${...} from .env
    assert values["APP_URL"] == "https://app.acme.io"
    assert values["LOG_LEVEL"] == "warn"  # the overlay wins over the anchor's default
    assert values["NODE_ENV"] == "production" and values["TZ"] == "UTC"  # << merge key
    assert values["PRICE_LABEL"] == "$9 per month"  # $$ is a dollar
    assert "MAILER_DRIVER" not in values  # !reset in the overlay
    assert values["SESSION_SECRET"] == "CANARY-compose-session-4bT9qLz2"  # the overlay's env_file comes later
    assert values["APP_NAME"] == "My Race Engineer" and values["INGEST_RATE_LIMIT_WINDOW_MS"] == "60000"
    assert values["SENTRY_DSN"] == "https://public@o1.ingest.sentry.io/2"  # a bare key found in .env
    assert entries["DATABASE_URL"].location == "compose.yaml:19"
    assert entries["LOG_LEVEL"].location == "compose.prod.yaml:5"
    assert entries["SESSION_SECRET"].location == "env/web.prod.env:1"


def test_one_file_extends_and_bare_keys(compose: Project) -> None:
    worker = read(compose.root, service="worker")
    assert worker["QUEUE"].value == "default" and str(worker["DATABASE_URL"].value).startswith("postgres://")
    db = read(compose.root, service="db")
    assert db["POSTGRES_PASSWORD"].value == "CANARY-compose-pg-88"  # `- KEY` takes .env's value
    assert db["POSTGRES_USER"].value == "mre"


def test_a_bare_key_compose_takes_from_the_shell_is_set_but_not_readable(compose: Project) -> None:
    compose.write("compose.yaml", "services:\n  web:\n    environment:\n      - FROM_SHELL\n")
    entry = read(compose.root)["FROM_SHELL"]
    assert entry.value is None and entry.metadata["value_from"] == "the shell docker compose runs in"


@pytest.mark.parametrize(
    ("change", "cause"),
    [
        (("compose.yaml", "services: [\n"), "compose.yaml: line 2 is not valid YAML"),
        (("compose.yaml", "services:\n  other: {}\n"), "no service 'web' in compose.yaml"),
        ((".env", "DOMAIN=x\n"), "compose.yaml:19: a required variable is not set"),
        (("env/web.env", None), "env_file env/web.env: file not found"),
        (
            ("compose.yaml", "services:\n  web:\n    env_file: ../outside.env\n"),
            "env_file ../outside.env: the path leaves",
        ),
        (("compose.yaml", "services:\n  web:\n    extends: web\n"), "`extends` goes more than 10 levels deep"),
        (
            ("compose.yaml", "services:\n  web:\n    environment: !Ref x\n"),
            "compose.yaml:3: a local tag is not supported",
        ),
    ],
)
def test_what_stops_compose_stops_the_source(compose: Project, change: tuple[str, str | None], cause: str) -> None:
    name, text = change
    if text is None:
        (compose.root / name).unlink()
    else:
        compose.write(name, text)
    with pytest.raises(CollectorError) as raised:
        read(compose.root)
    assert cause in str(raised.value)
    assert "CANARY" not in str(raised.value)


def test_a_service_outside_the_enabled_profiles_does_not_run(compose: Project) -> None:
    with pytest.raises(CollectorError, match="runs only with profile debug"):
        read(compose.root, service="mailpit")
    assert read(compose.root, service="mailpit", profiles=["debug"])["MP_SMTP_AUTH_ACCEPT_ANY"].value == "1"


def test_yaml_1_2_scalars_and_an_alias_bomb(compose: Project) -> None:
    compose.write(
        "compose.yaml", "services:\n  web:\n    environment:\n      DEBUG: yes\n      MODE: 0755\n      OFF: off\n"
    )
    values = {k: e.value for k, e in read(compose.root).items()}
    assert values == {"DEBUG": "yes", "MODE": "0755", "OFF": "off"}  # text, as compose-go's YAML 1.2 reads them
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(12)
    ]
    compose.write(
        "compose.yaml",
        "x-bomb:\n" + "\n".join("  " + line for line in bomb) + "\nservices:\n  web:\n    environment: {A: b}\n",
    )
    assert read(compose.root)["A"].value == "b"  # 4**12 references, each converted once


def test_a_compose_environment_in_a_scan_and_canaries_in_every_format(compose: Project) -> None:
    sources = '[{ type = "compose", files = ["compose.yaml", "compose.prod.yaml"], service = "web" }]'
    compose.write("drift.toml", f"[environments.production]\nsources = {sources}\n")
    document = json.loads(run(["check", "--format", "json"], expect=0).stdout)
    assert document["environments"][0]["sources"][0]["name"] == "compose.yaml+compose.prod.yaml#web"
    rows = {row["key"]: row["cells"]["production"] for row in document["matrix"]}
    assert rows["LOG_LEVEL"]["display"] == "warn"
    assert rows["DATABASE_URL"]["display"].startswith("postgres://••••••@db:5432/mre (")
    assert rows["ZORBLAX"]["display"].startswith("••••••")  # a name no word list holds: masked all the same
    assert "CANARY" not in every_output(run, 0)
