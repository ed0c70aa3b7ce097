"""The `[environments.X] aws` table and AWS source settings are validated (the rules AWS stores
feed are rows of tests/test_rules.py STORE_CASES)."""

from __future__ import annotations

import pytest

from tests.conftest import Project, run


@pytest.mark.parametrize(
    ("aws", "message"),
    [
        ('{ regoin = "x" }', "unknown field 'regoin' (did you mean 'region'?)"),
        ('{ retry_mode = "fast" }', "retry_mode must be one of"),
        ("{ max_attempts = 0 }", "max_attempts must be a whole number"),
    ],
)
def test_aws_table_is_validated(project: Project, aws: str, message: str) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", f'[environments.p]\naws = {aws}\nsources = [{{ type = "ssm", path = "/p/" }}]\n')
    assert message in run(["check"], expect=2).stderr


def test_ssm_source_needs_a_path(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "ssm", paht = "/p/" }]\n')
    err = run(["check"], expect=2).stderr
    assert "needs `path`" in err and "did you mean 'path'?" in err
