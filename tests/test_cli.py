"""The commands, their exit codes (0 / 1 / 2 / 3, first match wins) and their output streams."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from drift import __version__
from drift.cli import main
from tests.conftest import Project, run


def two_envs(project: Project, production: str, staging: str = "A=1\n", example: str = "A=1\n") -> None:
    project.write(".env.example", example)
    project.write("production.env", production)
    project.write("staging.env", staging)
    project.write(
        "drift.toml",
        '[environments.staging]\nsources = [{ type = "dotenv", path = "staging.env" }]\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" }]\n',
    )


@pytest.mark.parametrize(
    ("production", "args", "code"),
    [
        ("A=1\n", [], 0),
        ("", [], 1),
        ("A=1\nB=2\n", [], 0),
        ("A=1\nB=2\n", ["--fail-on", "warning"], 1),
        ("", ["--fail-on", "none"], 0),
        ("A=1\nnot valid line\n", ["--fail-on", "none"], 3),
        ("A=1\nnot valid line\n", [], 1),
    ],
)
def test_exit_codes(project: Project, production: str, args: list[str], code: int) -> None:
    two_envs(project, production)
    run(["check", *args], expect=code)


def test_unreadable_source_is_3_and_never_0(project: Project) -> None:
    two_envs(project, "A=1\n")
    (project.root / "production.env").unlink()
    run(["check", "--fail-on", "none"], expect=3)
    run(["check", "--env", "staging"], expect=0)


def test_drift_wins_over_unreadable(project: Project) -> None:
    two_envs(project, "A=1\n", staging="")
    (project.root / "production.env").unlink()
    run(["check"], expect=1)


def test_usage_error_wins_over_everything(project: Project) -> None:
    two_envs(project, "")
    run(["check", "--env", "nope"], expect=2)
    run(["check", "--fail-on", "sometimes"], expect=2)


def test_json_on_stdout_carries_nothing_else(project: Project) -> None:
    two_envs(project, "B=1\n")
    result = run(["check", "--format", "json"], expect=1)
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert document["tool"] == {"name": "drift", "version": __version__}
    assert [e["name"] for e in document["environments"]] == ["staging", "production"]
    env = document["environments"][1]
    assert env["status"] == "ok" and env["deployed"] is True
    assert env["sources"] == [{"type": "dotenv", "name": "production.env", "status": "ok", "error": None, "keys": 1}]
    finding = next(f for f in document["findings"] if f["rule"] == "missing")
    assert finding == {
        "id": "missing:production:A",
        "rule": "missing",
        "severity": "error",
        "env": "production",
        "key": "A",
        "message": "A is required but not set in production",
        "expected": None,
        "actual": None,
        "location": ".env.example:1",
        "fix": finding["fix"],
        "status": None,
        "first_seen": None,
        "basis": "declared",
        "command": "drift sync --env production --write",  # the concrete fix: add the line to the file
    }
    assert document["summary"] == {"error": 1, "warning": 1, "info": 0}
    assert document["exit_code"] == 1
    row = next(r for r in document["matrix"] if r["key"] == "A")
    assert row["cells"]["production"]["state"] == "missing"
    assert row["cells"]["staging"] == {"state": "present", "display": "1", "group": 0}
    assert set(document["rules"]) == {"missing", "undeclared"}


def test_no_config_checks_env_against_example(project: Project) -> None:
    project.write(".env.example", "A=1\nB=\n")
    project.write(".env", "A=change-me\n")
    result = run(["check"], expect=0)
    assert "local" in result.stdout  # `local` is not deployed: a placeholder there is fine
    (project.root / ".env").unlink()  # a clean CI checkout: the developer's file is not there
    result = run(["check"], expect=0)
    assert result.stderr.count("\n") == 1 and "drift: info: local: .env does not exist; skipped" in result.stderr
    # a deployed environment's missing file still fails closed
    project.write("drift.toml", '[environments.production]\nsources = [{ type = "dotenv", path = "prod.env" }]\n')
    result = run(["check"], expect=3)
    assert "prod.env" in result.stdout and "file not found" in result.stdout


def test_no_config_and_no_example_is_a_usage_error(project: Project) -> None:
    result = run(["check"], expect=2)
    assert ".env.example" in result.stderr


@pytest.mark.parametrize(
    ("env", "colored"),
    [
        ({}, False),  # not a terminal
        ({"NO_COLOR": "1"}, False),
        ({"FORCE_COLOR": "1"}, True),
        ({"CLICOLOR_FORCE": "1"}, True),
        ({"FORCE_COLOR": "0"}, False),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins
    ],
)
def test_color_follows_the_environment(project: Project, env: dict[str, str], colored: bool) -> None:
    two_envs(project, "")
    assert ("\x1b[" in run(["check"], expect=1, env=env).stdout) is colored


def test_diff(project: Project) -> None:
    project.write("a.env", "SAME=1\nDIFF=a\nONLY_A=1\nAPI_TOKEN=tok-123456\n")
    project.write("b.env", "SAME=1\nDIFF=b\nAPI_TOKEN=tok-123456\n")
    out = run(["diff", "a.env", "b.env"], expect=1).stdout
    lines = {line.split()[0]: line for line in out.splitlines() if line and line.split()[0].isupper()}
    assert lines["SAME"].rstrip().endswith("same")
    assert lines["DIFF"].rstrip().endswith("differs") and " a " not in lines["DIFF"]  # no schema: masked
    assert lines["ONLY_A"].rstrip().endswith("missing")
    assert "tok-123456" not in out and lines["API_TOKEN"].rstrip().endswith("same")
    project.write("ex.env", "# @not-secret\nDIFF=\n# @secret\nSAME=1\n")
    out = run(["diff", "--schema", "ex.env", "a.env", "b.env"], expect=1).stdout
    lines = {line.split()[0]: line for line in out.splitlines() if line and line.split()[0].isupper()}
    assert " a " in lines["DIFF"] and " 1 " not in lines["SAME"]
    run(["diff", "a.env", "a.env"], expect=0)
    assert "differs" not in run(["diff", "--keys-only", "a.env", "b.env"], expect=1).stdout
    assert "nope.env: file not found" in run(["diff", "a.env", "nope.env"], expect=2).stderr


def test_explain(project: Project) -> None:
    out = run(["explain", "secret-reuse"], expect=0).stdout
    assert out.startswith("secret-reuse (error by default)") and "Fix:" in out
    assert "missing" in run(["explain"], expect=0).stdout
    assert "did you mean 'missing'?" in run(["explain", "misssing"], expect=2).stderr


def test_schema_show_and_lint(project: Project) -> None:
    project.write(
        ".env.example", "# The port\n# @type port\nPORT=3000\n# @type int\nWORKERS=many\nTOKEN=AKIAIOSFODNN7EXAMPLE\n"
    )
    project.write(
        "drift.toml",
        '[environments.production]\nsources = [{ type = "process" }]\n[keys.PORT.env.production]\nequals = "80"\n'
        '[keys."FEAT_*"]\ntype = "bool"\n',
    )
    shown = run(["schema", "show"], expect=0).stdout
    assert "PORT  (port, required: yes)" in shown and "in production: equals = 80" in shown and "# The port" in shown
    as_json = json.loads(run(["schema", "show", "--format", "json"], expect=0).stdout)
    assert as_json["keys"][0]["env"] == {"production": {"equals": "80"}}
    lint = run(["schema", "lint"], expect=1).stdout
    assert "secret-in-example" in lint and "example value of WORKERS" in lint and "FEAT_*" in lint
    assert "AKIAIOSFODNN7EXAMPLE" not in lint


def test_version_and_module_entry_point() -> None:
    assert run(["--version"], expect=0).stdout.strip() == f"drift, version {__version__}"
    done = subprocess.run([sys.executable, "-m", "drift", "--version"], capture_output=True, text=True, check=True)
    assert __version__ in done.stdout


def test_check_path_does_not_import_heavy_modules(project: Project) -> None:
    two_envs(project, "A=1\n")
    code = (  # an exit handler reports (and makes drift exit as usual: drift.__main__.leave)
        "import atexit, sys, runpy; sys.argv=['drift','check','--format','json'];\n"
        "heavy=('boto3','botocore','deepdiff','jinja2','tree_sitter','psycopg','yaml','drift.code')\n"
        "atexit.register(lambda: sys.stderr.write('HEAVY=' + ','.join(m for m in heavy if m in sys.modules)))\n"
        "runpy.run_module('drift', run_name='__main__')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project.root)
    assert "HEAVY=" in done.stderr and done.stderr.rsplit("HEAVY=", 1)[1] == ""


def test_own_env_example_is_valid_drift_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    run(["schema", "lint", "--config", "tests/fixtures/self/drift.toml"], expect=0)
    run(["check", "--config", "tests/fixtures/self/drift.toml"], expect=0)


def test_init_writes_a_reviewed_config_that_loads(project: Project) -> None:
    project.write("package.json", "{}")
    project.write(".env.sample", "# the port\nPORT=3001\nDEBUG=false\nAPI_TOKEN=\nNOTE=\nNEXT_PUBLIC_MAP_KEY=\n")
    project.write(".env.production", "PORT=80OO\nDEBUG=flase\nNOTE=x\nNEXT_PUBLIC_MAP_KEY=k\n")
    project.write("envs/staging.env", "PORT=3001\nDEBUG=true\nAPI_TOKEN=t\nNOTE=x\nNEXT_PUBLIC_MAP_KEY=k\n")
    project.write(".env", "PORT=3001\nDEBUG=false\n")
    before = run(["check", "--format", "json"], expect=0).stdout  # zero-config: only the local .env
    assert '"basis": "inferred"' in before  # API_TOKEN missing is a guess: a warning
    out = run(["init"], expect=0).stdout
    assert "wrote drift.toml: 3 environments, dialect node" in out
    text = (project.root / "drift.toml").read_text()
    assert 'schema = ".env.sample"' in text and 'dialect = "node"' in text
    # the line editors read to complete and check the file: the published schema's own $id
    published = json.loads(
        (Path(__file__).resolve().parent.parent / "drift/schemas/drift.toml.schema.json").read_text()
    )
    assert text.splitlines()[0] == f"#:schema {published['$id']}"
    # every inference is a commented suggestion (issue #19): adopting the file changes no severity
    assert '# [keys.PORT]\n# type = "port"  # inferred' in text
    assert "# [keys.API_TOKEN]\n# required = true  # inferred" in text and "# secret = true" in text
    assert "# [keys.NEXT_PUBLIC_MAP_KEY]\n# secret = false" in text and "[keys.NOTE]" not in text
    assert not [line for line in text.splitlines() if "inferred" in line and not line.startswith("#")]
    assert "80OO" not in text and "flase" not in text
    document = json.loads(run(["check", "--format", "json"], expect=0).stdout)
    invalid = {(f["env"], f["key"]): f for f in document["findings"] if f["rule"] == "invalid"}
    assert invalid[("production", "PORT")]["basis"] == "inferred"
    assert invalid[("production", "PORT")]["severity"] == "warning"
    # uncommenting a suggestion makes its check a declared error
    (project.root / "drift.toml").write_text(
        text.replace('# [keys.PORT]\n# type = "port"', '[keys.PORT]\ntype = "port"')
    )
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    invalid = {(f["env"], f["key"]): f for f in document["findings"] if f["rule"] == "invalid"}
    assert invalid[("production", "PORT")]["basis"] == "declared"
    assert invalid[("production", "PORT")]["severity"] == "error"
    assert "already exists" in run(["init"], expect=2).stderr
    run(["init", "--force"], expect=0)


def test_zero_config_finds_other_example_names_or_says_which_it_tried(project: Project) -> None:
    tried = (
        ".env.example, .env.sample, .env.template, .env.dist, env.example, example.env, .env.defaults, .env.*.sample"
    )
    assert tried in run(["check"], expect=2).stderr
    project.write(".env.local.sample", "A=1\n")
    project.write(".env", "A=1\n")
    assert "schema .env.local.sample" in run(["check"], expect=0).stdout
    project.write("other.env", "A=1\n# @optional\nB=\n")
    assert "schema other.env" in run(["check", "--schema", "other.env"], expect=0).stdout
    for command in (["scan", "--no-save"], ["schema", "show"], ["schema", "lint"], ["baseline"]):
        assert "Traceback" not in run([*command, "--schema", "other.env"], expect=0).output


def test_baseline_without_a_config_is_read_by_the_zero_config_check(project: Project) -> None:
    project.write(".env.example", "A=a\nB=b\n")
    project.write(".env", "A=a\n")
    assert "missing" in run(["check"], expect=1).stdout
    assert "wrote 1 entries to drift-baseline.toml" in run(["baseline"], expect=0).stdout
    out = run(["check"], expect=0).stdout
    assert "1 suppressed" in out


def test_history_is_kept_per_configuration(project: Project) -> None:
    project.write(".env.example", "A=a\n")
    project.write("p.env", "A=a\n")
    project.write("q.env", "A=b\n")
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    project.write("other.toml", '[environments.q]\nsources = [{ type = "dotenv", path = "q.env" }]\n')
    run(["scan"], expect=0)
    run(["scan", "--config", "other.toml"], expect=0)
    other = json.loads((project.root / "reports" / "drift-report.json").read_text())
    assert other["previous_scan"] is None
    assert (project.root / ".drift" / "history-other.sqlite").exists()
    assert (project.root / ".drift" / "history.sqlite").exists()


def test_scan_delivers_like_check_under_github_actions(project: Project) -> None:
    project.write(".env.example", "A=a\nB=b\n")
    project.write("p.env", "A=a\n")
    project.write("drift.toml", '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    summary = project.root / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    out = run(["scan"], expect=1, env=env).stdout
    assert "::error file=.env.example,line=2,title=drift missing::B is required" in out
    assert summary.read_text().startswith("## drift:")
    assert (project.root / "reports" / "drift-report.html").exists()


def test_the_readme_rule_table_is_generated_from_the_rules() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme.split("## Rules", 1)[1].split("\n\n", 3)[2]
    assert table + "\n" == run(["explain", "--markdown"], expect=0).stdout


def test_pre_commit_check_loads_only_what_it_needs(project: Project) -> None:
    """The pre-commit case (a few plain keys, no configuration, terminal output) stays off
    every module a run like it does not use: start-up time is its whole cost
    (benchmarks/README.md)."""
    project.write(".env.example", "".join(f"KEY_{i}=value{i}\n" for i in range(50)))
    project.write(".env", "".join(f"KEY_{i}=value{i}\n" for i in range(50)))
    lazy = (
        "dotenv",  # plain lines are read by the fast path
        "hashlib",  # no secret value to fingerprint
        "tomllib",  # no configuration file
        "tempfile",  # nothing written
        "difflib",  # nothing to suggest
        "drift.history",
        "drift.engine.assertions",
        "drift.platform.aws",
        "concurrent.futures",
        "drift.cli.scan",  # the commands other than check's
        "drift.cli.plan",
        "drift.actions.shard",  # sharding is the nightly scan's
    )
    code = (  # an exit handler reports (and makes drift exit as usual: drift.__main__.leave)
        "import atexit, sys, runpy; sys.argv=['drift','check'];\n"
        f"atexit.register(lambda: sys.stderr.write('LOADED=' + ','.join(m for m in {lazy!r} if m in sys.modules)))\n"
        "runpy.run_module('drift', run_name='__main__')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project.root)
    assert "No drift found" in done.stdout
    assert done.stderr.rsplit("LOADED=", 1)[1] == ""


def test_the_command_map_names_each_command_s_module() -> None:
    from importlib import import_module

    from drift.cli import COMMANDS, main

    for module in set(COMMANDS.values()):
        import_module(f"drift.cli.{module}")

    assert set(main.commands) == set(COMMANDS)
    for name, module in COMMANDS.items():
        callback = main.commands[name].callback
        assert callback is not None and callback.__module__ == f"drift.cli.{module}"


def test_dialect_option_on_every_command_that_reads_env_files(project: Project) -> None:
    """`--dialect` overrides detection (issue #19): Laravel's `null` is no value under php."""
    project.write(".env.example", "APP_NAME=shop\nMAIL_PASSWORD=null\n")
    project.write(".env", "APP_NAME=shop\nMAIL_PASSWORD=null\n")
    shown = run(["schema", "show", "--dialect", "php", "--format", "json"], expect=0).stdout
    keys = {key["name"]: key for key in json.loads(shown)["keys"]}
    assert keys["MAIL_PASSWORD"]["origin"] == "commented" and keys["MAIL_PASSWORD"]["required"] is None
    assert "dialect php (set by --dialect)" in run(["check", "--dialect", "php"], expect=0).stdout
    assert "dialect python" in run(["check"], expect=0).stdout
    run(["schema", "lint", "--dialect", "ruby"], expect=0)
    run(["scan", "--no-save", "--dialect", "go"], expect=0)
    run(["baseline", "--dialect", "php"], expect=0)
    run(["init", "--dialect", "php"], expect=0)
    assert 'dialect = "php"  # set by --dialect' in (project.root / "drift.toml").read_text()
    assert "'perl' is not one of" in run(["check", "--dialect", "perl"], expect=2).output


@pytest.mark.parametrize("with_git", [True, False])
def test_init_marks_a_git_ignored_env_file_not_deployed(project: Project, with_git: bool) -> None:
    """A file git ignores is a developer's own, absent from every CI checkout (issue #19): its
    environment is `deployed = false`, so `drift check` in CI says so in one line and goes on."""
    if with_git:
        subprocess.run(["git", "init", "-q"], cwd=project.root, check=True)
    project.write(".gitignore", "# local files\n.env.preview\n")
    project.write(".env.example", "API_URL=https://api.acme.io\n")
    project.write(".env.preview", "API_URL=https://api.acme.io\n")
    project.write(".env.staging", "API_URL=https://api.acme.io\n")
    run(["init"], expect=0)
    text = (project.root / "drift.toml").read_text()
    assert "[environments.preview]\ndeployed = false  # git ignores its file" in text
    assert "[environments.staging]\ndeployed = true\n" in text
    (project.root / ".env.preview").unlink()  # a clean checkout
    result = run(["check"], expect=0)
    assert "drift: info: preview: .env.preview does not exist; skipped" in result.stderr


def test_the_readme_source_option_table_is_generated_from_the_collectors() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme.split("#### Every source option", 1)[1].split("\n\n", 3)[2]
    assert table + "\n" == run(["explain", "--sources", "--markdown"], expect=0).stdout
    listing = run(["explain", "--sources"], expect=0).stdout
    assert "path (required): parameter path" in listing and "`" not in listing


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    script = run(["completion", shell], expect=0).stdout
    assert "_DRIFT_COMPLETE" in script


def test_completion_completes_commands_and_options() -> None:
    """What bash's completion function asks drift (through `_DRIFT_COMPLETE`), answered."""
    env = {"_DRIFT_COMPLETE": "bash_complete", "COMP_WORDS": "drift ch", "COMP_CWORD": "1"}
    result = CliRunner().invoke(main, [], env=env, prog_name="drift")
    assert "plain,check" in result.output.splitlines()
    env = {"_DRIFT_COMPLETE": "bash_complete", "COMP_WORDS": "drift check --fail", "COMP_CWORD": "2"}
    result = CliRunner().invoke(main, [], env=env, prog_name="drift")
    assert "plain,--fail-on" in result.output.splitlines()


def test_quiet_prints_the_summary_and_keeps_the_exit_code(project: Project) -> None:
    two_envs(project, "B=1\n")
    full = run(["check"], expect=1).stdout
    quiet = run(["check", "--quiet", "--output", "json:out.json"], expect=1)
    assert quiet.stdout.startswith("1 error, 1 warning") and "exit 1" in quiet.stdout
    assert len(quiet.stdout.splitlines()) < len(full.splitlines()) and "undeclared" not in quiet.stdout
    assert json.loads((project.root / "out.json").read_text())["findings"]  # files are written in full
    scanned = run(["scan", "-q"], expect=1)
    assert "exit 1" in scanned.stdout and "reports:" not in scanned.stderr


def test_the_readme_format_table_is_generated_from_the_format_table() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme.split("## Output formats", 1)[1].split("\n\n", 3)[2]
    assert table + "\n" == run(["explain", "--formats", "--markdown"], expect=0).stdout


def test_every_command_shows_examples_and_where_it_matters_its_exit_codes() -> None:
    from drift.cli import COMMANDS

    for name in COMMANDS:
        command = [name, "show"] if name == "schema" else [name]
        text = run([*command, "--help"], expect=0).stdout
        assert "Examples:\n    drift " in text, name
    for name in ("check", "scan", "apply", "baseline"):
        assert "Exit codes:" in run([name, "--help"], expect=0).stdout, name


def test_the_pre_commit_hooks_pass_when_there_is_nothing_to_check(project: Project) -> None:
    """Each hook's entry, as .pre-commit-hooks.yaml runs it: in a repository with no schema
    yet (one line, exit 0), and with an example but no `.env` (the developer's own file)."""
    import yaml

    hooks = yaml.safe_load((Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text())
    entries = [hook["entry"].split()[1:] for hook in hooks]
    for args in entries:
        result = run(args, expect=0)
        assert "nothing to check here" in result.stderr
    assert run(["check"], expect=2).stderr  # without --if-present, still a usage error
    project.write(".env.example", "A=1\n")
    for args in entries:
        run(args, expect=0)
    project.write(".env", "B=2\n")
    assert run(entries[1], expect=1).stdout  # and a real finding still fails the hook


def test_progress_in_a_ci_log_is_one_line_per_source(project: Project) -> None:
    two_envs(project, "A=1\n")
    lines = run(["check"], expect=0, env={"CI": "true"}).stderr.splitlines()
    assert any(re.fullmatch(r"drift: production: production\.env ok \(1 keys, \d+\.\d s\)", line) for line in lines)
    assert not run(["check", "--quiet"], expect=0, env={"CI": "true"}).stderr
    assert not run(["check"], expect=0).stderr  # not a terminal, not CI: nothing extra


def test_progress_on_a_terminal_shows_each_source_done() -> None:
    import io

    from rich.console import Console

    from drift.console.progress import Spinners

    out = io.StringIO()
    spinners = Spinners(Console(file=out, force_terminal=True, width=120))
    spinners("production", "ssm:/app/[red]prod\x1b]0;x\x07", None)
    spinners.advance("production", "ssm:/app/[red]prod\x1b]0;x\x07", 340, 34)
    (task,) = spinners.bar.tasks
    assert task.description.endswith("[dim]340 read, 34 requests[/]")
    spinners("production", "ssm:/app/[red]prod\x1b]0;x\x07", "ok", 1000, 2.5, 120)
    spinners("staging", "staging.env", None)
    spinners("staging", "staging.env", "failed", 0, 0.1)
    spinners.stop()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    assert "✓ production: ssm:/app/[red]prod\\u001b]0;x\\u0007 ok (1,000 keys, 120 requests, 2.5 s)" in text  # inert
    assert "\x07" not in out.getvalue()
    assert "✗ staging: staging.env failed (0 keys, 0.1 s)" in text


def test_docs_rules_is_generated_and_every_help_link_lands_on_a_section() -> None:
    """docs/rules.md holds every rule's section; a rule's SARIF `helpUri` ends at its anchor."""
    from drift.engine.catalog import RULES, help_uri, rule_markdown, rules_document

    text = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text()
    assert text == rules_document(), "regenerate docs/rules.md from drift.engine.catalog.rules_document()"
    headings = {line[3:] for line in text.splitlines() if line.startswith("## ")}
    assert headings == set(RULES)
    assert all(help_uri(slug).endswith(f"docs/rules.md#{slug}") for slug in RULES)
    assert help_uri("not-a-builtin") == ""
    assert run(["explain", "--markdown", "secret-reuse"], expect=0).stdout == rule_markdown("secret-reuse")
