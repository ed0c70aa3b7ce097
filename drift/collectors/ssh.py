"""The `ssh` source: a dotenv file on another host, read through the system's OpenSSH client
(`drift.platform.ssh`: batch mode, host keys never accepted blindly, one connection per host) and
parsed with the source's dialect. A missing file, a refused login, an unknown host key or a
timeout is `source-unavailable` naming the cause."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from drift import dialects
from drift.collectors.base import Collector, CollectorError, Option, SourceData
from drift.collectors.parsers import read_env_text
from drift.platform import ssh


class SshCollector(Collector):
    """Reads `path` on `host`."""

    kind: ClassVar[str] = "ssh"
    waits_on_network = True
    file_options: ClassVar[tuple[str, ...]] = ("ssh_config",)
    options: ClassVar[dict[str, Option]] = {
        "host": Option((str,), required=True, help="the host, as ssh knows it (a name from ~/.ssh/config works)"),
        "path": Option((str,), required=True, help="the file on the host (absolute, or ~/...)"),
        "user": Option((str,), help="the login (default: ssh's)"),
        "port": Option((int,), help="the port (default: ssh's)"),
        "ssh_config": Option((str,), help="an ssh_config file for ssh -F (default: ~/.ssh/config)"),
        "timeout": Option((int, float), help=f"seconds for the whole read (default {ssh.DEFAULT_TIMEOUT:g})"),
        "max_bytes": Option((int,), help=f"size cap (default {dialects.DEFAULT_MAX_BYTES:,})"),
        "dialect": Option((str,), help=f"the loader's rules: {', '.join(dialects.DIALECTS)} (default: [drift])"),
        "expand": Option((bool,), help="expand ${VAR} from the file's own keys (default: [drift] expand)"),
    }

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        problems = []
        path = str(options.get("path", ""))
        if not path.startswith(("/", "~/")):
            problems.append("`path` must be absolute or start with ~/")
        port = options.get("port", 22)
        if not isinstance(port, int) or not 0 < port < 65536:
            problems.append("`port` must be between 1 and 65535")
        if str(options.get("host", "")).startswith("-"):
            problems.append("`host` may not start with '-'")
        problems += ssh.timeout_problems(options)
        return problems

    def _host(self) -> ssh.Host:
        options = self.source.options
        config = self.context.root / str(options["ssh_config"]) if "ssh_config" in options else None
        user = str(options["user"]) if "user" in options else None
        port = int(options["port"]) if "port" in options else None
        return ssh.Host(str(options["host"]), user, port, config)

    def name(self) -> str:
        return f"{self._host()}:{self.source.options['path']}"

    def collect(self) -> SourceData:
        options = self.source.options
        try:
            (found,) = ssh.read_files(
                ssh.connections(self.context.resources),
                self._host(),
                [str(options["path"])],
                self.context.root,
                float(options.get("timeout", ssh.DEFAULT_TIMEOUT)),
                int(options.get("max_bytes", dialects.DEFAULT_MAX_BYTES)),
            )
        except ssh.RemoteFailed as exc:
            raise CollectorError(str(exc)) from None
        if found.text is None:
            raise CollectorError(f"{self.name()}: {found.error}")
        shown = self.name()
        dialect = str(options.get("dialect", self.context.dialect))
        expand = bool(options.get("expand", self.context.expand))
        return read_env_text(found.text, dialect, expand, shown, source=f"ssh:{shown}")
