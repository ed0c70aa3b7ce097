"""Issue #11's figures: 20 hosts read over SSH in one scan against 20 `ssh host cat file` run
one after another (goal: at most 0.25x), and 1,000 Kubernetes resources parsed (goal: under
1 s), beside PyYAML's own C loader reading the same text.

Run with `python benchmarks/reach.py` (needs openssh-server for the first part); the figures
go in benchmarks/README.md. Each timing is the median of several runs of real processes.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.run import ENV, PYTHON, timed  # noqa: E402
from devtools import sshd  # noqa: E402

HOSTS = 20
KEYS = 40


def ssh_figures(folder: Path, kex: str | None) -> None:
    """With OpenSSH's default key exchange (9.x: the post-quantum sntrup761x25519 hybrid,
    about 80 ms of client CPU per connection) or a given one."""
    project = folder / f"project-{kex}"
    project.mkdir()
    with sshd.Sshd(folder / f"server-{kex}") as server:
        names = [f"vm{i}" for i in range(1, HOSTS + 1)]
        config = project / "ssh_config"
        text = server.client_config(names).read_text()
        if kex is not None:
            text = text.replace("  IdentitiesOnly yes", f"  IdentitiesOnly yes\n  KexAlgorithms {kex}")
        config.write_text(text)
        lines = [f"KEY_{k}=value-{k}" for k in range(KEYS)]
        (project / ".env.example").write_text("\n".join(lines) + "\n")
        toml = []
        for name in names:
            (server.home / name).mkdir()
            (server.home / name / ".env").write_text("\n".join(lines) + "\n")
            toml.append(
                f'[environments.{name}]\nsources = [{{ type = "ssh", host = "{name}", path = "~/{name}/.env", '
                'ssh_config = "ssh_config" }]'
            )
        (project / "drift.toml").write_text("\n".join(toml) + "\n")
        drift = timed([PYTHON, "-m", "drift", "check", "--format", "json"], project, repeat=5)
        one_by_one = [["ssh", "-F", str(config), "-o", "BatchMode=yes", name, f"cat ~/{name}/.env"] for name in names]
        script = (
            f"import subprocess\nfor c in {one_by_one!r}:\n    subprocess.run(c, capture_output=True, check=True)\n"
        )
        sequential = timed([PYTHON, "-c", script], project, repeat=5)
        print(f"## {HOSTS} hosts over SSH ({KEYS} keys each), key exchange {kex or 'default'}, median of 5, seconds")
        print(f"  drift check, one scan                    {drift:.2f}")
        print(f"  {HOSTS} x `ssh host cat file`, in sequence  {sequential:.2f}")
        print(f"  ratio                                    {drift / sequential:.2f}")
        logins = server.logins()
        print(f"  logins accepted by the server (all runs) {logins}")


def kubernetes_figures(folder: Path) -> None:
    manifests = folder / "k8s.yaml"
    parts = []
    for i in range(250):
        parts.append(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: prod\nspec:\n"
            "  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/app:1\n"
            f"          envFrom:\n            - configMapRef: {{name: cfg-{i}}}\n"
            f"            - secretRef: {{name: sec-{i}}}\n"
            "          env:\n" + "".join(f'            - name: V{k}\n              value: "{k}"\n' for k in range(10))
        )
        parts.append(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-{i}\n  namespace: prod\ndata:\n"
            + "".join(f"  C{k}: value-{k}\n" for k in range(20))
        )
        parts.append(
            f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec-{i}\n  namespace: prod\ndata:\n"
            + "".join(f"  S{k}: dmFsdWUtc2VjcmV0\n" for k in range(10))
        )
        parts.append(f"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  ports: [{{port: 80}}]\n")
    manifests.write_text("---\n".join(parts))
    size = manifests.stat().st_size
    read = (
        "import time\nfrom pathlib import Path\nfrom drift.collectors.base import CollectContext\n"
        "from drift.collectors.kubernetes import KubernetesCollector\nfrom drift.settings import SourceConfig\n"
        "s = SourceConfig('kubernetes', {'manifests': 'k8s.yaml', 'workload': 'Deployment/app-249',\n"
        "                                'namespace': 'prod'})\n"
        "t = time.perf_counter(); data = KubernetesCollector(s, CollectContext(Path('.'), 'p')).collect()\n"
        "print(time.perf_counter() - t, len(data.entries))"
    )
    floor = (
        "import time, yaml\nt = time.perf_counter()\n"
        "list(yaml.load_all(open('k8s.yaml').read(), Loader=yaml.CSafeLoader))\nprint(time.perf_counter() - t)"
    )
    ours = [float(subprocess.run([PYTHON, "-c", read], cwd=folder, capture_output=True, text=True, env=ENV,
                                 check=True).stdout.split()[0]) for _ in range(5)]  # fmt: skip
    pyyaml = [float(subprocess.run([PYTHON, "-c", floor], cwd=folder, capture_output=True, text=True, env=ENV,
                                   check=True).stdout) for _ in range(5)]  # fmt: skip
    print(f"## 1,000 Kubernetes resources ({size // 1024} KiB), median of 5, seconds")
    print(f"  drift kubernetes source, read and resolve  {statistics.median(ours):.2f}")
    print(f"  PyYAML CSafeLoader, load only              {statistics.median(pyyaml):.2f}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="drift-bench-reach-") as folder:
        if sshd.available():
            ssh_figures(Path(folder), None)
            ssh_figures(Path(folder), "curve25519-sha256")
        else:
            print("## SSH: skipped (apt-get install openssh-server)")
        kubernetes_figures(Path(folder))


if __name__ == "__main__":
    main()
