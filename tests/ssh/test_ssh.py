"""The `ssh` and `systemd` (over ssh) sources against a real sshd: reads, one connection per
host, and each cause of failure named (refused key, unknown host key, missing file, a server
that never answers), within a bounded time; canaries in every output."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.sshd import Sshd
from tests.conftest import Project, run
from tests.helpers import every_output

APP_ENV = "NODE_ENV=production\nAPP_URL=https://app.acme.io\nSESSION_SECRET=CANARY-ssh-Qm2Lp9Xz4Vb7\nPORT=3000\n"
EXAMPLE = "NODE_ENV=production\n# @type url\nAPP_URL=http://localhost:3000\nSESSION_SECRET=\n# @type port\nPORT=3000\n"


@pytest.fixture
def host(sshd: Sshd, project: Project) -> Project:
    """A project whose ssh_config reaches the server as vm1 and vm2, and a deployed app on it."""
    (sshd.home / "mre").mkdir(exist_ok=True)
    (sshd.home / "mre" / ".env").write_text(APP_ENV)
    shutil.copy(sshd.client_config(["vm1", "vm2"]), project.root / "ssh_config")
    shutil.copy(sshd.client_config(["vm1"], known=False), project.root / "ssh_config_unknown")
    shutil.copy(sshd.client_config(["vm1"], key="stranger_key"), project.root / "ssh_config_stranger")
    project.write(".env.example", EXAMPLE)
    return project


def configure(project: Project, **sources: str) -> None:
    lines = [f"[environments.{env}]\nsources = [{source}]" for env, source in sources.items()]
    project.write("drift.toml", "\n".join(lines) + "\n")


def ssh_source(path: str = "~/mre/.env", config: str = "ssh_config", host: str = "vm1", extra: str = "") -> str:
    return f'{{ type = "ssh", host = "{host}", path = "{path}", ssh_config = "{config}"{extra} }}'


def test_a_file_on_a_host(host: Project) -> None:
    configure(host, vm=ssh_source())
    document = json.loads(run(["check", "--format", "json"], expect=0).stdout)
    (source,) = document["environments"][0]["sources"]
    assert (source["name"], source["status"], source["keys"]) == ("vm1:~/mre/.env", "ok", 4)
    cells = {row["key"]: row["cells"]["vm"]["display"] for row in document["matrix"]}
    assert cells["APP_URL"] == "https://app.acme.io" and cells["PORT"] == "3000"
    assert cells["SESSION_SECRET"].startswith("••••••")
    assert "CANARY" not in every_output(run, 0)


@pytest.mark.parametrize(
    ("source", "cause"),
    [
        (ssh_source(path="~/mre/missing.env"), "vm1:~/mre/missing.env: file not found"),
        (ssh_source(config="ssh_config_stranger"), "vm1: the login was refused (key, user or agent)"),
        (ssh_source(config="ssh_config_unknown"), "vm1: the host key is not known"),
        (ssh_source(path="~/mre"), "vm1:~/mre: not a regular file"),
    ],
)
def test_each_cause_is_named(host: Project, source: str, cause: str) -> None:
    configure(host, vm=source)
    document = json.loads(run(["check", "--format", "json"], expect=3).stdout)
    (finding,) = [f for f in document["findings"] if f["rule"] == "source-unavailable"]
    assert cause in finding["message"]
    assert not [f for f in document["findings"] if f["rule"] == "missing"]  # a failed source hides nothing


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never says a word (a hung host)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_a_server_that_never_answers_is_given_up_in_bounded_time(host: Project, silent_server: int) -> None:
    configure(host, vm=ssh_source(extra=f", port = {silent_server}, timeout = 2"))
    document = json.loads(run(["check", "--format", "json"], expect=3).stdout)
    (finding,) = [f for f in document["findings"] if f["rule"] == "source-unavailable"]
    assert finding["message"].endswith(f"vm1:{silent_server}: it did not answer in time")  # -p wins over the config


def test_a_systemd_user_unit_read_over_ssh(host: Project, sshd: Sshd) -> None:
    units = sshd.home / ".config" / "systemd" / "user"
    (units / "mre.service.d").mkdir(parents=True, exist_ok=True)
    (units / "mre.service").write_text(
        "[Unit]\nDescription=My Race Engineer\n\n[Service]\nWorkingDirectory=%h/mre\n"
        "Environment=NODE_ENV=development PORT=8080\nEnvironmentFile=%h/mre/.env\n"
        "EnvironmentFile=-%h/mre/.env.local\nExecStart=/usr/bin/node server.js\n"
    )
    (units / "mre.service.d" / "10-port.conf").write_text("[Service]\nEnvironment=LOG_LEVEL=info\n")
    configure(
        host, vm='{ type = "systemd", unit = "mre.service", user = true, host = "vm1", ssh_config = "ssh_config" }'
    )
    document = json.loads(run(["check", "--format", "json", "--fail-on", "none"], expect=0).stdout)
    cells = {row["key"]: row["cells"]["vm"] for row in document["matrix"]}
    assert cells["NODE_ENV"]["state"] == "present" and cells["PORT"]["display"] == "3000"  # the file wins
    assert cells["LOG_LEVEL"]["state"] == "present"  # from the drop-in
    undeclared = {f["key"]: f["location"] for f in document["findings"] if f["rule"] == "undeclared"}
    assert undeclared == {"LOG_LEVEL": "vm1:~/.config/systemd/user/mre.service.d/10-port.conf:2"}
    assert "CANARY" not in every_output(run, 0)
    for name in ("20-odd\u2028name.conf", "30-form\ffeed.conf"):  # names end at newlines only
        (units / "mre.service.d" / name).write_text("[Service]\nEnvironment=LOG_LEVEL=debug\n")
    document = json.loads(run(["check", "--format", "json", "--fail-on", "none"], expect=0).stdout)
    (location,) = [f["location"] for f in document["findings"] if f["rule"] == "undeclared"]
    assert location == "vm1:~/.config/systemd/user/mre.service.d/30-form\ffeed.conf:2"  # the last one wins
    (units / "mre.service.d" / "40-two\nlines.conf").write_text("[Service]\nEnvironment=LOG_LEVEL=trace\n")
    document = json.loads(run(["check", "--format", "json"], expect=3).stdout)
    (finding,) = [f for f in document["findings"] if f["rule"] == "source-unavailable"]
    assert finding["message"].endswith("mre.service.d: a file name there holds a newline")


def test_one_connection_per_host_for_a_scan(host: Project, sshd: Sshd) -> None:
    """Two environments reading vm1 (a file, and a unit with its drop-ins and environment
    file: four sessions) and one reading vm2 (the same server under another name): two
    logins, not five."""
    units = sshd.home / "units"
    units.mkdir(exist_ok=True)
    (units / "mre.service").write_text(f"[Service]\nEnvironmentFile={sshd.home}/mre/.env\n")
    host.write(
        "drift.toml",
        f"[environments.file]\nsources = [{ssh_source()}]\n"
        '[environments.unit]\nsources = [{ type = "systemd", unit = "mre.service", root = "units", host = "vm1", '
        'ssh_config = "ssh_config" }]\n'
        f"[environments.other]\nsources = [{ssh_source(host='vm2')}]\n",
    )
    before = sshd.logins()
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    assert [e["status"] for e in document["environments"]] == ["ok", "ok", "ok"]
    assert sshd.logins() - before == 2


def _masters() -> list[str]:
    """Command lines of ssh masters drift started (their control sockets live in drift-ssh-*)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:  # the process ended meanwhile
            continue
        if words[0] == b"ssh" and any(b"ControlPath=/tmp/drift-ssh-" in w for w in words):
            found.append(b" ".join(words).decode())
    return found


def test_a_failed_sessions_remote_stderr_is_scrubbed_and_its_master_ended(sshd: Sshd, host: Project) -> None:
    """The remote login shell (bash reads ~/.bashrc for an ssh command) prints assignments and
    a header to a secret name, then fails the session: the cause is shown, the secrets not,
    and the master connection the first session opened does not outlive the run."""
    rc = sshd.home / ".bashrc"
    rc.write_text(
        "echo 'export DB_PASSWORD=CANARY-rc-1' >&2\necho 'Authorization: Bearer CANARY-rc-2' >&2\n"
        "echo 'retry with --password CANARY-rc-3 or API_TOKEN: CANARY-rc-4' >&2\nexit 7\n"
    )
    try:
        configure(host, vm=ssh_source())
        document = json.loads(run(["check", "--format", "json"], expect=3).stdout)
    finally:
        rc.unlink()
    (finding,) = [f for f in document["findings"] if f["rule"] == "source-unavailable"]
    assert "vm1" in finding["message"] and "retry with --password" in finding["message"], finding["message"]
    assert "CANARY-rc" not in json.dumps(document)
    assert _masters() == []
