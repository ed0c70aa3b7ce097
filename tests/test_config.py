"""drift.toml and [tool.drift]: the configuration contract and its strict validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift import api
from drift.errors import ConfigError, SchemaError
from tests.conftest import Project, run


def test_pyproject_tool_drift_is_read(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write("envs/prod.env", "A=2\n")
    project.write(
        "pyproject.toml",
        """
        [project]
        name = "app"
        [tool.drift]
        fail_on = "warning"
        [tool.drift.environments.production]
        sources = [{ type = "dotenv", path = "envs/prod.env" }]
        [tool.drift.keys.A]
        type = "int"
        """,
    )
    loaded = api.load_project(None, project.root)
    assert loaded.fail_on is not None and loaded.fail_on.label == "warning"
    assert api.load_project_schema(loaded).specs["A"].type == "int"
    assert loaded.environments["production"].deployed is True


def test_relative_paths_are_relative_to_the_config_folder(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("conf/.env.example", "A=1\n")
    project.write("conf/prod.env", "A=1\n")
    project.write("conf/drift.toml", '[environments.prod]\nsources = [{ type = "dotenv", path = "prod.env" }]\n')
    elsewhere = project.root / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    run(["check", "--config", "../conf/drift.toml"], expect=0)


@pytest.mark.parametrize(
    ("name", "deployed"), [("development", False), ("dev", False), ("local", False), ("test", False), ("qa", True)]
)
def test_deployed_defaults(project: Project, name: str, deployed: bool) -> None:
    project.write("drift.toml", f'[environments.{name}]\nsources = [{{ type = "process" }}]\n')
    assert api.load_project(None, project.root).environments[name].deployed is deployed


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[drift]\nfail_onn = 'error'\n", "unknown field 'fail_onn' (did you mean 'fail_on'?)"),
        ("[drift]\nfail_on = 'errors'\n", "fail_on must be one of"),
        ("[environment.prod]\n", "unknown field 'environment' (did you mean 'environments'?)"),
        ("[environments.prod]\nsources = []\n", "sources must be a non-empty list"),
        ("[environments.prod]\nsources = [{ type = 'dotenvv', path = 'x' }]\n", "did you mean 'dotenv'?"),
        ("[environments.prod]\nsources = [{ type = 'dotenv' }]\n", "needs `path`"),
        ("[environments.prod]\nsources = [{ type = 'dotenv', paht = 'x' }]\n", "unknown field 'paht'"),
        ("[environments.prod]\nsources = [{ type = 'dotenv', path = 3 }]\n", "`path` must be of type str"),
        ("[environments.prod]\nsources = [{ type = 'dotenv', path = 'x', include = ['A[' ] }]\n", "bad glob"),
        ("[environments.prod]\ndeployd = true\nsources = [{ type = 'process' }]\n", "did you mean 'deployed'?"),
    ],
)
def test_config_errors_exit_2_with_the_file_named(project: Project, toml: str, message: str) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", toml)
    result = run(["check"], expect=2)
    assert "drift.toml" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("[keys.A]\ntyp = 'int'\n", "unknown field 'typ' (did you mean 'type'?)"),
        ("[keys.A]\ntype = 'integer'\n", "`type` must be one of"),
        (
            "[keys.A.env.prodution]\nequals = '1'\n",
            "unknown environment 'prodution' in env.prodution (did you mean 'production'?)",
        ),
        ("[keys.A]\nrequired = ['prodution']\n", "unknown environment 'prodution' in required"),
        ("[keys.A]\nequals = '1'\n", "unknown field 'equals'"),
        ("[keys.A]\nrequired_if = 'B=1'\n", "required_if names undeclared key B"),
        ("[keys.A]\ntype = 'enum'\n", "needs `values`"),
        ("[keys.A]\nmin = 3\n", "apply to types int"),
        ('[keys."A["]\ntype = "int"\n', "bad glob"),
    ],
)
def test_key_table_errors(project: Project, keys: str, message: str) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", '[environments.production]\nsources = [{ type = "process" }]\n' + keys)
    result = run(["check"], expect=2)
    assert message in result.stderr


def test_toml_syntax_error_names_the_line(project: Project) -> None:
    project.write("drift.toml", "[drift]\nschema = '.env.example'\nfail_on = \n")
    result = run(["check"], expect=2)
    assert "drift.toml" in result.stderr and "line 3" in result.stderr


def test_unknown_environment_on_the_command_line(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", '[environments.production]\nsources = [{ type = "process" }]\n')
    result = run(["check", "--env", "prod"], expect=2)
    assert "unknown environment 'prod'" in result.stderr and "did you mean 'production'?" in result.stderr


def test_missing_schema_file_is_a_configuration_error(project: Project) -> None:
    project.write("drift.toml", '[environments.production]\nsources = [{ type = "process" }]\n')
    with pytest.raises(SchemaError, match="cannot read the schema: file not found"):
        api.load_project_schema(api.load_project(None, project.root))
    run(["check"], expect=2)


def test_config_file_given_but_missing(project: Project) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        api.load_project(Path("nope.toml"), project.root)
