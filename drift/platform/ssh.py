"""Reading files on other hosts through the system's OpenSSH client.

drift runs `ssh` itself rather than speaking SSH, so that `~/.ssh/config`, agents,
`ProxyJump`, certificates and `known_hosts` work as engineers expect. It always passes
`BatchMode=yes` (never a prompt) and `StrictHostKeyChecking=yes` (a host whose key is not
known is refused, never accepted on first use) and a connect timeout, and opens one master
connection per host for a scan (`Connections`), which every session of the scan shares.

The remote side runs one small POSIX `sh` script with its arguments quoted; what it prints
is framed, so several files come back in one session and a missing file is told apart from
an unreadable one.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drift.platform import programs
from drift.platform.files import UnreadableFile, read_text

DEFAULT_TIMEOUT = 20.0
CONNECT_TIMEOUT = 10
#: The remote script: its first argument is a random boundary; for each path after it, a
#: header line `<boundary> <status> <index>`, then the file's bytes. Status `ok`, `missing`,
#: `denied` or `other` (a folder, a FIFO, a device: never read).
_READ = r"""
cd "$HOME" 2>/dev/null; b=$1; shift; i=0
for f in "$@"; do
  case $f in "~/"*) f="$HOME/${f#??}";; esac
  if [ -f "$f" ] && [ -r "$f" ]; then printf '\n%s ok %s\n' "$b" "$i"; cat -- "$f" || exit 3
  elif [ ! -e "$f" ]; then printf '\n%s missing %s\n' "$b" "$i"
  elif [ -f "$f" ]; then printf '\n%s denied %s\n' "$b" "$i"
  else printf '\n%s other %s\n' "$b" "$i"; fi
  i=$((i+1))
done
"""
#: Lists the `*<suffix>` files of each folder: a header `<boundary> <index>`, then one name
#: per line (names with a newline are left out).
_LIST = r"""
cd "$HOME" 2>/dev/null; b=$1; s=$2; shift 2; i=0; nl='
'
for d in "$@"; do
  case $d in "~/"*) d="$HOME/${d#??}";; esac
  printf '\n%s %s\n' "$b" "$i"
  if [ -d "$d" ]; then for f in "$d"/*"$s"; do
    [ -f "$f" ] || continue; n=${f##*/}
    case $n in *"$nl"*) printf '/\n';; *) printf '%s\n' "$n";; esac
  done; fi
  i=$((i+1))
done
"""
_STATUS = {"missing": "file not found", "denied": "permission denied", "other": "not a regular file"}


class RemoteFailed(Exception):
    """The host could not be read; the message says why (the cause, never file contents)."""


@dataclass(frozen=True, slots=True)
class Host:
    """Where to connect, as drift.toml names it."""

    host: str
    user: str | None = None
    port: int | None = None
    #: An ssh_config file to use instead of ~/.ssh/config (`ssh -F`).
    config: Path | None = None

    def __str__(self) -> str:
        return (f"{self.user}@" if self.user else "") + self.host + (f":{self.port}" if self.port else "")


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One path's outcome: its text, or why it could not be read."""

    path: str
    text: str | None
    error: str | None = None


class Connections:
    """One connection per host for one scan: the first session of a host opens it and leaves
    it in the background (`ControlPersist`), every later session of the scan runs through
    it, and `close()` (called when the scan's sources are read) ends them all. A host that
    refused once is not asked again in the same scan."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._host_locks: dict[Host, threading.Lock] = {}
        self._up: list[Host] = []
        self._failed: dict[Host, str] = {}
        self._indexes: dict[Host, int] = {}
        self._folder = tempfile.mkdtemp(prefix="drift-ssh-", dir="/tmp" if Path("/tmp").is_dir() else None)

    def control_path(self, host: Host) -> str:
        """The host's control socket: one per configured host (two names for one machine get
        two connections, as they would without drift), short (a socket path has a length limit)."""
        with self._lock:
            index = self._indexes.setdefault(host, len(self._indexes))
        return str(Path(self._folder) / str(index))

    def run(self, host: Host, script: str, cwd: Path, timeout: float, max_bytes: int) -> programs.Output:
        """Run `script` on `host`. The host's first session opens its master connection
        (`ControlPersist`: it stays in the background for the rest of the scan); sessions
        that come meanwhile wait for it, then all share it. RemoteFailed names the cause."""
        with self._lock:
            host_lock = self._host_locks.setdefault(host, threading.Lock())
        with host_lock:
            if host in self._failed:
                raise RemoteFailed(self._failed[host])
            if host.config is not None and not programs.allowed():
                directive = executing_directive(host.config)
                if directive is not None:
                    raise RemoteFailed(programs.refusal(f"the ssh_config's {directive}"))
            if host not in self._up:
                self._up.append(host)  # from here a master may run: close() ends it, failed or not
                try:
                    output = programs.run(
                        argv(host, script, self.control_path(host), master=True), cwd, timeout, max_bytes
                    )
                except programs.CommandFailed as exc:
                    cause = _cause(str(exc), host)
                    if _is_connection_failure(str(exc)):
                        self._failed[host] = cause  # the next source of this host fails the same way, at once
                    raise RemoteFailed(cause) from None
                self._wait_for_master(host, cwd)
                return output
        try:
            return programs.run(argv(host, script, self.control_path(host)), cwd, timeout, max_bytes)
        except programs.CommandFailed as exc:
            raise RemoteFailed(_cause(str(exc), host)) from None

    def _wait_for_master(self, host: Host, cwd: Path) -> None:
        """Until the master answers on its socket: it detaches into the background after the
        first session, and a session that found no socket then would log in on its own."""
        line = argv(host, None, self.control_path(host))
        check = [*line[:-2], "-O", "check", *line[-2:]]
        for _ in range(50):
            done = subprocess.run(
                check, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=10, check=False,
            )  # fmt: skip
            if done.returncode == 0:
                return
            time.sleep(0.01)

    def close(self) -> None:
        """End every master connection of the scan (together) and remove the sockets' folder."""
        stopping = []
        for host in self._up:
            line = argv(host, None, self.control_path(host))
            with contextlib.suppress(OSError):
                stopping.append(
                    subprocess.Popen(
                        [*line[:-2], "-O", "exit", *line[-2:]],
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
        for process in stopping:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._up.clear()
        shutil.rmtree(self._folder, ignore_errors=True)


#: ssh_config keywords that run a program or load code (`Match exec`, `ProxyCommand`, ...), and
#: `Include`, which brings in files drift has not looked at.
_EXECUTING = re.compile(
    r"^\s*(proxycommand|localcommand|knownhostscommand|permitlocalcommand|pkcs11provider|securitykeyprovider"
    r"|include|match\b.*\bexec)\b",
    re.IGNORECASE | re.MULTILINE,
)


def timeout_problems(options: Mapping[str, Any]) -> list[str]:
    """A configured `timeout` that is not a number of seconds ssh can wait (0, negative, huge)."""
    timeout = options.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 3600:
        return ["`timeout` must be a number of seconds above 0 and at most 3600"]
    return []


def executing_directive(config: Path) -> str | None:
    """The first keyword of an ssh_config that can run a program, or None; an unreadable
    file counts as one (it cannot be shown to be harmless)."""
    try:
        text = read_text(config, 1024 * 1024)
    except UnreadableFile:
        return "file, which cannot be read to check it"
    found = _EXECUTING.search(text)
    return f"`{found.group(1).split()[0]}`" if found else None


_resources_lock = threading.Lock()


def connections(resources: dict[str, object]) -> Connections:
    """The scan's connections, kept with its other shared resources (made on first use)."""
    with _resources_lock:
        found = resources.get("ssh")
        if not isinstance(found, Connections):
            found = resources["ssh"] = Connections()
        return found


def _is_connection_failure(message: str) -> bool:
    """ssh itself failed (exit 255: refused, unknown key, unreachable), not the remote script."""
    return "exited with status 255" in message or "did not finish within" in message or "program not found" in message


def argv(host: Host, remote_command: str | None, control_path: str, *, master: bool = False) -> list[str]:
    """The ssh command line for one remote command; with `master`, its connection stays in
    the background afterwards for the later commands to share."""
    line = [
        "ssh",
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes",
        "-o", f"ConnectTimeout={CONNECT_TIMEOUT}",
        "-o", f"ControlPath={control_path}",
        "-o", "LogLevel=ERROR",
    ]  # fmt: skip
    if master:
        line += ["-o", "ControlMaster=yes", "-o", "ControlPersist=yes"]
    else:
        line += ["-o", "ControlMaster=no"]
    if host.config is not None:
        line += ["-F", str(host.config)]
    if host.port is not None:
        line += ["-p", str(host.port)]
    if host.user is not None:
        line += ["-l", host.user]
    return [*line, "--", host.host] + ([remote_command] if remote_command is not None else [])


def read_files(
    connections: Connections, host: Host, paths: list[str], cwd: Path, timeout: float, max_bytes: int
) -> list[RemoteFile]:
    """The files at `paths` on `host`, read in one session over the host's connection."""
    if any(p.startswith("-") or "\x00" in p or "\n" in p for p in paths):
        raise RemoteFailed("a remote path may not start with '-' or hold a newline or NUL")
    boundary = "==drift-" + secrets.token_hex(12)  # a file cannot forge a frame it cannot guess
    quoted = " ".join(shlex.quote(p) for p in paths)
    script = f"sh -c {shlex.quote(_READ)} drift {boundary} {quoted}"
    output = connections.run(host, script, cwd, timeout, max_bytes)
    return _frames(output.stdout, boundary, paths, host)


def list_files(
    connections: Connections, host: Host, folders: list[str], suffix: str, cwd: Path, timeout: float
) -> list[list[str]]:
    """The names of the `*suffix` files in each folder on `host` (empty for a folder that
    does not exist), in one session. Names are listed a line each, so the script prints a
    name holding a newline as `/` (which no name holds) and the listing fails, naming the
    folder, rather than reading two names that do not exist."""
    boundary = "==drift-" + secrets.token_hex(12)
    quoted = " ".join(shlex.quote(p) for p in [boundary, suffix, *folders])
    script = f"sh -c {shlex.quote(_LIST)} drift {quoted}"
    output = connections.run(host, script, cwd, timeout, 1024 * 1024)
    found: dict[int, list[str]] = {}
    for chunk in output.stdout.decode("utf-8", "replace").split(f"\n{boundary} ")[1:]:
        header, _, body = chunk.partition("\n")
        if _INDEX.fullmatch(header) and int(header) < len(folders):
            # names end at `\n` only: str.splitlines() would also cut a name at U+2028 or a form feed
            names = [name for name in body.split("\n") if name]
            if "/" in names:
                raise RemoteFailed(f"{host}:{folders[int(header)]}: a file name there holds a newline")
            found[int(header)] = sorted(names)
    if len(found) != len(folders):
        raise RemoteFailed(f"{host}: the remote shell did not answer for every folder (is it a POSIX sh?)")
    return [found[i] for i in range(len(folders))]


#: A frame's index as drift's script prints it: ASCII digits, a few of them (a forged frame
#: with Unicode digits or 5,000 of them is "something drift did not ask for", not a crash).
_INDEX = re.compile(r"[0-9]{1,6}")


def _frames(data: bytes, boundary: str, paths: list[str], host: Host) -> list[RemoteFile]:
    found: dict[int, RemoteFile] = {}
    chunks = data.split(f"\n{boundary} ".encode())
    for chunk in chunks[1:]:
        header, _, body = chunk.partition(b"\n")
        status, _, index_text = header.decode("ascii", "replace").partition(" ")
        if not _INDEX.fullmatch(index_text) or int(index_text) >= len(paths):
            raise RemoteFailed(f"{host}: the remote shell printed something drift did not ask for")
        path = paths[int(index_text)]
        if status != "ok":
            found[int(index_text)] = RemoteFile(path, None, _STATUS.get(status, "cannot be read"))
            continue
        try:
            found[int(index_text)] = RemoteFile(path, body.decode("utf-8"))
        except UnicodeDecodeError:
            found[int(index_text)] = RemoteFile(path, None, "not valid UTF-8")
    if len(found) != len(paths):
        raise RemoteFailed(f"{host}: the remote shell did not answer for every file (is it a POSIX sh?)")
    return [found[i] for i in range(len(paths))]


#: What ssh says on standard error, in the words a finding uses.
_CAUSES = (
    (
        "Host key verification failed",
        "the host key is not known (add it to known_hosts; drift never accepts one blindly)",
    ),
    ("REMOTE HOST IDENTIFICATION HAS CHANGED", "the host key has changed since it was recorded in known_hosts"),
    ("Permission denied", "the login was refused (key, user or agent)"),
    ("Could not resolve hostname", "the host name does not resolve"),
    ("Connection refused", "the connection was refused (no SSH server on that port?)"),
    ("Connection timed out", "the connection timed out"),
    ("No route to host", "there is no route to the host"),
    ("did not finish within", "it did not answer in time"),
    ("program not found", "no ssh client is installed (apt-get install openssh-client)"),
)


def _cause(message: str, host: Host) -> str:
    """A failure of the ssh command in plain words, naming the host."""
    for marker, cause in _CAUSES:
        if marker in message:
            return f"{host}: {cause}"
    return f"{host}: {message}"
