"""Rule plugins (`drift.rules`): the example package under examples/plugins is installed
(pip, into a folder on sys.path) and run; a plugin that raises or claims a built-in slug."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Project, run

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "plugins" / "drift-rule-key-naming"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    source = tmp_path_factory.mktemp("source") / EXAMPLE.name  # built outside the checkout
    shutil.copytree(EXAMPLE, source)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q", "--target", str(target),
         str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    return target


def use(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.syspath_prepend(str(folder))
    importlib.invalidate_caches()


def write(project: Project, plugins: str) -> None:
    project.write(".env.example", "API_URL=https://x.io\n")
    project.write("p.env", "API_URL=https://x.io\napi.url=https://x.io\n")
    project.write(
        "drift.toml",
        f'[drift]\nplugins = {plugins}\n[environments.production]\nsources = [{{ type = "dotenv", path = "p.env" }}]\n',
    )


def test_the_example_plugin_runs(project: Project, installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, installed)
    write(project, '["key-naming"]')
    document = json.loads(run(["check", "--format", "json", "--fail-on", "none"], expect=0).stdout)
    (finding,) = [f for f in document["findings"] if f["rule"] == "key-naming"]
    assert (finding["env"], finding["key"], finding["severity"]) == ("production", "api.url", "warning")
    assert document["rules"]["key-naming"]["title"] == "Key is not UPPER_SNAKE_CASE"
    sarif = json.loads(run(["check", "--format", "sarif", "--fail-on", "none"], expect=0).stdout)
    assert "key-naming" in [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]


def test_plugins_are_off_unless_named(project: Project, installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, installed)
    write(project, "[]")
    assert "key-naming" not in run(["check", "--fail-on", "none"], expect=0).stdout
    write(project, '["key-namng"]')
    assert "no installed rule plugin is named 'key-namng'" in run(["check"], expect=2).stderr


def plugin(tmp_path: Path, slug: str, body: str, scope: str = "across", method: str = "check(self, context)") -> Path:
    package = tmp_path / "bad_rules"
    package.mkdir(parents=True)
    source = [
        "from drift.engine.plugins import Rule",
        "from drift.model import Severity",
        "",
        "class Bad(Rule):",
        f"    slug = {slug!r}",
        "    severity = Severity.ERROR",
        '    title = explanation = fix = "bad"',
        f"    scope = {scope!r}",
        '    keys = ("undeclared",)',
        "",
        f"    def {method}:",
        f"        {body}",
    ]
    (package / "__init__.py").write_text("\n".join(source) + "\n")
    dist = tmp_path / "bad_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: bad-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[drift.rules]\n{slug} = bad_rules:Bad\n")
    return tmp_path


def test_a_plugin_that_raises_is_a_rule_error(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, plugin(tmp_path / "p", "crashy", 'raise KeyError("CANARY")'))
    monkeypatch.delitem(sys.modules, "bad_rules", raising=False)
    write(project, '["crashy"]')
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    (error,) = [f for f in document["findings"] if f["rule"] == "rule-error"]
    assert error["message"] == "drift's crashy rule failed (KeyError); its findings are missing"
    assert "CANARY" not in json.dumps(document)


def test_a_plugin_cannot_claim_a_built_in_rule(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(monkeypatch, plugin(tmp_path / "q", "missing", "return []"))
    monkeypatch.delitem(sys.modules, "bad_rules", raising=False)
    write(project, '["missing"]')
    assert "claims the rule 'missing', which drift already has" in run(["check"], expect=2).stderr


def test_an_entry_scoped_plugin_runs_in_the_per_key_pass(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = "actual=view.display(name, spec, entry)"
    body = f"return None if name.isupper() else self.finding(view.env, name, 'lower', {shown})"
    use(monkeypatch, plugin(tmp_path / "e", "lower-case", body, "entry", "check_entry(self, view, name, spec, entry)"))
    monkeypatch.delitem(sys.modules, "bad_rules", raising=False)
    write(project, '["lower-case"]')
    project.write("p.env", "API_URL=https://x.io\napi.token=CANARY-0123456789abcdefABCDEF\n")
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    (finding,) = [f for f in document["findings"] if f["rule"] == "lower-case"]
    assert finding["key"] == "api.token" and finding["actual"].startswith("••••")  # masked by view.display
    assert "CANARY" not in json.dumps(document)


def test_a_merge_refuses_a_plugin_that_compares_environments(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin `across` rule reads values; shards save none, so in a merge it would find
    nothing and pass in silence: the merge says so instead (fail closed)."""
    use(monkeypatch, plugin(tmp_path / "m", "same-url", "return []"))
    monkeypatch.delitem(sys.modules, "bad_rules", raising=False)
    write(project, '["same-url"]')
    env = {"DRIFT_FINGERPRINT_KEY": "k"}
    run(["scan", "--shard", "1/1", "--run", "r1"], expect=0, env=env)
    done = run(["merge", "--run", "r1"], expect=2, env=env)
    assert "plugin rule same-url compares environments' values" in done.output
