"""A real OpenSSH server on 127.0.0.1 for the ssh and systemd-over-ssh tests, started once for
the module and stopped by it (.ci/run installs openssh-server)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devtools.sshd import Sshd, available


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    if not available():
        pytest.skip("openssh-server is not installed (.ci/run installs it)")
    with Sshd(tmp_path_factory.mktemp("sshd")) as server:
        yield server
