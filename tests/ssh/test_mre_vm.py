"""examples/mre's `vm` environment, as `make run` reads it: MRE's systemd user unit and its
EnvironmentFile= on a host reached over SSH (the throwaway sshd standing in for the VM)."""

from __future__ import annotations

from devtools.sshd import Sshd
from drift import api
from drift.secrets import Fingerprinter
from examples.mre import vm


def test_the_vm_environment_finds_its_planted_drift(sshd: Sshd) -> None:
    config = vm.deploy(sshd)
    project = api.load_project(config, config.parent)
    result = api.scan(project, ["vm"], fingerprinter=Fingerprinter(b"k"))
    (environment,) = result.environments
    assert environment.status == "ok"
    assert {(f.rule, f.env, f.key) for f in result.findings} == {
        ("invalid", "vm", "SESSION_SECRET"),  # the example's placeholder left on the VM
        ("placeholder", "vm", "SESSION_SECRET"),
        ("used-undeclared", None, "FEATURE_LIVE_TIMING"),  # the app tree's, as in every environment set
    }
    entries = environment.entries
    assert entries["PORT"].value == "3001" and entries["NODE_ENV"].value == "production"  # from Environment=
    assert entries["NODE_ENV"].location == "mre-vm:~/.config/systemd/user/mre.service:10"
    assert entries["APP_URL"].location == "mre-vm:~/mre/.env:4"
