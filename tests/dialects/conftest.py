"""The real loaders, started once per session: node's `dotenv` (installed from npm by
`make test` into tests/dialects/node_modules) and bash."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent


class NodeOracle:
    """One `node oracle.js` process answering parse requests line by line."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["node", str(HERE / "oracle.js")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=HERE,
        )

    def parse(self, text: str, expand: bool = False) -> dict[str, str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"text": text, "expand": expand}) + "\n")
        self.process.stdin.flush()
        return dict(json.loads(self.process.stdout.readline()))

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def node_oracle() -> Iterator[NodeOracle]:
    if shutil.which("node") is None or not (HERE / "node_modules" / "dotenv").is_dir():
        pytest.fail("the node oracle is not installed: run `make test` (it runs npm ci in tests/dialects)")
    oracle = NodeOracle()
    yield oracle
    oracle.close()


_BASH_PRINT = 'set -a; . "$1" || exit 99; for n in $(compgen -e); do printf "%s=%s\\0" "$n" "${!n}"; done'
#: Variables bash sets by itself in a clean environment.
BASH_OWN = frozenset({"PWD", "SHLVL", "_", "OLDPWD"})


def bash_values(path: Path) -> dict[str, str] | None:
    """What `set -a; . file` exports in a clean environment, or None when bash fails."""
    done = subprocess.run(
        ["env", "-i", "/bin/bash", "--norc", "--noprofile", "-c", _BASH_PRINT, "_", str(path)],
        capture_output=True,
        timeout=10,
        check=False,
    )
    if done.returncode != 0 or done.stderr:
        return None
    pairs = [item.split(b"=", 1) for item in done.stdout.split(b"\0") if item]
    return {k.decode(): v.decode("utf-8", "surrogateescape") for k, v in pairs if k.decode() not in BASH_OWN}


class LineOracle:
    """A real loader in its own language answering `{"text": ...}` requests line by line
    with `{"values": [[key, value], ...]}` or `{"error": ...}` (tests/dialects/oracles/)."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", cwd=HERE
        )

    def parse(self, text: str) -> dict[str, str | None] | None:
        """The values, or None when the loader refuses the text."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"text": text}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        return None if "error" in answer else dict(answer.get("values") or [])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=10)


def _oracle(argv: list[str], needs: str, package: str) -> Iterator[LineOracle]:
    if shutil.which(argv[0]) is None or not Path(needs).exists():
        pytest.fail(f"the {argv[0]} oracle is not installed: `apt-get install {package}` (.ci/run does)")
    oracle = LineOracle(argv)
    yield oracle
    oracle.close()


@pytest.fixture(scope="session")
def php_oracle() -> Iterator[LineOracle]:
    """vlucas/phpdotenv 5 from Debian (php-vlucas-phpdotenv), with Laravel's env() mapping."""
    yield from _oracle(
        ["php", str(HERE / "oracles" / "php.php")], "/usr/share/php/Dotenv/autoload.php", "php-cli php-vlucas-phpdotenv"
    )


@pytest.fixture(scope="session")
def ruby_oracle() -> Iterator[LineOracle]:
    """The dotenv gem from Debian (ruby-dotenv)."""
    yield from _oracle(["ruby", str(HERE / "oracles" / "ruby.rb")], "/usr/bin/ruby", "ruby ruby-dotenv")


@pytest.fixture(scope="session")
def go_oracle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LineOracle]:
    """joho/godotenv from Debian (golang-github-joho-godotenv-dev), built once per session."""
    source = Path("/usr/share/gocode/src/github.com/joho/godotenv")
    if shutil.which("go") is None or not source.is_dir():
        pytest.fail("the go oracle is not installed: `apt-get install golang-go golang-github-joho-godotenv-dev`")
    out = tmp_path_factory.mktemp("go")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(out), "GO111MODULE": "off", "GOPATH": "/usr/share/gocode",
           "GOCACHE": str(out / "cache")}  # fmt: skip
    subprocess.run(
        ["go", "build", "-o", str(out / "oracle"), "."], cwd=HERE / "oracles" / "go", env=env, check=True, timeout=300
    )
    yield from _oracle([str(out / "oracle")], str(out / "oracle"), "golang-go")
