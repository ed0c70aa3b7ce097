"""A throwaway OpenSSH server on 127.0.0.1, for the tests, the demo and the benchmarks.

It gets generated host and user keys, listens on a free port, lets in only the generated
key, and gives sessions a home folder of its own (so nothing is written to the real one).
`client_config` is an ssh_config that reaches it under any number of host names, with its
host key in a known_hosts file: what `ssh -F` needs to connect without a prompt.

    with Sshd(folder) as server:
        config = server.client_config(["vm1", "vm2"])
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def available() -> bool:
    """Whether an OpenSSH server and client are installed (Debian: openssh-server)."""
    return Path(SSHD).exists() and shutil.which("ssh") is not None and shutil.which("ssh-keygen") is not None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


class Sshd:
    """The server; a context manager that starts and stops it."""

    def __init__(self, folder: Path, delay: float = 0.0) -> None:
        self.folder = folder
        self.home = folder / "home"
        self.port = free_port()
        self.user = os.environ.get("USER") or "root"
        self.process: subprocess.Popen[bytes] | None = None
        self.delay = delay

    def __enter__(self) -> Sshd:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.home.mkdir(exist_ok=True)
        keygen(self.folder / "host_key")
        keygen(self.folder / "user_key")
        keygen(self.folder / "stranger_key")  # a key the server does not know
        shutil.copy(self.folder / "user_key.pub", self.folder / "authorized_keys")
        config = self.folder / "sshd_config"
        config.write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {self.folder / 'host_key'}",
                    f"AuthorizedKeysFile {self.folder / 'authorized_keys'}",
                    f"PidFile {self.folder / 'sshd.pid'}",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PermitRootLogin prohibit-password",
                    "StrictModes no",
                    "UsePAM no",
                    "MaxStartups 200",
                    "MaxSessions 100",
                    f"SetEnv HOME={self.home}",
                    "LogLevel INFO",
                ]
            )
            + "\n"
        )
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # privilege separation needs it
        self.log = self.folder / "sshd.log"
        self.process = subprocess.Popen([SSHD, "-D", "-E", str(self.log), "-f", str(config)], stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                    if connection.recv(4).startswith(b"SSH-"):
                        return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("sshd did not start") from None
                time.sleep(0.05)
        raise RuntimeError("sshd did not start listening")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def logins(self) -> int:
        """How many connections the server has let in so far."""
        return self.log.read_text(errors="replace").count("Accepted publickey") if self.log.exists() else 0

    def known_hosts(self) -> Path:
        """A known_hosts file holding the server's key."""
        path = self.folder / "known_hosts"
        key = (self.folder / "host_key.pub").read_text().split()[:2]
        path.write_text(f"[127.0.0.1]:{self.port} {' '.join(key)}\n")
        return path

    def client_config(self, names: list[str], *, key: str = "user_key", known: bool = True) -> Path:
        """An ssh_config reaching this server as each of `names`."""
        known_hosts = self.known_hosts() if known else self.folder / "empty_known_hosts"
        if not known:
            known_hosts.write_text("")
        path = self.folder / f"ssh_config-{key}-{'known' if known else 'unknown'}"
        blocks = [
            "\n".join(
                [
                    f"Host {name}",
                    "  HostName 127.0.0.1",
                    f"  Port {self.port}",
                    f"  User {self.user}",
                    f"  IdentityFile {self.folder / key}",
                    "  IdentitiesOnly yes",
                    f"  UserKnownHostsFile {known_hosts}",
                    "  GlobalKnownHostsFile /dev/null",
                ]
            )
            for name in names
        ]
        path.write_text("\n".join(blocks) + "\n")
        return path
